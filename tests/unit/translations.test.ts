import { describe, expect, it } from 'vitest'
import { checkTranslations, findProblems, type SourceFile } from '../../app/i18n/check/check'
import { translateRefusal } from '../../app/i18n/i18n'
import { mergeCatalogs } from '../../app/i18n/resources'

describe('the translation catalogs', () => {
	it('give every key used in the code English and Japanese, define each key once, and hold no unused key', () => {
		expect(checkTranslations(process.cwd())).toEqual([])
	})
})

const catalog = (path: string, entries: string) => ({ path, text: `export const ja: Record<string, string> = {\n${entries}\n}\n` })
const en = { path: 'app/i18n/en.ts', text: "export const en: Record<string, string> = {\n\t'role.admin': 'Admin',\n\t'{{count}} votes_one': '{{count}} vote',\n\t'{{count}} votes_other': '{{count}} votes',\n}\n" }
const jaBase = "\t'role.admin': '管理者',\n\t'{{count}} votes_other': '{{count}} 票',\n\t'Ask': '質問する',"
const code = (text: string): SourceFile => ({ path: 'app/routes/page.tsx', text })
const uses = "const { t } = useTranslation(); t('Ask'); t(`role.${role}`); t('{{count}} votes', { count })"

describe('the translation check', () => {
	it('passes code and catalogs that agree', () => {
		expect(findProblems({ sources: [code(uses)], en, ja: [catalog('app/i18n/ja-a.ts', jaBase)] })).toEqual([])
	})

	it('names a key used in a component that has no Japanese', () => {
		const problems = findProblems({ sources: [code(`${uses}; t('Cancel')`)], en, ja: [catalog('app/i18n/ja-a.ts', jaBase)] })
		expect(problems).toEqual(['"Cancel" (used in app/routes/page.tsx) has no Japanese'])
	})

	it('names a refusal written on the server that has no Japanese', () => {
		const server = { path: 'app/x/x.server.ts', text: "throw new DomainError('invalid', 'Pick a colour'); notFound(kind === 'faq' ? 'FAQ' : 'Question'); z.string().min(3, 'Too short')" }
		const problems = findProblems({ sources: [code(uses), server], en, ja: [catalog('app/i18n/ja-a.ts', jaBase)] })
		expect(problems).toEqual([
			'"Pick a colour" (used in app/x/x.server.ts) has no Japanese',
			'"FAQ not found" (used in app/x/x.server.ts) has no Japanese',
			'"Question not found" (used in app/x/x.server.ts) has no Japanese',
			'"Too short" (used in app/x/x.server.ts) has no Japanese',
		])
	})

	it('names plural forms and names without English or Japanese', () => {
		const problems = findProblems({ sources: [code(`${uses}; t('{{count}} views', { count }); t('type.faq')`)], en, ja: [catalog('app/i18n/ja-a.ts', jaBase)] })
		expect(problems).toEqual([
			'"{{count}} views_one" (plural of a key used in app/routes/page.tsx) has no English',
			'"{{count}} views_other" (plural of a key used in app/routes/page.tsx) has no English',
			'"{{count}} views_other" (plural of a key used in app/routes/page.tsx) has no Japanese',
			'"type.faq" (used in app/routes/page.tsx) has no English',
			'"type.faq" (used in app/routes/page.tsx) has no Japanese',
		])
	})

	it('names a key defined twice, within one file or across two', () => {
		const twiceInOne = findProblems({ sources: [code(uses)], en, ja: [catalog('app/i18n/ja-a.ts', `${jaBase}\n\tAsk: '聞く',`)] })
		expect(twiceInOne).toEqual(['"Ask" is defined 2 times: ja-a.ts:4, ja-a.ts:5'])
		const acrossTwo = findProblems({ sources: [code(uses)], en, ja: [catalog('app/i18n/ja-a.ts', jaBase), catalog('app/i18n/ja-b.ts', "\t'Ask': '聞く',")] })
		expect(acrossTwo).toEqual(['"Ask" is defined 2 times: ja-a.ts:4, ja-b.ts:2'])
	})

	it('names a key that nothing uses, but counts keys built from templates and labels kept in tables', () => {
		const unused = findProblems({ sources: [code(uses)], en, ja: [catalog('app/i18n/ja-a.ts', `${jaBase}\n\t'Old label': '古いラベル',`)] })
		expect(unused).toEqual(['"Old label" (ja-a.ts:5) is used nowhere'])
		const labels = code(`${uses}; const labels = { old: 'Old label' }; t(labels[kind])`)
		expect(findProblems({ sources: [labels], en, ja: [catalog('app/i18n/ja-a.ts', `${jaBase}\n\t'Old label': '古いラベル',`)] })).toEqual([])
		const withoutTemplate = code("t('Ask'); t('{{count}} votes', { count })")
		expect(findProblems({ sources: [withoutTemplate], en, ja: [catalog('app/i18n/ja-a.ts', jaBase)] })).toEqual([
			'"role.admin" (en.ts:2) is used nowhere',
			'"role.admin" (ja-a.ts:2) is used nowhere',
		])
	})

	it('names a translation that drops or renames a placeholder', () => {
		const problems = findProblems({ sources: [code(uses)], en, ja: [catalog('app/i18n/ja-a.ts', jaBase.replace('{{count}} 票', '{{n}} 票'))] })
		expect(problems).toEqual(['"{{count}} votes_other" (ja-a.ts:3) does not use the same {{placeholders}} as its English'])
	})
})

describe('joining the catalogs of each area', () => {
	it('refuses a key that two areas define, instead of letting the later one win', () => {
		expect(() => mergeCatalogs({ 'ja-a': { Draft: '下書き' }, 'ja-b': { Draft: 'ドラフト' } })).toThrow('Translation key "Draft" is defined in both ja-a and ja-b')
	})
})

describe('refusals in the reader’s language', () => {
	it('translates whole messages, the field in front, a head with values, and numbers filled in', () => {
		expect(translateRefusal('ja', 'The request body is not valid JSON')).toBe('リクエストの本文が正しい JSON ではありません')
		expect(translateRefusal('ja', 'title: The title can have at most 150 characters')).toBe('title: タイトルは150文字以内にしてください')
		expect(translateRefusal('ja', 'Not a valid domain: nope, also nope')).toBe('有効なドメインではありません: nope, also nope')
		expect(translateRefusal('ja', 'The period can be at most 366 days')).toBe('期間は 366 日以内にしてください')
		expect(translateRefusal('ja', 'Too many searches from your network. Try again in 2 minutes.')).toBe('お使いのネットワークからの検索が多すぎます。2 分後にもう一度お試しください。')
	})

	it('leaves English as the server wrote it', () => {
		expect(translateRefusal('en', 'title: The title can have at most 150 characters')).toBe('title: The title can have at most 150 characters')
	})
})
