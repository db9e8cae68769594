import { and, asc, eq, gte, isNull } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Transaction } from '#db/client.server'
import { answers, flags, questions, revisions, type FlagTargetType, type PostState } from '#db/schema'
import { enqueueIndexTask } from '#search/sync.server'
import { recordAudit, type AuditAction } from '~/audit/audit.server'
import { authorize, type Actor } from '~/auth/permissions.server'
import { enqueueWebhookEvent } from '~/webhooks/deliveries.server'
import { recomputeFrequencies, type Counted } from '~/insights/frequency.server'
import { queueJourneyRebuild } from '~/insights/jobs.server'
import { notifyLater } from '~/notifications/triggers.server'
import type { PostScreening } from './holds.server'
import { firstVisibleAnswerAt, visibleAnswerCount } from './visibility.server'
import { DomainError, notFound } from '~/utils/errors.server'

export const moderationActions = ['approve', 'hide', 'restore', 'delete', 'lock', 'unlock'] as const
export type ModerationAction = (typeof moderationActions)[number]
export type ModerationTarget = { type: FlagTargetType; id: number }
export type ModerationOutcome = { state: Exclude<PostState, 'held'> | 'held'; locked: boolean }

/** Deleted posts stay restorable by admins this long; after that the refusal says so. */
export const RESTORE_DELETED_DAYS = 30

/** What the author is shown: required when their post disappears or their thread closes. */
export const moderationReasonSchema = z.string().trim().max(500, 'Use at most 500 characters')
const needsReason = new Set<ModerationAction>(['hide', 'delete', 'lock'])

const auditActionOf: Record<ModerationAction, AuditAction> = {
	approve: 'post.approved',
	hide: 'post.hidden',
	restore: 'post.restored',
	delete: 'post.deleted',
	lock: 'post.locked',
	unlock: 'post.unlocked',
}

type Row = { questionId: number; authorId: string; state: PostState; createdAt: Date; stateChangedAt: Date | null; lockedAt: Date | null; label: string }

const canonicalOf = (row: { duplicateOfQuestionId: number | null; duplicateOfFaqId: number | null }): Counted | null =>
	row.duplicateOfQuestionId !== null ? { type: 'question', id: row.duplicateOfQuestionId } : row.duplicateOfFaqId !== null ? { type: 'faq', id: row.duplicateOfFaqId } : null

async function lockTarget(tx: Transaction, target: ModerationTarget): Promise<Row> {
	if (target.type === 'question') {
		const [row] = await tx
			.select({
				questionId: questions.id,
				authorId: questions.authorId,
				state: questions.state,
				createdAt: questions.createdAt,
				stateChangedAt: questions.stateChangedAt,
				lockedAt: questions.lockedAt,
				label: questions.title,
			})
			.from(questions)
			.where(eq(questions.id, target.id))
			.for('update')
		if (!row) throw notFound('Question')
		return row
	}
	const [row] = await tx
		.select({ questionId: answers.questionId, authorId: answers.authorId, state: answers.state, createdAt: answers.createdAt, stateChangedAt: answers.stateChangedAt })
		.from(answers)
		.where(eq(answers.id, target.id))
		.for('update')
	if (!row) throw notFound('Answer')
	return { ...row, lockedAt: null, label: `Answer ${target.id}` }
}

function nextState(row: Row, action: ModerationAction, actor: Actor, now: Date): PostState {
	switch (action) {
		case 'approve':
			if (row.state === 'hidden' || row.state === 'deleted') throw new DomainError('conflict', 'This post is hidden or deleted: restore it instead')
			return 'visible'
		case 'hide':
			if (row.state === 'deleted') throw new DomainError('conflict', 'This post is deleted: restore it first')
			return 'hidden'
		case 'delete':
			return 'deleted'
		case 'restore':
			if (row.state === 'deleted') {
				authorize(actor, 'post:restore-deleted')
				const deletedFor = now.getTime() - (row.stateChangedAt?.getTime() ?? now.getTime())
				if (deletedFor > RESTORE_DELETED_DAYS * 24 * 3600 * 1000) throw new DomainError('conflict', 'Deleted posts can be restored for 30 days; this one was deleted earlier')
			}
			return 'visible'
		case 'lock':
		case 'unlock':
			return row.state
	}
}

/**
 * What others see follows the post's state in the same transaction: an answer
 * changes its question's answer count and first-answer time (insights read
 * them), a question closed as a duplicate changes how often its original was
 * asked, and the original's search document loses or regains its title. The help
 * journeys that touched a question are rebuilt through the queue (they span many
 * people's events), queued here so that the job commits with the change.
 */
export async function followStateChange(tx: Transaction, target: ModerationTarget, questionId: number) {
	if (target.type === 'answer') {
		await tx
			.update(questions)
			.set({ answerCount: visibleAnswerCount(questionId), firstAnsweredAt: firstVisibleAnswerAt(questionId) })
			.where(eq(questions.id, questionId))
		return
	}
	const [row] = await tx
		.select({ duplicateOfQuestionId: questions.duplicateOfQuestionId, duplicateOfFaqId: questions.duplicateOfFaqId })
		.from(questions)
		.where(eq(questions.id, target.id))
	const canonical = row ? canonicalOf(row) : null
	if (canonical) {
		await recomputeFrequencies(tx, [canonical])
		await enqueueIndexTask(tx, canonical.type, canonical.id)
	}
	await queueJourneyRebuild(tx, target.id)
}

