import { and, eq, isNull, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { answers, flags, questions, users, type FlagReason, type FlagTargetType, type PostState } from '#db/schema'
import { authorize, can, type Actor } from '~/auth/permissions.server'
import { storedHtml } from '~/markdown/markdown.server'
import { changePerson } from '~/people/admin.server'
import { DomainError, notFound } from '~/utils/errors.server'
import { pageInfo, pageOf } from '~/utils/paging'
import { questionUrl } from '~/utils/urls'
import { moderatePost, moderationReasonSchema, type ReleaseHeldPost } from './moderation.server'
import type { ReviewAction } from './validation'
import { trustLevelOf } from './trust.server'

/** Review items per page: each carries its post, its flags and its author's history. */
export const REVIEW_PAGE_SIZE = 20

/**
 * What waits for staff: posts with open flags and posts held before anyone saw them,
 * one row per post, at the time of its latest flag or hold.
 */
const waiting = sql`(
	select ${flags.targetType} as target_type, ${flags.targetId} as target_id, ${flags.createdAt} as at from ${flags} where ${flags.resolvedAt} is null
	union all
	select 'question', ${questions.id}, coalesce(${questions.stateChangedAt}, ${questions.createdAt}) from ${questions} where ${questions.state} = 'held'
	union all
	select 'answer', ${answers.id}, coalesce(${answers.stateChangedAt}, ${answers.createdAt}) from ${answers} where ${answers.state} = 'held'
)`

/**
 * The header's count, run for staff on every page. Its held posts are read through
 * the partial indexes on posts that are not visible (questions_moderation_idx,
 * answers_moderation_idx), and open flags through flags_open_idx: `state = 'held'`
 * implies the indexes' `state <> 'visible'`, so the count reads the few waiting rows
 * rather than every post (tests/bench/review-count.ts: see the README).
 */
export const reviewCountQuery = sql`select count(*)::int as n from (select distinct target_type, target_id from ${waiting} w) items`

/** How many posts wait for review: the header shows it to staff on every page. */
export async function reviewCount(actor: Actor | null): Promise<number> {
	if (!can(actor, 'moderation:review')) return 0
	const [row] = await db.execute<{ n: number }>(reviewCountQuery)
	return Number(row?.n ?? 0)
}

type FlagSummary = { reason: FlagReason; count: number; comments: string[] }

/**
 * The review queue, newest first: each post in its thread, rendered as readers see
 * it, with its open flags grouped by reason (never who flagged) and what its author
 * did before, so staff can tell a slip from a spammer.
 */
export async function reviewQueue(actor: Actor | null, requestedPage = 1) {
	authorize(actor, 'moderation:review')
	const page = pageOf(requestedPage, await reviewCount(actor), REVIEW_PAGE_SIZE)
	const rows = await db.execute<{ target_type: FlagTargetType; target_id: number; at: Date | string }>(sql`
		select target_type, target_id, max(at) as at from ${waiting} w
		group by target_type, target_id order by max(at) desc, target_id desc
		limit ${page.limit} offset ${page.offset}`)
	// A spammer's posts fill a page: each author's history is read once per page.
	const histories = new Map<string, Promise<AuthorHistory>>()
	const historyOf = (userId: string) => histories.get(userId) ?? histories.set(userId, authorHistory(userId)).get(userId)!
	const items = await Promise.all(rows.map((row) => reviewItem(row.target_type, Number(row.target_id), new Date(row.at), historyOf)))
	return { items: items.filter((item) => item !== null), page: pageInfo(page), canSuspend: can(actor, 'people:manage') }
}
export type ReviewItem = NonNullable<Awaited<ReturnType<typeof reviewItem>>>

async function postOf(type: FlagTargetType, id: number) {
	if (type === 'question') {
		const [row] = await db.select().from(questions).where(eq(questions.id, id))
		return row && { post: row, question: row }
	}
	const [row] = await db.select({ answer: answers, question: questions }).from(answers).innerJoin(questions, eq(questions.id, answers.questionId)).where(eq(answers.id, id))
	return row && { post: row.answer, question: row.question }
}

async function reviewItem(type: FlagTargetType, id: number, at: Date, historyOf: (userId: string) => Promise<AuthorHistory>) {
	const found = await postOf(type, id)
	if (!found) return null
	const { post, question } = found
	const openFlags = await db
		.select({ reason: flags.reason, comment: flags.comment, weight: flags.weight })
		.from(flags)
		.where(and(eq(flags.targetType, type), eq(flags.targetId, id), isNull(flags.resolvedAt)))
		.orderBy(flags.createdAt)
	const byReason = new Map<FlagReason, FlagSummary>()
	for (const flag of openFlags) {
		const summary = byReason.get(flag.reason) ?? { reason: flag.reason, count: 0, comments: [] }
		summary.count++
		if (flag.comment) summary.comments.push(flag.comment)
		byReason.set(flag.reason, summary)
	}
	return {
		key: `${type}-${id}`,
		type,
		id,
		at: at.toISOString(),
		state: post.state as PostState,
		stateReason: post.stateReason,
		bodyHtml: storedHtml(post),
		createdAt: post.createdAt.toISOString(),
		question: { id: question.id, title: question.title, url: questionUrl(question), locked: question.lockedAt !== null },
		url: type === 'question' ? questionUrl(question) : `${questionUrl(question)}#answer-${id}`,
		editUrl: type === 'question' ? `/questions/${id}/edit` : `/answers/${id}/edit`,
		flags: [...byReason.values()],
		flagWeight: openFlags.reduce((sum, flag) => sum + flag.weight, 0),
		author: await historyOf(post.authorId),
	}
}

type AuthorHistory = Awaited<ReturnType<typeof authorHistory>>

/** What the author did before: how much they posted, how much of it staff or flags took down, and how long they have been here. */
async function authorHistory(userId: string) {
	const [person] = await db.select({ id: users.id, displayName: users.displayName, joinedAt: users.createdAt, suspendedAt: users.suspendedAt }).from(users).where(eq(users.id, userId))
	if (!person) throw notFound('Person')
	const [counts] = await db.execute<{ posts: number; removed: number }>(sql`
		select count(*)::int as posts, count(*) filter (where state in ('hidden', 'deleted'))::int as removed from (
			select ${questions.state} as state from ${questions} where ${questions.authorId} = ${userId}
			union all
			select ${answers.state} from ${answers} where ${answers.authorId} = ${userId}
		) posts`)
	return {
		id: person.id,
		displayName: person.displayName,
		joinedAt: person.joinedAt.toISOString(),
		suspended: person.suspendedAt !== null,
		posts: Number(counts?.posts ?? 0),
		removed: Number(counts?.removed ?? 0),
		trust: await trustLevelOf(db, userId),
	}
}

export { reviewActions, type ReviewAction } from './validation'

/**
 * One decision from the queue. Post actions go through moderatePost (reason for the
 * author, audit, flags resolved); locking an answer's item locks its thread. A post
 * that flags hid is restored first and stays in the queue, its flags open, until
 * staff dismiss them (moderatePost approves only what is not hidden). Suspending
 * goes through the people module, so it is audited and refused there as on
 * /admin/people (admins only).
 */
export async function reviewDecision(actor: Actor | null, target: { type: FlagTargetType; id: number }, action: ReviewAction, reason: string, now = new Date(), release?: ReleaseHeldPost) {
	authorize(actor, 'moderation:review')
	const found = await postOf(target.type, target.id)
	if (!found) throw notFound(target.type === 'question' ? 'Question' : 'Answer')
	if (action === 'lock') return moderatePost(actor, { type: 'question', id: found.question.id }, 'lock', reason, now)
	if (action !== 'suspend') return moderatePost(actor, target, action, reason, now, release)
	authorize(actor, 'people:manage')
	const why = moderationReasonSchema.parse(reason)
	if (why === '') throw new DomainError('invalid', 'Give a reason: it is kept in the audit log', { reason: 'Give a reason: it is kept in the audit log' })
	await changePerson(actor, found.post.authorId, { suspended: true, reason: why }, now)
	return { state: found.post.state, locked: found.question.lockedAt !== null }
}
