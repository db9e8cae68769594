/** Japanese UI strings for the help widget's insights (channels and host pages); keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	'By channel': 'チャネル別',
	'Where people looked for help: on the community site, or in the help widget inside the product.': 'ヘルプを探した場所：コミュニティサイト、またはプロダクト内のヘルプウィジェット。',
	Channel: 'チャネル',
	'Community site': 'コミュニティサイト',
	'Help widget (in the product)': 'ヘルプウィジェット（プロダクト内）',
	Escalated: 'エスカレーション',
	'Host pages': 'ホストページ',
	'Host pages for {{name}}': '{{name}} のホストページ',
	'Host page': 'ホストページ',
	'Where people need help in the product': 'プロダクトの中でヘルプが必要とされている場所',
	'Pages of your product where people opened the help widget, most help journeys first.': 'ヘルプウィジェットが開かれたプロダクトのページです。ヘルプジャーニーの多い順に表示します。',
	'Nobody opened the help widget for help in this period.': 'この期間にヘルプウィジェットでヘルプを求めた人はいません。',
	// Refusals of GET /api/v1/search
	'channel must be one of: community, widget': 'channel は community、widget のいずれかにしてください',
	'page (the host page) can have at most 2000 characters': 'page（ホストページ）は 2000 文字以内にしてください',
	'page must be the path of the host page, such as /settings/billing': 'page にはホストページのパス（例: /settings/billing）を指定してください',
}
