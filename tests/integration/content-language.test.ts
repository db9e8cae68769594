import { beforeEach, describe, expect, it } from 'vitest'
import { asc, eq } from 'drizzle-orm'
import { db } from '../../db/client.server'
import { answers, faqRevisions, faqs, questions } from '../../db/schema'
import { createAnswer, createQuestion, getQuestionThread, listQuestions, updateAnswer, updateQuestion } from '../../app/community/questions.server'
import { answerSchema, questionSchema } from '../../app/community/validation'
import { createCategory, setCategoryTranslation } from '../../app/knowledge/faq-categories.server'
import { createFaq, createFaqTranslation, faqCategoryPage, faqHighlights, faqOverview, getFaqPage, restoreFaqRevision, setFaqPublished, updateFaq } from '../../app/knowledge/faqs.server'
import { createTutorial, createTutorialTranslation, getTutorial, onboardingChecklist, updateTutorial } from '../../app/knowledge/tutorials.server'
import { linkTranslation, translationGroup, translationsOf, unlinkTranslation } from '../../app/knowledge/translations.server'
import { categoryTranslationSchema, faqSchema, tutorialSchema } from '../../app/knowledge/validation'
import { importContent } from '../../app/knowledge/import.server'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { searchContent } from '../../search/query.server'
import { fallbackSearch } from '../../search/fallback.server'
import { apiLanguageScope, pageLanguageScope } from '../../app/utils/content-language'
import { person } from '../support/factories'
import { refusal } from '../support/refusal'
import { DomainError } from '../../app/utils/errors.server'
import { loader as searchPage } from '../../app/routes/search'
import { resetData } from '../support/reset'

const anonymous = { userId: null, visitorId: 'v', record: false }
const ask = (title: string, body: string, extra: Record<string, unknown> = {}) => questionSchema.parse({ title, body, ...extra })
const faq = (title: string, language: 'en' | 'ja', extra: Record<string, unknown> = {}) => faqSchema.parse({ title, body: `${title} The answer is in the settings.`, language, ...extra })
const tutorial = (title: string, language: 'en' | 'ja') =>
	tutorialSchema.parse({ title, summary: `${title}.`, estimatedMinutes: '5', phase: 'onboarding', language, published: 'on', steps: [{ title: 'First', body: 'Do this.' }] })

async function publishedFaq(cs: Awaited<ReturnType<typeof person>>, title: string, language: 'en' | 'ja', extra: Record<string, unknown> = {}) {
	const made = await createFaq(cs, faq(title, language, extra))
	await setFaqPublished(cs, made.id, true)
	return made
}

