/** Japanese strings for refusals and outage pages; keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	'Kizuna is temporarily unavailable': 'Kizuna は一時的に利用できません',
	'We are having trouble reaching our database. Please try again in a minute.': 'データベースに接続できません。しばらくしてからもう一度お試しください。',
	'The database is unavailable; please try again in a minute': 'データベースを利用できません。しばらくしてからもう一度お試しください',
	'Forms must be sent as application/x-www-form-urlencoded': 'フォームは application/x-www-form-urlencoded で送信してください',
	'Cross-site request refused': '他のサイトからのリクエストは受け付けません',
	'Contains an invisible control character; remove it and try again': '見えない制御文字が含まれています。削除してからもう一度お試しください',
	'from must be between 2000-01-01 and 2100-12-31': '開始日は 2000-01-01 から 2100-12-31 までの日付にしてください',
	'to must be between 2000-01-01 and 2100-12-31': '終了日は 2000-01-01 から 2100-12-31 までの日付にしてください',
	'The address is not valid': 'アドレスが正しくありません',
	'Not found': '見つかりません',
	'Something went wrong on our side': 'サーバー側で問題が発生しました',
	'The request contains a value that cannot be stored (out of range or an invalid character)': '保存できない値（範囲外または使用できない文字）が含まれています',
}
