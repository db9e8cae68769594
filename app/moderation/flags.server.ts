import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import { db, type Transaction } from '#db/client.server'
import { answers, flags, questions, type FlagTargetType, type PostState } from '#db/schema'
import { enqueueIndexTask } from '#search/sync.server'
import { AUTOMATIC_MODERATION, recordAudit } from '~/audit/audit.server'
import { authorize, can, isStaff, type Actor } from '~/auth/permissions.server'
import { limit } from '~/auth/rate-limit.server'
import { readSetting } from '~/settings/settings.server'
import { asDomainError, notFound } from '~/utils/errors.server'
import { enqueueWebhookEvent } from '~/webhooks/deliveries.server'
import { followStateChange } from './moderation.server'
import { AUTOMATIC_HIDE_REASON } from './reasons'
import { trustLevelOf } from './trust.server'
import type { FlagInput } from './validation'

/** Only these say the post should not be seen at all; off-topic or wrong posts wait for staff, however many flag them. */
const HIDING_REASONS = ['spam', 'offensive'] as const
/** A trusted person's flag counts this much toward hiding; everyone else's counts 1. */
export const TRUSTED_FLAG_WEIGHT = 2
export { AUTOMATIC_HIDE_REASON } from './reasons'

type FlaggedPost = { questionId: number; authorId: string; state: PostState; questionState: PostState; label: string }

/** The post, locked so that flags arriving together count one after another toward the threshold. */
async function lockPost(tx: Transaction, type: FlagTargetType, id: number): Promise<FlaggedPost | undefined> {
	if (type === 'question') {
		const [row] = await tx
			.select({ questionId: questions.id, authorId: questions.authorId, state: questions.state, questionState: questions.state, label: questions.title })
			.from(questions)
			.where(eq(questions.id, id))
			.for('update')
		return row
	}
	const [row] = await tx
		.select({ questionId: answers.questionId, authorId: answers.authorId, state: answers.state, questionState: questions.state })
		.from(answers)
		.innerJoin(questions, eq(questions.id, answers.questionId))
		.where(eq(answers.id, id))
		.for('update', { of: answers })
	return row && { ...row, label: `Answer ${id}` }
}

/**
 * Flags are for what everyone sees (held, hidden and deleted posts are staff's already);
 * anything else answers as if it did not exist. Not visibility.server's `visibleTo`: the
 * post's own author never flags it, and an answer counts only in a visible thread.
 */
const flaggableBy = (actor: Actor, post: FlaggedPost) => isStaff(actor) || (post.state === 'visible' && post.questionState === 'visible')

/**
 * Flags someone else's question or answer, once per person and post. The flag is
 * weighed by the flagger's trust, and when the open spam and offensive flags on a
 * visible post reach the `flagsToHide` setting, the post is hidden in the same
 * transaction, until staff review it from the queue where its flags stay open.
 * Subscribers hear of every flag, never of who flagged.
 */
export async function flagPost(actor: Actor | null, input: FlagInput, now = new Date()): Promise<{ id: number; hidden: boolean }> {
	// Signed in at all, before anything is counted; whose post it is is checked once it is found.
	authorize(actor, 'post:flag', { authorId: '' })
	await limit('flag', actor.id)
	const { flagsToHide } = await readSetting(db, 'moderation')
	try {
		return await db.transaction(async (tx) => {
			const post = await lockPost(tx, input.targetType, input.targetId)
			if (!post || !flaggableBy(actor, post)) throw notFound(input.targetType === 'question' ? 'Question' : 'Answer')
			authorize(actor, 'post:flag', post)
			const weight = (await trustLevelOf(tx, actor.id)) === 'trusted' ? TRUSTED_FLAG_WEIGHT : 1
			const [flag] = await tx
				.insert(flags)
				.values({ targetType: input.targetType, targetId: input.targetId, reporterId: actor.id, reason: input.reason, comment: input.comment ?? null, weight, createdAt: now })
				.returning({ id: flags.id })
			const event = { targetType: input.targetType, targetId: input.targetId, questionId: post.questionId }
			await enqueueWebhookEvent(tx, 'post.flagged', { ...event, reason: input.reason })
			const hidden = post.state === 'visible' && (await openHidingWeight(tx, input.targetType, input.targetId)) >= flagsToHide
			if (hidden) await hideAfterFlags(tx, post, input.targetType, input.targetId, now)
			return { id: flag!.id, hidden }
		})
	} catch (error) {
		// The unique index keeps it to one flag per person and post, also for two clicks that race.
		throw asDomainError(error) ?? error
	}
}

async function openHidingWeight(tx: Transaction, type: FlagTargetType, id: number): Promise<number> {
	const [row] = await tx
		.select({ weight: sql<number>`coalesce(sum(${flags.weight}), 0)::int` })
		.from(flags)
		.where(and(eq(flags.targetType, type), eq(flags.targetId, id), isNull(flags.resolvedAt), inArray(flags.reason, [...HIDING_REASONS])))
	return Number(row?.weight ?? 0)
}

async function hideAfterFlags(tx: Transaction, post: FlaggedPost, type: FlagTargetType, id: number, now: Date) {
	const table = type === 'question' ? questions : answers
	await tx.update(table).set({ state: 'hidden', stateReason: AUTOMATIC_HIDE_REASON, stateChangedAt: now, stateChangedById: null }).where(eq(table.id, id))
	await recordAudit(tx, AUTOMATIC_MODERATION, {
		action: 'post.hidden',
		target: { type, id: String(id), label: post.label.slice(0, 200) },
		details: { from: post.state, to: 'hidden', reason: AUTOMATIC_HIDE_REASON },
	})
	await followStateChange(tx, { type, id }, post.questionId)
	await enqueueIndexTask(tx, 'question', post.questionId)
	await enqueueWebhookEvent(tx, 'post.hidden', { targetType: type, targetId: id, questionId: post.questionId, reason: AUTOMATIC_HIDE_REASON, by: 'flags' })
}

type ThreadPosts = { id: number; author: { id: string }; answers: Array<{ id: number; author: { id: string } }> }
/** Per post of a thread (`question-1`, `answer-5`): whether the viewer may flag it, or already did. Posts missing from it show no flag control. */
export type FlagStates = Record<string, 'can' | 'flagged'>

/** For the question page: which of its posts this person may flag and which they flagged already. */
export async function flagStatesOnThread(viewer: Actor | null, thread: ThreadPosts): Promise<FlagStates> {
	if (!viewer) return {}
	const answerIds = thread.answers.map((answer) => answer.id)
	const mine = await db
		.select({ targetType: flags.targetType, targetId: flags.targetId })
		.from(flags)
		.where(
			and(
				eq(flags.reporterId, viewer.id),
				sql`((${flags.targetType} = 'question' and ${flags.targetId} = ${thread.id})${answerIds.length > 0 ? sql` or (${flags.targetType} = 'answer' and ${inArray(flags.targetId, answerIds)})` : sql``})`,
			),
		)
	const flagged = new Set(mine.map((flag) => `${flag.targetType}-${flag.targetId}`))
	const states: FlagStates = {}
	const posts = [{ key: `question-${thread.id}`, authorId: thread.author.id }, ...thread.answers.map((answer) => ({ key: `answer-${answer.id}`, authorId: answer.author.id }))]
	for (const post of posts) {
		if (flagged.has(post.key)) states[post.key] = 'flagged'
		else if (can(viewer, 'post:flag', { authorId: post.authorId })) states[post.key] = 'can'
	}
	return states
}
