import { beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { db } from '../../db/client.server'
import { helpJourneys, searchClicks } from '../../db/schema'
import { createAnswer, createQuestion, recordQuestionView } from '../../app/community/questions.server'
import { buildJourneys } from '../../app/insights/journeys.server'
import { summary } from '../../app/insights/metrics.server'
import { resolveRange } from '../../app/insights/range.server'
import { questionSchema } from '../../app/community/validation'
import { feedbackSummary, recordFeedback, recordSearchClick } from '../../app/knowledge/feedback.server'
import { feedbackSchema } from '../../app/knowledge/validation'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { searchContent } from '../../search/query.server'
import { DomainError } from '../../app/utils/errors.server'
import { person } from '../support/factories'
import { resetData } from '../support/reset'

describe('feedback and clicks', () => {
	beforeEach(resetData)

	async function question() {
		return createQuestion(await person(), questionSchema.parse({ title: 'Slack channel gets no notifications', body: 'Nothing arrives in #team since Monday.' }))
	}

	it('keeps one changeable vote per person or visitor, with reasons on "no"', async () => {
		const { id } = await question()
		const reader = await person()
		const vote = (voter: Parameters<typeof recordFeedback>[0], input: object) =>
			recordFeedback(voter, feedbackSchema.parse({ targetType: 'question', targetId: id, ...input }))
		await vote({ actor: reader, visitorId: 'x', clientIp: '203.0.113.1' }, { helpful: true })
		await vote({ actor: reader, visitorId: 'y', clientIp: '203.0.113.1' }, { helpful: false, reason: 'outdated', comment: 'The menu moved' })
		await vote({ actor: null, visitorId: 'visitor-1', clientIp: '203.0.113.1' }, { helpful: true })
		await vote({ actor: null, visitorId: 'visitor-1', clientIp: '203.0.113.1' }, { helpful: true })
		await vote({ actor: null, visitorId: 'visitor-2', clientIp: '203.0.113.1' }, { helpful: true, reason: 'unclear' })
		const summary = await feedbackSummary('question', id)
		expect(summary).toMatchObject({ helpful: 2, notHelpful: 1 })
		expect(summary.helpfulShare).toBeCloseTo(2 / 3)
		expect(summary.reasons).toEqual([{ reason: 'outdated', comment: 'The menu moved', createdAt: expect.any(String) }])
	})

	it('counts "this solved it" on a thread answered but never accepted as self-resolution, as on an accepted one', async () => {
		const { id } = await question()
		await createAnswer(await person('cs'), id, 'Reconnect Slack under Settings → Integrations.')
		const reader = { actor: null, visitorId: 'visitor-solved', clientIp: '203.0.113.9' }
		await recordQuestionView(id, reader)
		await recordFeedback(reader, feedbackSchema.parse({ targetType: 'question', targetId: id, helpful: true }))
		await buildJourneys()
		const figures = await summary(await resolveRange({}))
		expect(figures).toMatchObject({ journeys: 1, selfResolved: 1, helpfulShare: 1 })
		const [journey] = await db.select().from(helpJourneys).where(eq(helpJourneys.isHelp, true))
		expect(journey).toMatchObject({ selfResolved: true, resolvedTargetType: 'question', resolvedTargetId: id })
	})

	it('refuses unknown targets and unknown searches', async () => {
		const missing = await recordFeedback({ actor: null, visitorId: 'v', clientIp: '203.0.113.1' }, feedbackSchema.parse({ targetType: 'faq', targetId: 999, helpful: true })).catch((e) => e)
		expect(missing).toBeInstanceOf(DomainError)
		expect(missing.status).toBe(404)
		const { id } = await question()
		const badSearch = await recordFeedback(
			{ actor: null, visitorId: 'v', clientIp: '203.0.113.1' },
			feedbackSchema.parse({ targetType: 'question', targetId: id, helpful: true, searchId: '00000000-0000-4000-8000-000000000000' }),
		).catch((e) => e)
		expect(badSearch.status).toBe(404)
		expect(feedbackSchema.safeParse({ targetType: 'answer', targetId: 1, helpful: true }).success).toBe(false)
	})

	it('ties a click to the hit the search showed', async () => {
		const { id } = await question()
		await runPendingJobs()
		const result = await searchContent({ q: 'slack notifications', limit: 5 }, { userId: null, visitorId: 'v', record: true })
		await recordSearchClick({ actor: null, visitorId: 'v' }, result.searchId, { hitId: id })
		const [click] = await db.select().from(searchClicks).where(eq(searchClicks.searchId, result.searchId))
		expect(click).toMatchObject({ hitId: id, hitType: 'question', position: 0 })
		await expect(recordSearchClick({ actor: null, visitorId: 'v' }, '00000000-0000-4000-8000-000000000000', { hitId: id })).rejects.toMatchObject({ status: 404 })
		await expect(recordSearchClick({ actor: null, visitorId: 'v' }, 'not-a-uuid', { hitId: id })).rejects.toMatchObject({ status: 404 })
	})
})
