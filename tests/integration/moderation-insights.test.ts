import { beforeEach, describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { db } from '../../db/client.server'
import { faqs, helpJourneys, questions } from '../../db/schema'
import { createQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { recordEvent, type EventActor } from '../../app/insights/events.server'
import { buildJourneys, JOURNEY_LOCK } from '../../app/insights/journeys.server'
import { summary } from '../../app/insights/metrics.server'
import { insightsRequest, resolveRange } from '../../app/insights/range.server'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { flagPost } from '../../app/moderation/flags.server'
import { moderatePost } from '../../app/moderation/moderation.server'
import { person } from '../support/factories'
import { resetData } from '../support/reset'

const DAY = '2026-05-10'
const at = (time: string) => new Date(`${DAY}T${time}:00Z`)
const visitor = (id: string): EventActor => ({ actor: null, visitorId: id })
const frequencyOf = async (table: typeof questions | typeof faqs, id: number) => (await db.select({ f: table.frequency }).from(table).where(eq(table.id, id)))[0]!.f
const figures = async () => summary(await resolveRange({ from: DAY, to: DAY }))
const rebuildJobs = async () =>
	((await db.execute(sql`select count(*)::int as n from pgboss.job where name = 'insights-journeys' and data ? 'questionId' and state = 'created'`)) as unknown as Array<{ n: number }>)[0]!.n

describe('help journeys and insights follow what others can see', () => {
	beforeEach(resetData)

	it('stops counting journeys that escalated with or ended on a hidden or deleted question, and counts them again on restore', async () => {
		const [asker, reader, cs, admin] = [await person(), await person(), await person('cs'), await person('admin')]
		const solved = await createQuestion(asker, questionSchema.parse({ title: 'Export stops at 10,000 rows', body: 'The CSV export is cut off.' }), at('08:00'))
		const escalated = await createQuestion(reader, questionSchema.parse({ title: 'Invoices in the wrong currency', body: 'They show dollars.' }), at('09:10'))
		const [faq] = await db.insert(faqs).values({ title: 'How to export all rows', body: 'Use the API.', slug: 'export', published: true }).returning({ id: faqs.id })
		await db.execute(sql`delete from events`)
		// A visitor reads the FAQ, then says the thread solved it: resolved on the thread.
		await recordEvent(db, visitor('a'), { type: 'content_view', targetType: 'faq', targetId: faq!.id }, at('09:00'))
		await recordEvent(db, visitor('a'), { type: 'helpful', targetType: 'question', targetId: solved.id }, at('09:05'))
		// A member searches, then asks: an escalated journey.
		await recordEvent(db, { actor: reader, visitorId: null }, { type: 'search', query: 'invoice currency', resultCount: 0 }, at('09:00'))
		await recordEvent(db, { actor: reader, visitorId: null }, { type: 'question_posted', targetType: 'question', targetId: escalated.id }, at('09:10'))
		await buildJourneys()
		expect(await figures()).toMatchObject({ journeys: 2, selfResolved: 1, escalated: 1 })
		expect(await frequencyOf(questions, solved.id)).toBe(2)
		expect(await frequencyOf(faqs, faq!.id)).toBe(1)

		await moderatePost(cs, { type: 'question', id: solved.id }, 'hide', 'Private data')
		await moderatePost(admin, { type: 'question', id: escalated.id }, 'delete', 'Spam')
		// The rebuild is queued with the change, one job per question; nothing is recomputed before the queue runs it.
		expect(await rebuildJobs()).toBe(2)
		expect(await figures()).toMatchObject({ escalated: 1 })
		await runPendingJobs()
		// Without the thread, the visitor's journey ends on the FAQ they read; the member only searched.
		expect(await figures()).toMatchObject({ journeys: 2, selfResolved: 1, escalated: 0 })
		expect(await frequencyOf(questions, solved.id)).toBe(1)
		expect(await frequencyOf(faqs, faq!.id)).toBe(2)

		await moderatePost(cs, { type: 'question', id: solved.id }, 'restore', '')
		await moderatePost(admin, { type: 'question', id: escalated.id }, 'restore', '')
		await runPendingJobs()
		expect(await figures()).toMatchObject({ journeys: 2, selfResolved: 1, escalated: 1 })
		expect(await frequencyOf(questions, solved.id)).toBe(2)
		expect(await frequencyOf(faqs, faq!.id)).toBe(1)
	})

	it('rebuilds the journeys of a question that flags hid', async () => {
		const asker = await person()
		const { id } = await createQuestion(asker, questionSchema.parse({ title: 'Buy cheap followers', body: 'Cheap followers for your account, now.' }), at('08:00'))
		await db.execute(sql`delete from events`)
		await recordEvent(db, visitor('a'), { type: 'search', query: 'followers', resultCount: 1 }, at('09:00'))
		await recordEvent(db, visitor('a'), { type: 'result_click', targetType: 'question', targetId: id }, at('09:01'))
		await buildJourneys()
		expect(await figures()).toMatchObject({ journeys: 1, selfResolved: 1 })
		for (const flagger of [await person(), await person(), await person()]) await flagPost(flagger, { targetType: 'question', targetId: id, reason: 'spam' })
		await runPendingJobs()
		expect(await figures()).toMatchObject({ journeys: 1, selfResolved: 0 })
		expect(await frequencyOf(questions, id)).toBe(1)
	})

	it('rebuilds only the journeys that hold an event about the question, leaving the person’s other journeys as they were', async () => {
		const asker = await person()
		const { id } = await createQuestion(asker, questionSchema.parse({ title: 'Boards load slowly', body: 'It takes a minute to open a board.' }), at('06:00'))
		await db.execute(sql`delete from events`)
		// One visitor, five journeys (more than 30 minutes apart); the first and fourth read the question.
		await recordEvent(db, visitor('a'), { type: 'content_view', targetType: 'question', targetId: id }, at('08:00'))
		await recordEvent(db, visitor('a'), { type: 'search', query: 'invoices', resultCount: 0 }, at('10:00'))
		await recordEvent(db, visitor('a'), { type: 'search', query: 'gantt', resultCount: 0 }, at('12:00'))
		await recordEvent(db, visitor('a'), { type: 'content_view', targetType: 'question', targetId: id }, at('14:00'))
		await recordEvent(db, visitor('a'), { type: 'search', query: 'export', resultCount: 0 }, at('16:00'))
		await buildJourneys()
		const journeys = async () => db.select({ id: helpJourneys.id, startedAt: helpJourneys.startedAt, selfResolved: helpJourneys.selfResolved }).from(helpJourneys).orderBy(helpJourneys.startedAt)
		const before = await journeys()
		expect(before.map((j) => j.selfResolved)).toEqual([true, false, false, true, false])
		expect(await figures()).toMatchObject({ journeys: 5, selfResolved: 2 })

		await moderatePost(await person('cs'), { type: 'question', id }, 'hide', 'Spam')
		await runPendingJobs()
		const after = await journeys()
		expect(after.map((j) => j.startedAt)).toEqual(before.map((j) => j.startedAt))
		expect(after.map((j) => j.selfResolved)).toEqual([false, false, false, false, false])
		// The unrelated journeys between and after are the same rows; the two that read the question are new ones.
		expect([after[1]!.id, after[2]!.id, after[4]!.id]).toEqual([before[1]!.id, before[2]!.id, before[4]!.id])
		expect(after[0]!.id).not.toBe(before[0]!.id)
		expect(after[3]!.id).not.toBe(before[3]!.id)
		// Reading a hidden question is no help journey: only the three searches count.
		expect(await figures()).toMatchObject({ journeys: 3, selfResolved: 0 })
	})

	it('shows insights pages at once while journeys are being built, with the journeys built so far', async () => {
		const staff = await person('cs')
		await recordEvent(db, visitor('a'), { type: 'search', query: 'invoices', resultCount: 0 }, at('10:00'))
		let release = () => {}
		const held = new Promise<void>((resolve) => (release = resolve))
		let locked = () => {}
		const taken = new Promise<void>((resolve) => (locked = resolve))
		// The worker, busy with a long rebuild.
		const worker = db.transaction(async (tx) => {
			await tx.execute(sql`select pg_advisory_xact_lock(${JOURNEY_LOCK})`)
			locked()
			await held
		})
		await taken
		try {
			const page = insightsRequest(staff, new URLSearchParams({ from: DAY, to: DAY }))
			const outcome = await Promise.race([page.then(() => 'shown'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 3000))])
			expect(outcome).toBe('shown')
			expect(await figures()).toMatchObject({ journeys: 0 })
		} finally {
			release()
			await worker
		}
		await insightsRequest(staff, new URLSearchParams({ from: DAY, to: DAY }))
		expect(await figures()).toMatchObject({ journeys: 1 })
	})
})