/**
 * An edit that the posting rules hold (app/moderation/holds.server.ts screenEdit):
 * a visible post waits for review again, with the reason its author is shown, and
 * leaves what others see as hiding it would. A post already held keeps waiting, whoever
 * edits it (staff tidying it before approval included): its edit notifications go out on
 * approval. A hidden or deleted one stays as staff left it. Returns whether the post now waits.
 */
export async function holdEditedPost(tx: Transaction, target: ModerationTarget, screening: PostScreening, now: Date): Promise<boolean> {
	const row = await lockTarget(tx, target)
	if (row.state === 'held') return true
	if (screening.state !== 'held' || row.state === 'hidden' || row.state === 'deleted') return false
	const table = target.type === 'question' ? questions : answers
	await tx.update(table).set({ state: 'held', stateReason: screening.stateReason, stateChangedAt: now, stateChangedById: null }).where(eq(table.id, target.id))
	await followStateChange(tx, target, row.questionId)
	await enqueueIndexTask(tx, 'question', row.questionId)
	return true
}

/**
 * A post held after an edit, now visible again: the edit notifications its author's
 * saves did not send while it waited (each save tells the people it newly mentions)
 * go out now, for every save since it was held.
 */
async function announceHeldEdits(tx: Transaction, target: ModerationTarget, heldAt: Date) {
	const saves = await tx
		.select({ id: revisions.id, editorId: revisions.editorId })
		.from(revisions)
		.where(and(eq(revisions.postType, target.type), eq(revisions.postId, target.id), gte(revisions.createdAt, heldAt)))
		.orderBy(asc(revisions.id))
	for (const save of saves) await notifyLater(tx, target.type === 'question' ? 'question-edit' : 'answer-edit', save.id, save.editorId)
}

/**
 * What happens when a post held at posting time becomes visible: its followers are
 * notified and its webhooks sent, as at posting. It lives with the community's posting
 * code (releaseHeldPost), which moderation may not import, so pages pass it in.
 */
export type ReleaseHeldPost = (tx: Transaction, target: ModerationTarget) => Promise<void>

/**
 * One moderation step on a question or answer, with the reason its author sees,
 * written to the audit trail in the same transaction; the search index follows
 * through its queue, and open flags on the post are resolved by what staff did.
 */
export async function moderatePost(
	actor: Actor | null,
	target: ModerationTarget,
	action: ModerationAction,
	reason: string,
	now = new Date(),
	release?: ReleaseHeldPost,
): Promise<ModerationOutcome> {
	authorize(actor, 'moderation:review')
	const why = moderationReasonSchema.parse(reason)
	if (needsReason.has(action) && why === '') throw new DomainError('invalid', 'Give a reason: the author sees it', { reason: 'Give a reason: the author sees it' })
	if ((action === 'lock' || action === 'unlock') && target.type !== 'question') throw new DomainError('invalid', 'Only questions (threads) can be locked')
	return db.transaction(async (tx) => {
		const row = await lockTarget(tx, target)
		const state = nextState(row, action, actor, now)
		const table = target.type === 'question' ? questions : answers
		if (state !== row.state) {
			await tx
				.update(table)
				.set({ state, stateReason: state === 'visible' ? null : why || null, stateChangedAt: now, stateChangedById: actor.id })
				.where(eq(table.id, target.id))
			await followStateChange(tx, target, row.questionId)
			// Held when it was posted (its state set with its creation), it was never announced; a post held after an edit was, but not the edits that held it.
			const heldAtPosting = row.stateChangedAt?.getTime() === row.createdAt.getTime()
			if (row.state === 'held' && state === 'visible') {
				if (heldAtPosting) await release?.(tx, target)
				else if (row.stateChangedAt) await announceHeldEdits(tx, target, row.stateChangedAt)
			}
		} else if ((action === 'hide' || action === 'delete') && why !== '') {
			// "Keep hidden" on a post flags hid: the author now reads staff's reason instead of the automatic one (the restore window still counts from the deletion).
			await tx.update(table).set({ stateReason: why, stateChangedById: actor.id }).where(eq(table.id, target.id))
		}
		let lockedAt = row.lockedAt
		if (action === 'lock' || action === 'unlock') {
			lockedAt = action === 'lock' ? (row.lockedAt ?? now) : null
			await tx.update(questions).set({ lockedAt, lockReason: action === 'lock' ? why : null }).where(eq(questions.id, target.id))
		}
		if (action !== 'restore' && action !== 'unlock') {
			const resolution = { approve: 'approved', hide: 'hidden', delete: 'deleted', lock: 'locked' }[action]
			await tx
				.update(flags)
				.set({ resolvedAt: now, resolvedById: actor.id, resolution })
				.where(and(eq(flags.targetType, target.type), eq(flags.targetId, target.id), isNull(flags.resolvedAt)))
		}
		await recordAudit(tx, actor, {
			action: auditActionOf[action],
			target: { type: target.type, id: String(target.id), label: row.label.slice(0, 200) },
			details: { from: row.state, to: state, ...(why ? { reason: why } : {}) },
		})
		await enqueueIndexTask(tx, 'question', row.questionId)
		if (state === 'hidden' && row.state !== 'hidden') {
			await enqueueWebhookEvent(tx, 'post.hidden', { targetType: target.type, targetId: target.id, questionId: row.questionId, reason: why, by: 'staff' })
		}
		return { state, locked: lockedAt !== null }
	})
}
