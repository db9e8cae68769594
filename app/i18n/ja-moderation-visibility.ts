/** Japanese UI strings for hidden, deleted, held and locked posts and staff's moderation on the post page; keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	'This thread is locked': 'このスレッドはロックされています',
	'Hidden by staff': 'スタッフにより非表示',
	Deleted: '削除済み',
	'Waiting for review': '確認待ち',
	'Only you and staff see this post.': 'この投稿はあなたとスタッフにだけ表示されています。',
	'It takes no new answers.': '新しい回答は受け付けていません。',
	Hide: '非表示にする',
	Lock: 'ロック',
	Unlock: 'ロックを解除',
	'Moderate this question': 'この質問をモデレート',
	'Moderate this answer': 'この回答をモデレート',
	'Reason (the author sees it)': '理由（投稿者に表示されます）',
	'Choose hide, restore, delete, lock or unlock': 'hide、restore、delete、lock、unlock のいずれかを指定してください',
	'Give the reason as text': '理由はテキストで指定してください',
	'Post not found': '投稿が見つかりません',
}
