/** Japanese UI strings for this area; keys are the English text (see resources.ts). */
export const ja: Record<string, string> = {
	Someone: 'だれか',
	'{{actor}} answered your question “{{title}}”': '{{actor}} さんがあなたの質問「{{title}}」に回答しました',
	'{{actor}} answered “{{title}}”, which you follow': '{{actor}} さんがフォロー中の質問「{{title}}」に回答しました',
	'Your answer to “{{title}}” was accepted': '「{{title}}」へのあなたの回答が解決策に選ばれました',
	'“{{title}}” is solved': '「{{title}}」が解決しました',
	'Your question was closed as a duplicate of “{{title}}”': 'あなたの質問は「{{title}}」の重複としてクローズされました',
	'Your question is answered in the FAQ “{{title}}”': 'あなたの質問は FAQ「{{title}}」で回答されています',
	'{{actor}} mentioned you in “{{title}}”': '{{actor}} さんが「{{title}}」であなたをメンションしました',
	'New question in a tag you follow: “{{title}}”': 'フォロー中のタグに新しい質問:「{{title}}」',
}
