/** Japanese UI strings for moderation: flags, review, holds, trust levels and locked threads; keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	'Post approved': '投稿を承認',
	'Post hidden': '投稿を非表示',
	'Post restored': '投稿を再表示',
	'Post deleted': '投稿を削除',
	'Thread locked': 'スレッドをロック',
	'Thread unlocked': 'スレッドのロックを解除',
	'Moderation settings changed': 'モデレーション設定を変更',
	'You cannot flag your own post': '自分の投稿は通報できません',
	'Someone flags a question or answer': '質問または回答が通報されたとき',
	'A question or answer is hidden, by staff or by flags': '質問または回答がスタッフまたは通報により非表示になったとき',
	'This post is hidden or deleted: restore it instead': 'この投稿は非表示または削除されています。代わりに再表示してください',
	'This post is deleted: restore it first': 'この投稿は削除されています。先に再表示してください',
	'Give a reason: the author sees it': '理由を入力してください（投稿者に表示されます）',
	'Only questions (threads) can be locked': 'ロックできるのは質問（スレッド）だけです',
	'Deleted posts can be restored for 30 days; this one was deleted earlier': '削除された投稿を再表示できるのは 30 日間です。この投稿はそれより前に削除されました',
	'Use at most 500 characters': '500 文字以内で入力してください',
}
