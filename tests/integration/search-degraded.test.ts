import net from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { db } from '../../db/client.server'
import { searchClicks } from '../../db/schema'
import { acceptAnswer, createAnswer, createQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { recordSearchClick } from '../../app/knowledge/feedback.server'
import { createFaq, setFaqPublished } from '../../app/knowledge/faqs.server'
import { faqSchema } from '../../app/knowledge/validation'
import { connectSearch } from '../../search/client.server'
import { rebuildFallback, rebuildFallbackStep } from '../../search/fallback.server'
import { searchContent } from '../../search/query.server'
import { person } from '../support/factories'
import { resetData } from '../support/reset'

const anonymous = { userId: null, visitorId: 'test-visitor', record: false }
const search = (q: string, extra: Partial<Parameters<typeof searchContent>[0]> = {}) => searchContent({ q, limit: 10, ...extra }, anonymous)
const indexPrefix = process.env.MEILI_INDEX_PREFIX ?? 'test_'
const realMeilisearch = new URL(process.env.MEILI_URL ?? 'http://127.0.0.1:7700')

/** The test clock of the circuit breaker: tests move it instead of sleeping. */
let clock = 1_000_000
const now = () => clock
/** The breaker's cooldown (search/client.server.ts). */
const COOLDOWN = 10_000

const servers: net.Server[] = []
const sockets = new Set<net.Socket>()
function listen(server: net.Server, port = 0): Promise<number> {
	servers.push(server)
	server.on('connection', (socket) => {
		sockets.add(socket)
		socket.on('close', () => sockets.delete(socket))
	})
	return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)))
}
async function closeAll() {
	for (const socket of sockets) socket.destroy()
	await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
}

/** A port nothing listens on (yet). */
async function closedPort(): Promise<number> {
	const probe = net.createServer()
	const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as net.AddressInfo).port)))
	await new Promise((resolve) => probe.close(resolve))
	return port
}

/** Accepts connections and never answers, like a hung Meilisearch; counts the connections. */
async function hangingServer() {
	const seen = { connections: 0 }
	const server = net.createServer(() => {
		seen.connections++
	})
	return { seen, port: await listen(server), server }
}

/** Forwards a port to the shared test Meilisearch: "Meilisearch is back". */
async function meilisearchOn(port: number) {
	const seen = { connections: 0 }
	const server = net.createServer((client) => {
		seen.connections++
		const upstream = net.connect(Number(realMeilisearch.port), realMeilisearch.hostname)
		client.pipe(upstream).pipe(client)
		upstream.on('error', () => client.destroy())
		client.on('error', () => upstream.destroy())
	})
	await listen(server, port)
	return seen
}

const searchOn = (port: number, queryTimeoutMs?: number) =>
	connectSearch({ url: `http://127.0.0.1:${port}`, masterKey: process.env.MEILI_MASTER_KEY, indexPrefix, now, queryTimeoutMs })

async function ask(title: string, body: string, tags = '') {
	return createQuestion(await person(), questionSchema.parse({ title, body, tags }))
}

const faq = (title: string, body: string, category: string, language: 'en' | 'ja' = 'en') => faqSchema.parse({ title, body, category, tags: 'billing', language })