describe('content language', () => {
	beforeEach(resetData)

	it('detects a question’s and an answer’s language, and the author can change it', async () => {
		const cs = await person('cs')
		const english = await createQuestion(cs, ask('How do I export a board?', 'I need a CSV of the board.'))
		const japanese = await createQuestion(cs, ask('ボードを書き出すには？', 'CSV で書き出したいです。'))
		const chosen = await createQuestion(cs, ask('Slack の通知 settings', 'Where are they?', { language: 'en' }))
		const language = async (id: number) => (await getQuestionThread(id, null)).language
		expect(await language(english.id)).toBe('en')
		expect(await language(japanese.id)).toBe('ja')
		expect(await language(chosen.id)).toBe('en')

		await updateQuestion(cs, english.id, ask('How do I export a board?', 'I need a CSV of the board.', { language: 'ja' }))
		expect(await language(english.id)).toBe('ja')
		// An edit that names no language keeps the question's.
		await updateQuestion(cs, english.id, ask('How do I export a whole board?', 'I need a CSV of the board.'))
		expect(await language(english.id)).toBe('ja')

		const answer = await createAnswer(cs, japanese.id, answerSchema.parse({ body: 'メニューから書き出せます。' }))
		const answerLanguage = async () => (await db.select({ language: answers.language }).from(answers).where(eq(answers.id, answer.id)))[0]!.language
		expect(await answerLanguage()).toBe('ja')
		await updateAnswer(cs, answer.id, answerSchema.parse({ body: 'Use the menu: Export.', language: 'en' }))
		expect(await answerLanguage()).toBe('en')
		expect(() => questionSchema.parse({ title: 'A good title', body: 'A long enough body', language: 'fr' })).toThrow('Choose English or Japanese')
	})

	it('lists the reader’s language, or every language with the reader’s first', async () => {
		const cs = await person('cs')
		const en = await createQuestion(cs, ask('How do I archive a board?', 'Archiving old boards.'))
		const ja = await createQuestion(cs, ask('ボードをアーカイブするには？', '古いボードを片付けたいです。'))
		const en2 = await createQuestion(cs, ask('How do I rename a board?', 'Renaming boards.'))
		const ids = async (languages: Parameters<typeof listQuestions>[0]['languages']) => (await listQuestions({ sort: 'newest', page: 1, languages })).items.map((q) => q.id)
		expect(await ids({ language: 'en', all: false })).toEqual([en2.id, en.id])
		expect(await ids({ language: 'ja', all: false })).toEqual([ja.id])
		expect(await ids({ language: 'ja', all: true })).toEqual([ja.id, en2.id, en.id])
		// The API's default: every language, newest first, as before.
		expect(await ids(apiLanguageScope(undefined))).toEqual([en2.id, ja.id, en.id])
		expect(await ids(apiLanguageScope('ja'))).toEqual([ja.id])

		expect(pageLanguageScope(new URL('http://x/questions'), 'ja')).toEqual({ language: 'ja', all: false })
		expect(pageLanguageScope(new URL('http://x/questions?lang=all'), 'ja')).toEqual({ language: 'ja', all: true })
		expect(pageLanguageScope(new URL('http://x/questions?lang=xx'), 'en')).toEqual({ language: 'en', all: false })
	})

	it('names categories in the reader’s language and filters FAQs and the checklist by it', async () => {
		const cs = await person('cs')
		const category = await createCategory(cs, { name: 'Billing', description: 'Invoices' })
		await setCategoryTranslation(cs, category.id, categoryTranslationSchema.parse({ language: 'ja', name: '請求', description: '請求書' }))
		const en = await publishedFaq(cs, 'Where are my invoices?', 'en', { category: 'Billing' })
		const ja = await publishedFaq(cs, '請求書はどこですか？', 'ja', { category: 'Billing' })

		const japanese = await faqOverview(null, { reader: 'ja', languages: { language: 'ja', all: false } })
		expect(japanese.groups.map((g) => [g.category?.name, g.faqs.map((f) => f.id)])).toEqual([['請求', [ja.id]]])
		const english = await faqOverview(null, { reader: 'en', languages: { language: 'en', all: true } })
		expect(english.groups.map((g) => [g.category?.name, g.faqs.map((f) => f.id)])).toEqual([['Billing', [en.id, ja.id]]])
		expect((await faqCategoryPage(category.slug, null, { reader: 'ja', languages: { language: 'ja', all: false } })).category.name).toBe('請求')
		expect((await getFaqPage(en.id, null, 'ja')).category?.name).toBe('請求')
		const home = await faqHighlights({ reader: 'ja', languages: { language: 'ja', all: false }, limit: 5 })
		expect(home.categories).toEqual([expect.objectContaining({ name: '請求', count: 1 })])
		expect(home.popular.map((f) => f.id)).toEqual([ja.id])

		// An empty name removes the translation: the category's own name applies again.
		await setCategoryTranslation(cs, category.id, categoryTranslationSchema.parse({ language: 'ja', name: '', description: '' }))
		expect((await getFaqPage(en.id, null, 'ja')).category?.name).toBe('Billing')
		expect((await refusal(setCategoryTranslation(await person('member'), category.id, categoryTranslationSchema.parse({ language: 'ja', name: '請求' })))).code).toBe('forbidden')

		await createTutorial(cs, tutorial('Create your first board', 'en'))
		await createTutorial(cs, tutorial('最初のボードを作る', 'ja'))
		const learner = await person()
		expect((await onboardingChecklist(learner.id, { language: 'ja', all: false })).map((t) => t.title)).toEqual(['最初のボードを作る'])
		expect((await onboardingChecklist(learner.id, { language: 'en', all: true })).map((t) => t.title)).toEqual(['Create your first board', '最初のボードを作る'])
	})

	it('makes, links and unlinks translations of FAQs and tutorials', async () => {
		const cs = await person('cs')
		const original = await publishedFaq(cs, 'How do I reset my password?', 'en')
		const made = await createFaqTranslation(cs, original.id, 'ja')
		expect(made.created).toBe(true)
		// The translation starts as a draft copy, linked to the original.
		const [draft] = await db.select().from(faqs).where(eq(faqs.id, made.id))
		expect(draft).toMatchObject({ language: 'ja', published: false, translationOfId: original.id, title: 'How do I reset my password?' })
		expect(await translationsOf('faq', original.id)).toEqual([])
		await setFaqPublished(cs, made.id, true)
		expect((await translationsOf('faq', original.id)).map((t) => [t.id, t.language])).toEqual([[made.id, 'ja']])
		expect((await translationsOf('faq', made.id)).map((t) => t.id)).toEqual([original.id])
		expect((await getFaqPage(made.id, null)).translations.map((t) => t.url)).toEqual([original.url])
		// Asking again opens the one that exists; its own language is refused.
		expect(await createFaqTranslation(cs, original.id, 'ja')).toMatchObject({ id: made.id, created: false })
		expect((await refusal(createFaqTranslation(cs, original.id, 'en'))).message).toBe('The article is already in this language')
		expect((await refusal(createFaqTranslation(await person('member'), original.id, 'ja'))).code).toBe('forbidden')

		await unlinkTranslation(cs, 'faq', original.id)
		expect(await translationsOf('faq', made.id)).toEqual([])
		const other = await publishedFaq(cs, 'パスワードを忘れました', 'ja')
		// Two Japanese versions of one article are refused.
		await linkTranslation(cs, 'faq', made.id, original.id)
		expect((await refusal(linkTranslation(cs, 'faq', other.id, original.id))).message).toBe('That article already has a version in this language')
		expect((await translationGroup('faq', other.id)).map((m) => m.id)).toEqual([other.id])

		const board = await createTutorial(cs, tutorial('Create your first board', 'en'))
		const copy = await createTutorialTranslation(cs, board.id, 'ja')
		const page = await getTutorial(copy.id, cs)
		expect(page).toMatchObject({ language: 'ja', published: false })
		expect(page.steps.map((s) => s.title)).toEqual(['First'])
		expect(page.group.map((m) => m.id).sort()).toEqual([board.id, copy.id].sort())
	})

	it('never gives one article two versions in a language: edits, restores, re-imports and links at the same moment are refused with a reason', async () => {
		const cs = await person('cs')
		const original = await publishedFaq(cs, 'How do I reset my password?', 'en')
		const translation = await createFaq(cs, faq('How do I reset my password? (draft)', 'en'))
		await updateFaq(cs, translation.id, faq('パスワードを再設定するには？', 'ja'))
		await linkTranslation(cs, 'faq', translation.id, original.id)
		// The original's translation_of_id is null, so the unique index alone would let the translation take English.
		expect((await refusal(updateFaq(cs, translation.id, faq('How do I reset my password? (2)', 'en')))).message).toBe('That article already has a version in this language')
		const [first] = await db.select({ id: faqRevisions.id }).from(faqRevisions).where(eq(faqRevisions.faqId, translation.id)).orderBy(asc(faqRevisions.id)).limit(1)
		const restored = await refusal(restoreFaqRevision(cs, translation.id, first!.id))
		expect([restored.code, restored.message]).toEqual(['conflict', 'That article already has a version in this language'])
		expect((await refusal(updateFaq(cs, original.id, faq('パスワード', 'ja')))).message).toBe('That article already has a version in this language')

		const board = await createTutorial(cs, tutorial('Create your first board', 'en'))
		const copy = await createTutorialTranslation(cs, board.id, 'ja')
		expect((await refusal(updateTutorial(cs, copy.id, tutorial('Create your first board again', 'en')))).message).toBe('That article already has a version in this language')

		await importContent({ faqs: [{ externalId: 'a', title: 'Change the plan', body: 'Under Billing.', language: 'en' }, { externalId: 'b', title: 'プランの変更', body: '請求から。', language: 'ja', translationOf: 'a' }] })
		const report = await importContent({ faqs: [{ externalId: 'b', title: 'Change the plan (copy)', body: 'Under Billing.', language: 'en' }] })
		expect(report.errors.map((error) => error.reason)).toEqual(['That article already has a version in this language'])

		// Two links into one group at the same moment: one wins, the other is told why (never a 500).
		const alone = await publishedFaq(cs, 'Invite people to a board', 'en')
		const [first1, second1] = [await publishedFaq(cs, 'ボードに招待する', 'ja'), await publishedFaq(cs, 'ボードへ人を招待する', 'ja')]
		const outcomes = await Promise.allSettled([linkTranslation(cs, 'faq', first1.id, alone.id), linkTranslation(cs, 'faq', second1.id, alone.id)])
		expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1)
		const rejected = outcomes.find((outcome) => outcome.status === 'rejected')!.reason as DomainError
		expect(rejected).toBeInstanceOf(DomainError)
		expect([rejected.code, rejected.message]).toEqual(['conflict', 'That article already has a version in this language'])
	})

	it('reads /search?lang= as the lists do: an unknown language is the reader’s', async () => {
		const cs = await person('cs')
		await publishedFaq(cs, 'password を再設定するには？', 'ja')
		await publishedFaq(cs, 'How do I reset my password?', 'en')
		await runPendingJobs()
		const page = async (query: string) => {
			const request = new Request(`http://kizuna.test/search?${query}`)
			return (await searchPage({ request, context: { actor: null, locale: 'ja', clientIp: '127.0.0.1', visitorId: 'v' }, params: {} } as never)) as {
				error: string | null
				result: { languages: unknown; hits: Array<{ language: string }> } | null
			}
		}
		const unknown = await page('q=password&lang=xx')
		expect(unknown.error).toBeNull()
		expect(unknown.result!.languages).toEqual({ language: 'ja', all: false })
		expect(unknown.result!.hits.map((hit) => hit.language)).toEqual(['ja'])
		expect((await page('q=password&lang=all')).result!.hits.map((hit) => hit.language).sort()).toEqual(['en', 'ja'])
	})

	it('lets only staff link and unlink translations', async () => {
		const cs = await person('cs')
		const member = await person('member')
		const en = await publishedFaq(cs, 'Archive a board', 'en')
		const ja = await publishedFaq(cs, 'ボードをアーカイブする', 'ja')
		expect((await refusal(linkTranslation(member, 'faq', ja.id, en.id))).code).toBe('forbidden')
		await linkTranslation(cs, 'faq', ja.id, en.id)
		expect((await refusal(unlinkTranslation(member, 'faq', ja.id))).code).toBe('forbidden')
		expect((await translationGroup('faq', en.id)).map((m) => m.id).sort()).toEqual([en.id, ja.id].sort())
	})

	it('shows one hit per translated article in search, in the reader’s version', async () => {
		const cs = await person('cs')
		const en = await publishedFaq(cs, 'How do I export invoices as CSV?', 'en')
		const ja = await publishedFaq(cs, '請求書を CSV export するには？', 'ja')
		await linkTranslation(cs, 'faq', ja.id, en.id)
		await createQuestion(cs, ask('CSV export of invoices fails', 'The export button does nothing.'))
		await createQuestion(cs, ask('請求書の CSV export が失敗します', 'ボタンを押しても何も起きません。'))
		await runPendingJobs()

		const titles = async (request: Parameters<typeof searchContent>[0]) => (await searchContent(request, anonymous)).hits.map((h) => [h.type, h.language, h.title])
		const all = await searchContent({ q: 'CSV export', limit: 10 }, anonymous)
		expect(all.hits.filter((h) => h.type === 'faq')).toHaveLength(2)
		expect(await titles({ q: 'CSV export', limit: 10, language: 'ja' })).toEqual(expect.arrayContaining([['faq', 'ja', '請求書を CSV export するには？']]))
		expect((await titles({ q: 'CSV export', limit: 10, language: 'ja' })).every(([, language]) => language === 'ja')).toBe(true)
		const english = await titles({ q: 'CSV export', limit: 10, language: 'en' })
		expect(english.map(([, language]) => language)).toEqual(['en', 'en'])
		// Every language for an English reader: the article once, in English.
		const preferred = await titles({ q: 'CSV export', limit: 10, preferLanguage: 'en' })
		expect(preferred.filter(([type]) => type === 'faq')).toEqual([['faq', 'en', 'How do I export invoices as CSV?']])
		// The version left out is not counted either: the page says what it lists.
		const counted = await searchContent({ q: 'CSV export', limit: 10, preferLanguage: 'en' }, anonymous)
		expect({ total: counted.total, faqs: counted.facets.type.faq }).toEqual({ total: counted.hits.length, faqs: 1 })
		expect(preferred.filter(([type]) => type === 'question')).toHaveLength(2)
		const japaneseReader = await titles({ q: 'CSV export', limit: 10, preferLanguage: 'ja' })
		expect(japaneseReader.filter(([type]) => type === 'faq')).toEqual([['faq', 'ja', '請求書を CSV export するには？']])
		// The PostgreSQL fallback filters by language too.
		const degraded = await fallbackSearch({ q: 'CSV export', limit: 10, language: 'en' }, ['CSV export'])
		expect(degraded.hits.map((h) => h.language)).toEqual(degraded.hits.map(() => 'en'))
		expect(degraded.hits.length).toBeGreaterThan(0)
	})

	it('imports translationOf, refusing an unknown original with a clear reason', async () => {
		const report = await importContent({
			faqs: [
				{ externalId: 'f-en', title: 'How do I change my plan?', body: 'Settings → Billing → Plan.', language: 'en', published: true },
				{ externalId: 'f-ja', translationOf: 'f-en', title: 'プランを変更するには？', body: '設定 → 請求 → プラン。', language: 'ja', published: true },
				{ externalId: 'f-x', translationOf: 'missing', title: 'プランを解約するには？', body: '設定 → 請求。', language: 'ja', published: true },
				{ externalId: 'f-ja2', translationOf: 'f-ja', title: 'プランを変えたい', body: '設定 → 請求 → プラン。', language: 'ja', published: true },
			],
			tutorials: [
				{ externalId: 't-ja', title: 'ボードを作る', summary: 'ボードを作ります。', language: 'ja', steps: [{ title: '作る', body: '作ります。' }] },
				{ externalId: 't-en', translationOf: 't-ja', title: 'Create a board', summary: 'Make a board.', language: 'en', steps: [{ title: 'Make it', body: 'Make it.' }] },
			],
			questions: [{ externalId: 'q-1', title: 'Question in English?', body: 'This body is long enough.', language: 'ja' }],
		})
		expect(report.faqs).toEqual({ created: 2, updated: 0, invalid: 2 })
		expect(report.errors).toEqual([
			{ section: 'faqs', index: 2, reason: 'translationOf: no FAQ with the externalId "missing" (import the original first, or earlier in the file)' },
			{ section: 'faqs', index: 3, reason: 'That article already has a version in this language' },
		])
		const [en] = await db.select().from(faqs).where(eq(faqs.externalId, 'f-en'))
		const [ja] = await db.select().from(faqs).where(eq(faqs.externalId, 'f-ja'))
		expect(ja!.translationOfId).toBe(en!.id)
		expect(report.tutorials).toEqual({ created: 2, updated: 0, invalid: 0 })
		const [question] = await db.select({ language: questions.language }).from(questions).where(eq(questions.externalId, 'q-1'))
		expect(question!.language).toBe('ja')
		await runPendingJobs()
	})
})
