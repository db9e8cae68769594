/** Japanese UI strings for this area; keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	'Search is running in a reduced mode; results may be less relevant.': '検索は縮退モードで動作しています。結果の関連性が低い場合があります。',
	// Search API parameters
	'type must be one of: question, faq, tutorial': 'type は question、faq、tutorial のいずれかにしてください',
	'status must be one of: solved, answered, unanswered': 'status は solved、answered、unanswered のいずれかにしてください',
	'limit must be between 1 and 50': 'limit は 1 から 50 までにしてください',
	'limit must be a number': 'limit は数値にしてください',
	'page must be between 1 and 100': 'page は 1 から 100 までにしてください',
	'page must be a number': 'page は数値にしてください',
	'The synonyms can have at most 50,000 characters': '同義語は50,000文字以内にしてください',
	'The stop words can have at most 20,000 characters': 'ストップワードは20,000文字以内にしてください',
}