describe('search while Meilisearch is unreachable', () => {
	beforeEach(async () => {
		await resetData()
		clock += 60_000
	})
	afterEach(async () => {
		connectSearch({ url: realMeilisearch.toString(), masterKey: process.env.MEILI_MASTER_KEY, indexPrefix })
		await closeAll()
	})

	it('finds English and Japanese questions and FAQs written during the outage, and never drafts', async () => {
		searchOn(await closedPort())
		const cs = await person('cs')
		const slack = await ask('Slack notifications stopped arriving', 'Since Monday our **Slack** channel gets no task notifications at all.', 'integrations')
		const invoices = await ask('請求書をPDFでダウンロードしたい', '経理チームが過去12か月分の請求書を監査のために必要としています。', 'billing')
		const card = await createFaq(cs, faq('クレジットカードの決済が失敗します', '3Dセキュア認証が完了していない場合、カード決済が失敗します。', '請求', 'ja'))
		await setFaqPublished(cs, card.id, true)
		const address = await createFaq(cs, faq('How do I change the invoice address?', 'Open **Settings → Billing** and edit the company address.', 'Billing'))
		await setFaqPublished(cs, address.id, true)
		const draft = await createFaq(cs, faq('Roadmap for quarterly invoicing', 'Quarterly invoicing ships next spring.', 'Billing'))

		const english = await search('Why did my Slack notifications stop?')
		expect(english.degraded).toBe(true)
		expect(english.hits[0]).toMatchObject({ id: slack.id, type: 'question', url: expect.stringMatching(`^/questions/${slack.id}/`) })
		expect(english.hits[0]!.snippet).toContain('<mark>')
		expect(english.hits[0]!.highlightedTitle).toContain('<mark>Slack</mark>')

		expect((await search('請求書をダウンロードする方法')).hits[0]).toMatchObject({ id: invoices.id, type: 'question' })
		expect((await search('決済')).hits.map((hit) => [hit.type, hit.id])).toEqual([['faq', card.id]])
		expect((await search('監査')).hits.map((hit) => hit.id)).toEqual([invoices.id])
		expect((await search('change invoice address')).hits[0]).toMatchObject({ type: 'faq', id: address.id, category: 'Billing' })

		expect((await search('roadmap quarterly')).total).toBe(0)
		await setFaqPublished(cs, draft.id, true)
		expect((await search('roadmap quarterly')).hits.map((hit) => hit.id)).toEqual([draft.id])
		await setFaqPublished(cs, draft.id, false)
		expect((await search('roadmap quarterly')).total).toBe(0)
	})

	it('filters, pages and counts facets like the index', async () => {
		const cs = await person('cs')
		const helper = await person()
		const solved: number[] = []
		for (let i = 1; i <= 23; i++) {
			const { id } = await ask(`Export board ${i} to a spreadsheet`, `Board number ${i} needs exporting for the weekly report.`, i % 2 === 0 ? 'reports' : 'export')
			if (i <= 4) {
				// Each answer its own text: the same text again would be held as spam.
				const answer = await createAnswer(helper, id, `Board menu, then Export, then CSV (board ${i}).`)
				if (i <= 2) {
					await acceptAnswer(cs, id, answer.id)
					solved.push(id)
				}
			}
		}
		const exportFaq = await createFaq(cs, faq('Export a board as a spreadsheet', 'Use the Export menu of the board.', 'Reports'))
		await setFaqPublished(cs, exportFaq.id, true)
		searchOn(await closedPort())

		const first = await search('export board', { limit: 10, offset: 0 })
		expect(first).toMatchObject({ degraded: true, total: 24 })
		expect(first.facets.type).toEqual({ question: 23, faq: 1 })
		expect(first.facets.tags).toMatchObject({ reports: 11, export: 12, billing: 1 })
		expect(first.facets.category).toEqual({ Reports: 1 })
		// Curated help wins a tie with community threads.
		expect(first.hits[0]).toMatchObject({ type: 'faq', id: exportFaq.id })
		const third = await search('export board', { limit: 10, offset: 20 })
		expect(third.hits).toHaveLength(4)
		const second = await search('export board', { limit: 10, offset: 10 })
		const seen = [...first.hits, ...second.hits, ...third.hits].map((hit) => `${hit.type}-${hit.id}`)
		expect(new Set(seen).size).toBe(24)
		expect((await search('export board', { limit: 10, offset: 30 })).hits).toEqual([])

		expect((await search('export board', { type: 'faq' })).hits.map((hit) => hit.id)).toEqual([exportFaq.id])
		expect((await search('export board', { tag: 'reports' })).total).toBe(11)
		expect((await search('export board', { status: 'solved', type: 'question' })).hits.map((hit) => hit.id).sort()).toEqual(solved.sort())
		expect((await search('export board', { status: 'answered', type: 'question' })).total).toBe(4)
		expect((await search('export board', { status: 'unanswered' })).total).toBe(19)
		expect((await search('export board', { category: 'Reports' })).hits.map((hit) => hit.id)).toEqual([exportFaq.id])
		// The ask form's suggestions: only what already answers something.
		const suggestions = await search('export board', { answersOnly: true, facets: false })
		expect(suggestions.hits.map((hit) => `${hit.type}-${hit.id}`).sort()).toEqual([`faq-${exportFaq.id}`, ...solved.map((id) => `question-${id}`)].sort())
		// As-you-type: the unfinished last word matches longer words.
		expect((await search('spreadsh', { facets: false })).hits.length).toBeGreaterThan(0)
		// An empty query lists everything, curated help first.
		const everything = await search('')
		expect(everything.total).toBe(24)
		expect(everything.hits[0]).toMatchObject({ type: 'faq', id: exportFaq.id })
	})

	it('lets words as common as stop words rank but not select, once PostgreSQL has statistics', async () => {
		const rare: number[] = []
		for (let i = 1; i <= 30; i++) {
			const { id } = await ask(`Slack channel message number ${i}`, i === 7 ? 'The zebra emoji is missing from Slack.' : `Slack posts arrive late, case ${i}.`)
			if (i === 7) rare.push(id)
		}
		await db.execute(sql`analyze search_fallback`)
		searchOn(await closedPort())
		expect((await search('zebra in slack')).hits.map((hit) => hit.id)).toEqual(rare)
		// Only common words: the rarest of them still selects.
		expect((await search('slack')).total).toBe(30)
	})

	it('records the search, so clicks and "this solved my problem" refer to it', async () => {
		const { id } = await ask('Calendar shows the wrong holidays', 'Japanese public holidays are missing from the sprint calendar.')
		searchOn(await closedPort())
		const result = await searchContent({ q: 'holidays calendar', limit: 5 }, { userId: null, visitorId: 'v', record: true })
		expect(result.degraded).toBe(true)
		await recordSearchClick({ actor: null, visitorId: 'v' }, result.searchId, { hitId: id })
		const [click] = await db.select().from(searchClicks).where(eq(searchClicks.searchId, result.searchId))
		expect(click).toMatchObject({ hitId: id, hitType: 'question', position: 0 })
	})

	it('waits on a hanging Meilisearch once, then skips it until the cooldown is over, and returns to it when it answers', async () => {
		const { id } = await ask('Slack notifications stopped arriving', 'Our Slack channel gets no task notifications.')
		await runPendingJobs()
		const hanging = await hangingServer()
		searchOn(hanging.port, 200)

		const started = performance.now()
		expect((await search('slack notifications')).degraded).toBe(true)
		expect(performance.now() - started).toBeLessThan(5_000)
		const tried = hanging.seen.connections
		expect(tried).toBeGreaterThan(0)
		for (let i = 0; i < 5; i++) expect(await search('slack notifications')).toMatchObject({ degraded: true, hits: [expect.objectContaining({ id })] })
		expect(hanging.seen.connections).toBe(tried)

		// Meilisearch comes back on the same address: searches return to it once the cooldown is over.
		await closeAll()
		const back = await meilisearchOn(hanging.port)
		clock += COOLDOWN - 1
		expect((await search('slack notifications')).degraded).toBe(true)
		expect(back.connections).toBe(0)
		clock += 1
		// Only Meilisearch has typo tolerance: this finds the question only when Meilisearch answers.
		const recovered = await search('slak notifcations')
		expect(recovered).toMatchObject({ degraded: false, hits: [expect.objectContaining({ id })] })
		expect(back.connections).toBeGreaterThan(0)
	})

	it('never keeps a degraded page as a normal one', async () => {
		const { id } = await ask('Slack notifications stopped arriving', 'Our Slack channel gets no task notifications.')
		await runPendingJobs()
		const port = await closedPort()
		searchOn(port)
		expect(await search('slak notifcations')).toMatchObject({ degraded: true, total: 0 })
		await meilisearchOn(port)
		clock += COOLDOWN
		expect(await search('slak notifcations')).toMatchObject({ degraded: false, hits: [expect.objectContaining({ id })] })
	})

	it('is built from the content after the upgrade that adds it, a step at a time, and by reindex', async () => {
		const gantt = await ask('Gantt chart hides weekends', 'The Gantt view skips Saturday and Sunday columns.')
		const cs = await person('cs')
		const published = await createFaq(cs, faq('Gantt chart basics', 'Weekends can be shown in the Gantt settings.', 'Planning'))
		await setFaqPublished(cs, published.id, true)
		await createFaq(cs, faq('Gantt weekends draft', 'Not yet.', 'Planning'))
		// As the migration leaves it: no rows yet, a build due.
		await db.execute(sql`delete from search_fallback`)
		await db.execute(sql`insert into search_fallback_state (id, done, next_type, next_id) values (1, false, 'question', 0)`)
		searchOn(await closedPort())
		expect((await search('gantt weekends')).total).toBe(0)
		let steps = 0
		while (!(await rebuildFallbackStep(1))) steps++
		expect(steps).toBeGreaterThan(1)
		expect((await search('gantt weekends')).hits.map((hit) => `${hit.type}-${hit.id}`).sort()).toEqual([`faq-${published.id}`, `question-${gantt.id}`])
		expect(await rebuildFallbackStep()).toBe(true)

		await db.execute(sql`delete from search_fallback`)
		expect(await rebuildFallback()).toBe(2)
		expect((await search('gantt weekends')).total).toBe(2)
	})
})
