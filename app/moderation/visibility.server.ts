import { eq, or, sql, type SQL } from 'drizzle-orm'
import { answers, questions, type PostState } from '#db/schema'
import { isStaff, type Actor } from '~/auth/permissions.server'
import { notFound } from '~/utils/errors.server'

/**
 * Who sees a question or answer: everyone while it is visible; its author and
 * staff also while it is held, hidden or deleted (they see why, on a banner).
 * Every page and API that reads posts for a viewer goes through this one rule;
 * counts and indexes that everyone shares read only `state = 'visible'`.
 */
export function visibleTo(viewer: Actor | null, table: typeof questions | typeof answers): SQL {
	if (isStaff(viewer)) return sql`true`
	const everyone = eq(table.state, 'visible')
	return viewer ? or(everyone, eq(table.authorId, viewer.id))! : everyone
}

export function canSee(viewer: Actor | null, post: { state: PostState; authorId: string }): boolean {
	return post.state === 'visible' || isStaff(viewer) || viewer?.id === post.authorId
}

/** A post the viewer may not see is answered as one that does not exist, so its existence does not leak. */
export function assertVisible(viewer: Actor | null, post: { state: PostState; authorId: string }, what: 'Question' | 'Answer') {
	if (!canSee(viewer, post)) throw notFound(what)
}

/** What the author and staff are told on a post others cannot see; null for a visible post. */
export type PostNotice = { state: Exclude<PostState, 'visible'>; reason: string | null } | null

export function noticeOf(post: { state: PostState; stateReason: string | null }): PostNotice {
	return post.state === 'visible' ? null : { state: post.state, reason: post.stateReason }
}

/** A question's answer count and first-answer time as everyone sees them: visible answers only (insights read both). */
export const visibleAnswerCount = (questionId: number) =>
	sql<number>`(select count(*)::int from ${answers} where ${answers.questionId} = ${questionId} and ${answers.state} = 'visible')`
export const firstVisibleAnswerAt = (questionId: number) =>
	sql<Date | null>`(select min(${answers.createdAt}) from ${answers} where ${answers.questionId} = ${questionId} and ${answers.state} = 'visible')`

/**
 * Whether a question is solved as everyone sees it: its accepted answer is visible.
 * A hidden or deleted accepted answer leaves the thread unsolved for others (lists,
 * search, profiles); its author and staff, who still read it, see it accepted.
 */
export const solvedForEveryone = sql<boolean>`exists (select 1 from ${answers} where ${answers.id} = ${questions.acceptedAnswerId} and ${answers.state} = 'visible')`
