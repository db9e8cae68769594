import { and, desc, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Queryable } from '#db/client.server'
import { contentFeedback, faqs, questions, searchClicks, searches, tutorials, type FeedbackTarget } from '#db/schema'
import { can, type Actor } from '~/auth/permissions.server'
import { limit } from '~/auth/rate-limit.server'
import { recordActivity, recordEvent, type EventActor, type EventInput } from '~/insights/events.server'
import { canSee } from '~/moderation/visibility.server'
import { DomainError, notFound } from '~/utils/errors.server'
import type { EventPlace } from '~/utils/event-place'
import type { FeedbackReason } from '~/utils/limits'
import { learnPhrasing, resolvedSearchId } from './phrasings.server'
import type { FeedbackInput, searchClickSchema } from './validation'

/** `place`: where the vote was cast (the community when left out), as for every event. */
export type Voter = { actor: Actor | null; visitorId: string; clientIp: string; place?: EventPlace }
const voterKey = (voter: Pick<Voter, 'actor' | 'visitorId'>) => (voter.actor ? voter.actor.id : `visitor:${voter.visitorId}`)

async function assertTargetVisible(targetType: FeedbackTarget, targetId: number, actor: Actor | null) {
	const [row] =
		targetType === 'question'
			? (await db.select({ state: questions.state, authorId: questions.authorId }).from(questions).where(eq(questions.id, targetId))).map((question) => ({ visible: canSee(actor, question) }))
			: targetType === 'faq'
				? await db.select({ visible: faqs.published }).from(faqs).where(eq(faqs.id, targetId))
				: await db.select({ visible: tutorials.published }).from(tutorials).where(eq(tutorials.id, targetId))
	// Questions follow moderation's rule (author and staff see a hidden one); unpublished FAQs and tutorials exist for their editors.
	if (!row || (!row.visible && (targetType === 'question' || !can(actor, 'knowledge:manage')))) {
		throw notFound(targetType === 'faq' ? 'FAQ' : targetType === 'tutorial' ? 'Tutorial' : 'Question')
	}
}

async function assertSearchExists(searchId: string | undefined) {
	if (!searchId) return
	const [search] = await db.select({ id: searches.id }).from(searches).where(eq(searches.id, searchId))
	if (!search) throw notFound('Search')
}

/** "Did this solve your problem?": one vote per person (or visitor) and item; voting again changes it. */
export async function recordFeedback(voter: Voter, input: FeedbackInput) {
	// Votes feed the helpful share and metrics: one person cannot flood them. A
	// visitor id is whatever cookie the client sends (or none), so anonymous votes
	// are also counted per address; signed-in people are not, as a whole office
	// may share one.
	await limit('feedback', voterKey(voter))
	if (!voter.actor) await limit('feedbackAddress', voter.clientIp)
	await assertTargetVisible(input.targetType, input.targetId, voter.actor)
	await assertSearchExists(input.searchId)
	const reason = input.helpful ? null : (input.reason ?? null)
	const comment = input.helpful ? null : input.comment || null
	return db.transaction(async (tx) => {
		const target = { type: input.targetType, id: input.targetId }
		const searchId = input.helpful ? await resolvedSearchId(tx, { userId: voter.actor?.id ?? null, visitorId: voter.visitorId }, target, input.searchId ?? null) : (input.searchId ?? null)
		const row = await saveVote(tx, voter, input, { reason, comment, searchId })
		if (input.helpful && searchId) await learnPhrasing(tx, voter.actor, searchId, target)
		await recordEvent(tx, voter, { type: input.helpful ? 'helpful' : 'not_helpful', targetType: target.type, targetId: target.id, searchId: searchId ?? undefined })
		return row
	})
}

async function saveVote(
	tx: Queryable,
	voter: Voter,
	input: FeedbackInput,
	values: { reason: FeedbackReason | null; comment: string | null; searchId: string | null },
) {
	const { reason, comment, searchId } = values
	const [row] = await tx
		.insert(contentFeedback)
		.values({
			targetType: input.targetType,
			targetId: input.targetId,
			voterKey: voterKey(voter),
			userId: voter.actor?.id ?? null,
			visitorId: voter.visitorId,
			helpful: input.helpful,
			reason,
			comment,
			searchId,
		})
		.onConflictDoUpdate({
			target: [contentFeedback.targetType, contentFeedback.targetId, contentFeedback.voterKey],
			set: {
				helpful: input.helpful,
				reason,
				comment,
				searchId: sql`coalesce(excluded.search_id, ${contentFeedback.searchId})`,
				updatedAt: new Date(),
			},
		})
		.returning({ id: contentFeedback.id, helpful: contentFeedback.helpful, reason: contentFeedback.reason })
	return row!
}

export async function currentFeedback(voter: Pick<Voter, 'actor' | 'visitorId'>, targetType: FeedbackTarget, targetId: number) {
	const [row] = await db
		.select({ helpful: contentFeedback.helpful, reason: contentFeedback.reason, comment: contentFeedback.comment })
		.from(contentFeedback)
		.where(and(eq(contentFeedback.targetType, targetType), eq(contentFeedback.targetId, targetId), eq(contentFeedback.voterKey, voterKey(voter))))
	return row ?? null
}

export type FeedbackSummaryData = {
	helpful: number
	notHelpful: number
	helpfulShare: number | null
	reasons: Array<{ reason: string; comment: string | null; createdAt: string }>
}

/** What staff see on an item: its helpful share and the reasons given on "no". */
export async function feedbackSummary(targetType: FeedbackTarget, targetId: number): Promise<FeedbackSummaryData> {
	const where = and(eq(contentFeedback.targetType, targetType), eq(contentFeedback.targetId, targetId))
	const [counts] = await db
		.select({
			helpful: sql<number>`(count(*) filter (where ${contentFeedback.helpful}))::int`,
			notHelpful: sql<number>`(count(*) filter (where not ${contentFeedback.helpful}))::int`,
		})
		.from(contentFeedback)
		.where(where)
	const reasons = await db
		.select({ reason: contentFeedback.reason, comment: contentFeedback.comment, createdAt: contentFeedback.updatedAt })
		.from(contentFeedback)
		.where(and(where, eq(contentFeedback.helpful, false)))
		.orderBy(desc(contentFeedback.updatedAt))
		.limit(50)
	const helpful = counts?.helpful ?? 0
	const notHelpful = counts?.notHelpful ?? 0
	return {
		helpful,
		notHelpful,
		helpfulShare: helpful + notHelpful > 0 ? helpful / (helpful + notHelpful) : null,
		reasons: reasons.map((r) => ({ reason: r.reason ?? 'other', comment: r.comment, createdAt: r.createdAt.toISOString() })),
	}
}

/** Records which hit a search led to; the hit's type comes from what that search showed. */
export async function recordSearchClick(who: EventActor, searchId: string, input: z.infer<typeof searchClickSchema>) {
	if (!z.string().uuid().safeParse(searchId).success) throw notFound('Search')
	const [search] = await db.select({ hits: searches.hits }).from(searches).where(eq(searches.id, searchId))
	if (!search) throw notFound('Search')
	const position = search.hits.findIndex((hit) => hit.id === input.hitId && (!input.hitType || hit.type === input.hitType))
	const hitType = input.hitType ?? search.hits[position]?.type ?? null
	await db.insert(searchClicks).values({ searchId, hitId: input.hitId, hitType, position: position >= 0 ? position : null })
	await recordActivity(who, { type: 'result_click', targetType: (hitType ?? undefined) as EventInput['targetType'], targetId: input.hitId, searchId })
}
