/** Japanese UI strings for this area; keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	'Search is running in a reduced mode; results may be less relevant.': '検索は縮退モードで動作しています。結果の関連性が低い場合があります。',
}
