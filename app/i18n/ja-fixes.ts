/** Japanese for the fixes of issue 15: tags, duplicates in lists, sign-in prompts, the duplicate picker, revision diffs. */
export const ja: Record<string, string> = {
	'Up to 5, separated by commas; spaces inside a tag become hyphens, e.g. billing, team invites (the tag team-invites)': 'カンマ区切りで5つまで。タグ内のスペースはハイフンになります（例：billing, team invites → タグ team-invites）',
	'Sign in to vote up': 'ログインして高評価する',
	'Sign in to vote down': 'ログインして低評価する',
	Duplicate: '重複',
	'Duplicate of: {{title}}': '重複先：{{title}}',
	'Type words from its title to pick a question or FAQ, or enter its number or link.': 'タイトルの語を入力して質問か FAQ を候補から選ぶか、番号またはリンクを入力してください。',
}
