/** Japanese for the rest of issue 14: suspending from the review queue, flagging without JavaScript. */
export const ja: Record<string, string> = {
	'Give a reason: it is kept in the audit log': '理由を入力してください。監査ログに記録されます',
	'Your flag was not sent: choose a reason, and for “Other” say what is wrong.': '通報は送信されませんでした。理由を選び、「その他」の場合は何が問題かを書いてください。',
}
