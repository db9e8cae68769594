import { beforeEach, describe, expect, it } from 'vitest'
import { db } from '../../db/client.server'
import { seedDemoContent } from '../../app/demo/seed.server'
import { demoQuestions } from '../../app/demo/content'
import { connectSearch } from '../../search/client.server'
import { cachedSearch, indexChanged } from '../../search/cache.server'
import { MAX_QUERY_TERMS, searchContent, weightedTerms } from '../../search/query.server'
import { reindexAll } from '../../search/sync.server'
import { acceptAnswer, createAnswer, createQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { discardJobs, listJobs } from '../../db/queue.server'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { createFaq, setFaqPublished } from '../../app/knowledge/faqs.server'
import { faqSchema } from '../../app/knowledge/validation'
import { person, question } from '../support/factories'
import { resetData } from '../support/reset'
import { meilisearchRequests } from '../../app/utils/metrics.server'

const anonymous = { userId: null, visitorId: 'test-visitor', record: false }
const search = (q: string, extra: Partial<Parameters<typeof searchContent>[0]> = {}) => searchContent({ q, limit: 10, ...extra }, anonymous)

async function ask(title: string, body: string, tags = '') {
	const asker = await person()
	return createQuestion(asker, questionSchema.parse({ title, body, tags }))
}

describe('search', () => {
	beforeEach(resetData)

	it('finds a new question once its index task has run, with highlighted snippets', async () => {
		const { id } = await ask('Slack notifications stopped arriving', 'Since Monday our **Slack** channel gets no task notifications.', 'integrations')
		expect((await listJobs('search-index')).map((job) => job.state)).toEqual(['created'])
		await runPendingJobs()
		expect((await listJobs('search-index')).map((job) => job.state)).toEqual(['completed'])
		const result = await search('slack notifications')
		expect(result.hits[0]).toMatchObject({ id, type: 'question', externalId: null, url: expect.stringMatching(`^/questions/${id}/`) })
		expect(result.hits[0]!.snippet).toContain('<mark>')
		expect(result.facets.type).toEqual({ question: 1 })
		// As-you-type suggestions skip the counts, not the results.
		const suggested = await search('slack notifications', { facets: false })
		expect(suggested.hits.map((hit) => hit.id)).toEqual(result.hits.map((hit) => hit.id))
		expect(suggested.facets.type).toEqual({})
	})

	it('keeps Meilisearch’s counts when the main query found more than the re-ranked window: one word’s hits are already among them', async () => {
		const cs = await person('cs')
		// 55 threads have both words, 8 only "quokka" (in their title), 20 only "wombat". Meilisearch drops the more
		// frequent "wombat" and counts 63; "quokka" on its own ranks the 8 first, while the whole query puts them
		// after the 55, outside the window of 50 hits: they are among the 63 already.
		for (let i = 0; i < 55; i++) await question(cs, { title: `Board number ${i} settings`, body: `The quokka wombat case number ${i} of many.` })
		for (let i = 0; i < 8; i++) await question(cs, { title: `Quokka export ${i} fails`, body: `Another case number ${i}, nothing more.` })
		for (let i = 0; i < 20; i++) await question(cs, { title: `Timeline number ${i} colours`, body: `Only a wombat case number ${i} here.` })
		await runPendingJobs()
		const result = await search('quokka wombat')
		expect(result.total).toBe(63)
		expect(result.facets.type).toEqual({ question: 63 })
	})

	it('counts facets over the results listed, including those only one word of a long question found', async () => {
		const cs = await person('cs')
		const faq = await createFaq(cs, faqSchema.parse({ title: 'Invoice address', body: 'Change the invoice address under Billing.', tags: 'billing', language: 'en' }))
		await setFaqPublished(cs, faq.id, true)
		await ask('Invoice is missing the VAT number', 'Our invoice has no VAT number on it.', 'billing, tax')
		await ask('Invoice arrives twice every month', 'We get every invoice two times.', 'billing')
		await ask('Password reset mail never comes', 'I asked for a password reset but got nothing.', 'account')
		await runPendingJobs()
		const result = await search('why is my invoice password not working')
		const listed = (pick: (hit: (typeof result.hits)[number]) => Array<string | null>) => {
			const counts: Record<string, number> = {}
			for (const value of result.hits.flatMap(pick)) if (value) counts[value] = (counts[value] ?? 0) + 1
			return counts
		}
		expect(result.hits.length).toBe(4)
		expect(result.total).toBe(4)
		expect(result.facets.type).toEqual(listed((hit) => [hit.type]))
		expect(result.facets.type).toEqual({ faq: 1, question: 3 })
		expect(result.facets.tags).toEqual(listed((hit) => hit.tags))
	})

	it('computes a search asked again while it is being computed once, and again after the index changed', async () => {
		let computations = 0
		const compute = async () => {
			computations++
			await new Promise((resolve) => setTimeout(resolve, 50))
			return { computation: computations }
		}
		const [first, second] = await Promise.all([cachedSearch('same search', null, compute), cachedSearch('same search', null, compute)])
		expect(computations).toBe(1)
		expect(second).toBe(first)
		indexChanged()
		const [third, fourth] = await Promise.all([cachedSearch('same search', null, compute), cachedSearch('same search', null, compute)])
		expect(computations).toBe(2)
		expect(third).toEqual({ computation: 2 })
		expect(fourth).toBe(third)
		expect(await cachedSearch('same search', [['other', 'synonyms']], compute)).toEqual({ computation: 3 })
	})

	it('asks Meilisearch once for a new question (its candidates, its words’ own and its terms’ counts) and once for the text of the page shown', async () => {
		await ask('Exporting invoices to CSV', 'The export button is greyed out for our invoices.')
		await ask('請求書をCSVでエクスポートしたい', '請求書の画面でエクスポートのボタンが押せません。')
		await runPendingJobs()
		const requests = async () => Object.fromEntries((await meilisearchRequests.get()).values.map(({ labels, value }) => [labels.operation, value]))
		for (const q of ['how do I export our invoices as csv', '請求書をCSVでエクスポートする方法を教えてください']) {
			const before = await requests()
			const result = await search(q)
			const after = await requests()
			expect(result.hits.length).toBeGreaterThan(0)
			expect({ search: (after.search ?? 0) - (before.search ?? 0), documents: (after.documents ?? 0) - (before.documents ?? 0) }).toEqual({ search: 1, documents: 1 })
		}
	})

	it('finds what a long question is about when its background comes first: Meilisearch reads only ten words', async () => {
		for (let n = 1; n <= 12; n++) await ask(`Team lead asked about month ${n} report`, 'My colleague took over last month and the team lead asked me yesterday about the monthly report.')
		const { id } = await ask('Invoice address is wrong on the PDF', 'The address printed on our invoices is the old office.')
		await runPendingJobs()
		const question = 'my colleague took over last month and yesterday the team lead asked me, since i am new here and still learning, how do i change the invoice address'
		expect((await search(question)).hits[0]).toMatchObject({ id, type: 'question' })
	})

	it('weighs a bounded number of terms of a long pasted question, the words typed before their readings and kanji, and still answers it', async () => {
		const { id } = await ask('ゲストの招待と権限の種類', 'ゲストを招待するときに選べる権限の種類を知りたいです。')
		await runPendingJobs()
		const pasted =
			'プロジェクト管理ツールの導入を検討していて、請求書の宛名、領収書の発行、支払方法の変更、クレジットカードの更新、年間契約から月額契約への切り替え、ライセンス数の追加と削減、退職者のアカウント削除、二段階認証の設定、シングルサインオンの構成、監査ログの閲覧、データのエクスポートとインポート、ガントチャートの共有、カレンダー連携、通知の停止、モバイルアプリの不具合、障害情報の確認方法、見積書の作成、消費税の扱い、テンプレートの保存、ボードの複製、ゲストの招待、権限の種類について、まとめて教えていただけますか。'
		const weights = weightedTerms([pasted])
		expect(weights.size).toBe(MAX_QUERY_TERMS)
		expect(weights.get('ゲスト')).toBe(1)
		expect((await search(pasted)).hits.map((hit) => hit.id)).toContain(id)
	})

	it('tolerates typos', async () => {
		const { id } = await ask('Download invoices as PDF', 'Where are past invoices for our finance audit?')
		await runPendingJobs()
		expect((await search('invocies pdf')).hits[0]?.id).toBe(id)
	})

	it('searches Japanese text', async () => {
		const { id } = await ask('請求書の宛名を変更したい', '経理から請求書の宛名を正式な会社名に変更してほしいと依頼がありました。')
		await ask('二段階認証のコードが届きません', '機種変更後に認証アプリのコードが使えなくなりました。')
		await runPendingJobs()
		const result = await search('請求書')
		expect(result.hits.map((h) => h.id)).toEqual([id])
		expect((await search('宛名 変更')).hits[0]?.id).toBe(id)
	})

	it('filters by tag and by solved', async () => {
		const asker = await person()
		const helper = await person()
		const solved = await createQuestion(asker, questionSchema.parse({ title: 'Export board as CSV file', body: 'How to export a board as CSV?', tags: 'import-export' }))
		await ask('Export board as PDF file', 'How to export a board as PDF?', 'reports')
		const answer = await createAnswer(helper, solved.id, 'Board menu → Export → CSV')
		await acceptAnswer(asker, solved.id, answer.id)
		await runPendingJobs()
		expect((await search('export board')).total).toBe(2)
		expect((await search('export board', { status: 'solved' })).hits.map((h) => h.id)).toEqual([solved.id])
		expect((await search('export board', { tag: 'reports' })).hits).toHaveLength(1)
		expect((await search('export board', { status: 'unanswered' })).hits).toHaveLength(1)
	})

	it('loses no update while Meilisearch is down, and catches up once it answers', async () => {
		const realUrl = process.env.MEILI_URL!
		connectSearch({ url: 'http://127.0.0.1:9', masterKey: 'nope', indexPrefix: process.env.MEILI_INDEX_PREFIX ?? 'test_' })
		try {
			const { id } = await ask('Calendar shows the wrong holidays', 'Japanese public holidays are missing from the sprint calendar.')
			const outcome = await runPendingJobs()
			expect(outcome.failed).toEqual([expect.objectContaining({ queue: 'search-index', data: { type: 'question', id }, final: false })])
			const [job] = await listJobs('search-index')
			expect(job).toMatchObject({ state: 'retry', output: { message: expect.any(String) } })
			// Retried with backoff, not at once.
			expect(job!.startAfter.getTime()).toBeGreaterThan(Date.now())
		} finally {
			connectSearch({ url: realUrl, masterKey: process.env.MEILI_MASTER_KEY, indexPrefix: process.env.MEILI_INDEX_PREFIX ?? 'test_' })
		}
		expect(await runPendingJobs()).toMatchObject({ failed: [] })
		expect((await search('holidays calendar')).total).toBe(1)
	})

	it('rebuilds the index from the database', async () => {
		await seedDemoContent()
		await discardJobs('search-index')
		expect((await search('')).total).toBe(0)
		const result = await reindexAll()
		expect(result.question).toBe(demoQuestions.length)
		expect((await search('')).total).toBe(result.question + result.faq + result.tutorial)
		expect(result.tutorial).toBeGreaterThan(0)
		expect((await search('invoice')).total).toBeGreaterThan(0)
	})
})
