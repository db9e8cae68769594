import { beforeEach, describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { db } from '../../db/client.server'
import { accounts, faqs, questions, users } from '../../db/schema'
import { assignMember, removeMember } from '../../app/accounts/accounts.server'
import { createAnswer, createQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { evaluateAlerts, openAlerts } from '../../app/insights/alerts.server'
import { recordEvent, type EventActor } from '../../app/insights/events.server'
import { buildJourneys } from '../../app/insights/journeys.server'
import { accountRows, summary, unansweredTopics, zeroResultQueries } from '../../app/insights/metrics.server'
import { insightsRequest, resolveRange } from '../../app/insights/range.server'
import { DomainError } from '../../app/utils/errors.server'
import { person } from '../support/factories'
import { resetData } from '../support/reset'

const DAY = '2026-05-10'
const at = (time: string) => new Date(`${DAY}T${time}:00Z`)
const visitor = (id: string): EventActor => ({ actor: null, visitorId: id })

async function frequencyOf(table: typeof questions | typeof faqs, id: number) {
	const [row] = await db.select({ frequency: table.frequency }).from(table).where(eq(table.id, id))
	return row!.frequency
}

async function settle() {
	await buildJourneys()
}

describe('help journeys and their figures', () => {
	beforeEach(resetData)

	async function content() {
		const asker = await person()
		const question = await createQuestion(asker, questionSchema.parse({ title: 'Export stops at 10,000 rows', body: 'The CSV export is cut off.' }))
		const [faq] = await db.insert(faqs).values({ title: 'How to export all rows', body: 'Use the API.', slug: 'export', published: true }).returning({ id: faqs.id })
		// The asker's posting happens today, outside the scripted day, and is no help journey.
		await settle()
		return { questionId: question.id, faqId: faq!.id }
	}

	it('groups events with no gap over 30 minutes and counts self-resolved, escalated and deflected journeys', async () => {
		const { questionId, faqId } = await content()
		const member = await person()
		const asker = await person()
		// A: finds the thread through search.
		await recordEvent(db, visitor('a'), { type: 'search', query: 'export cut off', resultCount: 2 }, at('09:00'))
		await recordEvent(db, visitor('a'), { type: 'result_click', targetType: 'question', targetId: questionId }, at('09:01'))
		// A again, 59 minutes later: a new journey that finds nothing.
		await recordEvent(db, visitor('a'), { type: 'search', query: 'Rechnung', resultCount: 0 }, at('10:00'))
		// B: opens the ask form, follows a suggested FAQ and leaves without asking.
		await recordEvent(db, { actor: member, visitorId: null }, { type: 'ask_form_opened' }, at('09:00'))
		await recordEvent(db, { actor: member, visitorId: null }, { type: 'suggestion_clicked', targetType: 'faq', targetId: faqId }, at('09:02'))
		await recordEvent(db, { actor: member, visitorId: null }, { type: 'content_view', targetType: 'faq', targetId: faqId }, at('09:02'))
		// C: searches, asks anyway; a view 25 minutes later is the same, escalated journey.
		await recordEvent(db, { actor: asker, visitorId: null }, { type: 'search', query: 'export', resultCount: 3 }, at('09:00'))
		await recordEvent(db, { actor: asker, visitorId: null }, { type: 'ask_form_opened' }, at('09:05'))
		await recordEvent(db, { actor: asker, visitorId: null }, { type: 'question_posted', targetType: 'question', targetId: questionId }, at('09:10'))
		await recordEvent(db, { actor: asker, visitorId: null }, { type: 'content_view', targetType: 'question', targetId: questionId }, at('09:35'))
		// D: only a vote, no search, ask form or view: not a help journey.
		await recordEvent(db, visitor('d'), { type: 'helpful', targetType: 'question', targetId: questionId }, at('09:00'))
		// E: reads the FAQ, searches in vain, then says the thread solved it: resolved on the voted item.
		await recordEvent(db, visitor('e'), { type: 'content_view', targetType: 'faq', targetId: faqId }, at('09:00'))
		await recordEvent(db, visitor('e'), { type: 'search', query: 'Reschnung?', resultCount: 0 }, at('09:20'))
		await recordEvent(db, visitor('e'), { type: 'helpful', targetType: 'question', targetId: questionId }, at('09:25'))
		// G: exactly 30 minutes apart is still one journey.
		await recordEvent(db, visitor('g'), { type: 'search', query: 'export', resultCount: 1 }, at('09:00'))
		await recordEvent(db, visitor('g'), { type: 'search', query: 'export rows', resultCount: 1 }, at('09:30'))
		await settle()

		const range = await resolveRange({ from: DAY, to: DAY })
		expect(await summary(range)).toMatchObject({
			journeys: 6,
			selfResolved: 3,
			escalated: 1,
			selfResolutionRate: 0.5,
			deflections: 1,
			searches: 6,
			zeroResultSearches: 2,
		})
		// 1 + journeys resolved on it (A by a click, E by a vote); the FAQ: 1 + B.
		expect(await frequencyOf(questions, questionId)).toBe(3)
		expect(await frequencyOf(faqs, faqId)).toBe(2)
	})

	it('places a late event in the journey it belongs to and rebuilds without double counting', async () => {
		const { questionId } = await content()
		await recordEvent(db, visitor('a'), { type: 'search', query: 'export', resultCount: 2 }, at('09:00'))
		await recordEvent(db, visitor('a'), { type: 'search', query: 'export again', resultCount: 2 }, at('09:50'))
		await settle()
		const range = await resolveRange({ from: DAY, to: DAY })
		expect(await summary(range)).toMatchObject({ journeys: 2, selfResolved: 0 })

		// Arrives later but happened at 09:25: it joins both runs into one resolved journey.
		await recordEvent(db, visitor('a'), { type: 'result_click', targetType: 'question', targetId: questionId }, at('09:25'))
		await settle()
		expect(await summary(range)).toMatchObject({ journeys: 1, selfResolved: 1 })
		expect(await frequencyOf(questions, questionId)).toBe(2)
		await settle()
		expect(await frequencyOf(questions, questionId)).toBe(2)
	})

	it('groups zero-result searches by their normalised text', async () => {
		await recordEvent(db, visitor('a'), { type: 'search', query: 'Reset  password?', resultCount: 0 }, at('09:00'))
		await recordEvent(db, visitor('b'), { type: 'search', query: 'reset password', resultCount: 0 }, at('11:00'))
		await recordEvent(db, visitor('c'), { type: 'search', query: 'パスワード　リセット', resultCount: 0 }, at('10:00'))
		await recordEvent(db, visitor('c'), { type: 'search', query: 'password', resultCount: 4 }, at('10:01'))
		await settle()
		expect(await zeroResultQueries(await resolveRange({ from: DAY, to: DAY }))).toEqual([
			{ query: 'reset password', count: 2, lastSeen: at('11:00').toISOString() },
			{ query: 'パスワード　リセット', count: 1, lastSeen: at('10:00').toISOString() },
		])
	})

	it('reports questions asked, answered within 24 hours and the median time to a first answer', async () => {
		const asker = await person()
		const helper = await person()
		const ask = async (title: string, askedAt: string) => {
			const { id } = await createQuestion(asker, questionSchema.parse({ title, body: 'Details of the problem.' }))
			await db.update(questions).set({ createdAt: new Date(askedAt) }).where(eq(questions.id, id))
			return id
		}
		const fast = await ask('Webhook retries are too slow', '2026-05-10T08:00:00Z')
		const slow = await ask('Invoice address cannot be changed', '2026-05-10T09:00:00Z')
		await ask('Dark mode for the mobile app', '2026-05-10T10:00:00Z')
		await createAnswer(helper, fast, 'Set the retry interval in Settings.')
		await createAnswer(helper, slow, 'Billing → Address.')
		await db.update(questions).set({ firstAnsweredAt: new Date('2026-05-10T08:30:00Z') }).where(eq(questions.id, fast))
		await db.update(questions).set({ firstAnsweredAt: new Date('2026-05-12T09:00:00Z') }).where(eq(questions.id, slow))

		const range = await resolveRange({ from: DAY, to: DAY })
		const figures = await summary(range)
		expect(figures).toMatchObject({ questionsAsked: 3, questionsAnswered: 2, medianFirstAnswerMinutes: (30 + 48 * 60) / 2 })
		expect(figures.answerRate24h).toBeCloseTo(1 / 3)
		expect((await unansweredTopics(range)).map((topic) => topic.title)).toEqual(['Dark mode for the mobile app'])
	})

	it('splits figures by customer account and raises an alert for 3 questions unanswered after 48 hours', async () => {
		const [account] = await db.insert(accounts).values({ externalId: 'crm-42', name: 'Sakura Foods', plan: 'growth', phase: 'adoption' }).returning()
		const customer = await person()
		const outsider = await person()
		await db.update(users).set({ accountId: account!.id }).where(eq(users.id, customer.id))
		await recordEvent(db, { actor: customer, visitorId: null }, { type: 'search', query: 'csv export', resultCount: 0 }, at('09:00'))
		await recordEvent(db, { actor: outsider, visitorId: null }, { type: 'search', query: 'csv export', resultCount: 0 }, at('09:00'))
		const asked: number[] = []
		for (const title of ['Export stops at 10,000 rows', 'SAML login loops back', 'Slack alerts arrive twice']) {
			const { id } = await createQuestion(customer, questionSchema.parse({ title, body: 'Details of the problem.' }))
			asked.push(id)
		}
		await settle()

		const scoped = await resolveRange({ from: DAY, to: DAY, account: 'crm-42' })
		expect(await summary(scoped)).toMatchObject({ journeys: 1, searches: 1, zeroResultSearches: 1 })
		const [row] = await accountRows(await resolveRange({}))
		expect(row).toMatchObject({ externalId: 'crm-42', members: 1, activeMembers: 1, questionsAsked: 3, unanswered: 3 })

		expect(await evaluateAlerts()).toEqual({ raised: 0, cleared: 0 })
		await db.update(questions).set({ createdAt: sql`now() - interval '49 hours'` }).where(eq(questions.authorId, customer.id))
		expect(await evaluateAlerts()).toEqual({ raised: 1, cleared: 0 })
		expect(await evaluateAlerts()).toEqual({ raised: 0, cleared: 0 })
		expect(await openAlerts()).toMatchObject([{ kind: 'unanswered_questions', account: { externalId: 'crm-42' }, detail: { questions: 3 } }])

		await createAnswer(outsider, asked[0]!, 'Use the API for large exports.')
		expect(await evaluateAlerts()).toEqual({ raised: 0, cleared: 1 })
		expect(await openAlerts()).toEqual([])
	})

	it("moves a person's earlier figures with them when CS assigns or removes them", async () => {
		await db.insert(accounts).values({ externalId: 'crm-7', name: 'Kaede Travel' })
		const cs = await person('cs')
		const customer = await person()
		await recordEvent(db, { actor: customer, visitorId: null }, { type: 'search', query: 'Visa invoice', resultCount: 0 }, at('09:00'))
		await recordEvent(db, { actor: customer, visitorId: null }, { type: 'search', query: 'refund', resultCount: 2 }, at('09:05'))
		await settle()
		const scoped = async () => {
			const range = await resolveRange({ from: DAY, to: DAY, account: 'crm-7' })
			return { summary: await summary(range), zero: await zeroResultQueries(range), row: (await accountRows(range))[0] }
		}
		const everyone = await resolveRange({ from: DAY, to: DAY })
		expect((await scoped()).summary).toMatchObject({ journeys: 0, searches: 0 })

		await assignMember(cs, 'crm-7', customer.email)
		const moved = await scoped()
		expect(moved.summary).toMatchObject({ journeys: 1, searches: 2, zeroResultSearches: 1 })
		expect(moved.zero).toMatchObject([{ query: 'Visa invoice', count: 1 }])
		expect(moved.row).toMatchObject({ externalId: 'crm-7', members: 1, journeys: 1 })
		expect(await summary(everyone)).toMatchObject({ journeys: 1, searches: 2 })

		await removeMember(cs, 'crm-7', customer.id)
		expect((await scoped()).summary).toMatchObject({ journeys: 0, searches: 0, zeroResultSearches: 0 })
		expect(await zeroResultQueries(await resolveRange({ from: DAY, to: DAY, account: 'crm-7' }))).toEqual([])
		expect(await summary(everyone)).toMatchObject({ journeys: 1, searches: 2, zeroResultSearches: 1 })
	})

	it('refuses members, bad dates and unknown accounts with a reason', async () => {
		const params = (query: string) => new URLSearchParams(query)
		await expect(insightsRequest(null, params(''))).rejects.toMatchObject({ status: 401 })
		await expect(insightsRequest(await person('member'), params(''))).rejects.toMatchObject({ status: 403 })
		const cs = await person('cs')
		const refusal = (await insightsRequest(cs, params('from=2026-02-30')).catch((error) => error)) as DomainError
		expect(refusal.status).toBe(400)
		expect(refusal.message).toMatch(/not a real date/)
		await expect(insightsRequest(cs, params('from=2026-05-10&to=2026-05-01'))).rejects.toMatchObject({ status: 400 })
		await expect(insightsRequest(cs, params('account=nope'))).rejects.toMatchObject({ status: 404 })
		await expect(insightsRequest(await person('product'), params('from=2026-05-01&to=2026-05-10'))).resolves.toMatchObject({ from: '2026-05-01', to: '2026-05-10', days: 10 })
	})
})
