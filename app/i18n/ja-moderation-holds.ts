/** Japanese strings of automatic holds, trust levels and their limits, and /admin/moderation; keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	// What the author of a held post is shown (stored as the post's state reason).
	'Links in posts by new members are checked by staff first': '新しいメンバーのリンクを含む投稿は、先にスタッフが確認します',
	'Posts with many links are checked by staff first': 'リンクの多い投稿は、先にスタッフが確認します',
	'This post contains words that staff check first': 'この投稿にはスタッフが先に確認する語句が含まれています',
	'You posted the same text a short time ago, which is held as possible spam': '少し前に同じ内容を投稿しているため、スパムの可能性として保留されています',
	// Hourly limits by trust level.
	'New members can post {{n0}} times an hour; try again in {{n1}} minutes': '新しいメンバーが投稿できるのは 1 時間に {{n0}} 回までです。{{n1}} 分後にもう一度お試しください',
	'New members can post {{n0}} times an hour; try again in {{n1}} minute': '新しいメンバーが投稿できるのは 1 時間に {{n0}} 回までです。{{n1}} 分後にもう一度お試しください',
	'Members can post {{n0}} times an hour; try again in {{n1}} minutes': 'メンバーが投稿できるのは 1 時間に {{n0}} 回までです。{{n1}} 分後にもう一度お試しください',
	'Members can post {{n0}} times an hour; try again in {{n1}} minute': 'メンバーが投稿できるのは 1 時間に {{n0}} 回までです。{{n1}} 分後にもう一度お試しください',
	'Trusted members can post {{n0}} times an hour; try again in {{n1}} minutes': '信頼されたメンバーが投稿できるのは 1 時間に {{n0}} 回までです。{{n1}} 分後にもう一度お試しください',
	'Trusted members can post {{n0}} times an hour; try again in {{n1}} minute': '信頼されたメンバーが投稿できるのは 1 時間に {{n0}} 回までです。{{n1}} 分後にもう一度お試しください',
	// Trust levels on one's settings page.
	'Trust level': '信頼レベル',
	'New member': '新しいメンバー',
	'Member': 'メンバー',
	'Trusted member': '信頼されたメンバー',
	'Questions and answers you can post an hour: {{n}}': '1 時間に投稿できる質問と回答：{{n}} 件',
	'When others upvote or accept a few of your posts, you can post more; links in posts by new members wait for review.':
		'投稿がいくつか高評価または採用されると、より多く投稿できます。新しいメンバーのリンクを含む投稿は確認待ちになります。',
	// /admin/moderation
	'Moderation settings': 'モデレーション設定',
	'Spam or offensive flags that hide a post until reviewed': '確認まで投稿を非表示にするスパム・不快な内容の通報数',
	'Flags from distinct people; trusted members weigh more.': '別々の人からの通報を数えます。信頼されたメンバーの通報は重く数えます。',
	'New members': '新しいメンバー',
	'Someone is new until both are reached: their posts with links wait for review.': '両方に達するまでは新しいメンバーとして扱い、リンクを含む投稿は確認待ちになります。',
	'Visible posts': '公開された投稿数',
	'Hours since joining': '登録からの時間',
	'Most links in anyone’s post before it waits for review': '確認待ちにならずに 1 件の投稿に含められるリンクの数',
	'Questions and answers per hour': '1 時間あたりの質問と回答',
	'After a few of their posts were upvoted or accepted.': '投稿がいくつか高評価または採用された人です。',
	'Trusted members': '信頼されたメンバー',
	'Held words': '保留する語句',
	'Posts containing any of these wait for review': 'これらを含む投稿は確認待ちになります',
	'One per line, at most {{n}}. Case and full- or half-width letters do not matter; Japanese entries match inside longer text.':
		'1 行に 1 つ、{{n}} 個まで。大文字と小文字、全角と半角は区別しません。日本語の語句は文中のどこにあっても一致します。',
	'Enter a whole number from {{n0}} to {{n1}}': '{{n0}} から {{n1}} までの整数を入力してください',
	'Use at most {{n0}} entries of at most {{n1}} characters': '{{n1}} 文字以内の語句を {{n0}} 個までにしてください',
	'Use at most {{n0}} entries': '{{n0}} 個までにしてください',
	'Each entry can have at most {{n0}} characters': '各語句は {{n0}} 文字以内にしてください',
}
