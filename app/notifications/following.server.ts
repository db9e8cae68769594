import { and, asc, count, desc, eq, sql } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { answers, questionFollows, questions, tagFollows, tags } from '#db/schema'
import { authorize, isStaff, type Actor } from '~/auth/permissions.server'
import { limit } from '~/auth/rate-limit.server'
import { notFound } from '~/utils/errors.server'
import { pageInfo, pageOf } from '~/utils/paging'
import { questionUrl } from '~/utils/urls'

/**
 * Askers, answerers and "me too" people follow the question in the transaction of
 * their post. A row that exists already is left alone: someone who unfollowed
 * (the row kept with `following = false`) stays unfollowed when they answer again.
 */
export async function followAutomatically(tx: Queryable, userId: string, questionId: number, now = new Date()) {
	await tx.insert(questionFollows).values({ userId, questionId, following: true, createdAt: now }).onConflictDoNothing()
}

async function findTag(q: Queryable, name: string) {
	const [tag] = await q.select({ id: tags.id, name: tags.name }).from(tags).where(eq(tags.name, name))
	if (!tag) throw notFound('Tag')
	return tag
}

/** Follows or unfollows a question; an unfollow is remembered, so automatic following does not undo it. */
export async function setQuestionFollowing(actor: Actor | null, questionId: number, following: boolean, now = new Date()) {
	authorize(actor, 'follow:manage')
	const [question] = await db.select({ state: questions.state, authorId: questions.authorId }).from(questions).where(eq(questions.id, questionId))
	// Moderation's visibility rule (notifications sits below moderation, so it is spelled out): a question held, hidden or deleted exists only for its author and staff.
	if (!question || (question.state !== 'visible' && question.authorId !== actor.id && !isStaff(actor))) throw notFound('Question')
	await limit('follow', actor.id)
	await db
		.insert(questionFollows)
		.values({ userId: actor.id, questionId, following, createdAt: now })
		.onConflictDoUpdate({ target: [questionFollows.userId, questionFollows.questionId], set: { following } })
	return { following }
}

/** Follows or unfollows a tag: its new questions are then notified (tag_question). */
export async function setTagFollowing(actor: Actor | null, tagName: string, following: boolean, now = new Date()) {
	authorize(actor, 'follow:manage')
	const tag = await findTag(db, tagName)
	await limit('follow', actor.id)
	if (following) await db.insert(tagFollows).values({ userId: actor.id, tagId: tag.id, createdAt: now }).onConflictDoNothing()
	else await db.delete(tagFollows).where(and(eq(tagFollows.userId, actor.id), eq(tagFollows.tagId, tag.id)))
	return { following }
}

/** Whether the viewer follows this question; null for visitors, who cannot. */
export async function followsQuestion(viewer: Actor | null, questionId: number): Promise<boolean | null> {
	if (!viewer) return null
	const [row] = await db
		.select({ following: questionFollows.following })
		.from(questionFollows)
		.where(and(eq(questionFollows.userId, viewer.id), eq(questionFollows.questionId, questionId)))
	return row?.following ?? false
}

/** Whether the viewer follows this tag; null for visitors. */
export async function followsTag(viewer: Actor | null, tagName: string): Promise<boolean | null> {
	if (!viewer) return null
	const [row] = await db
		.select({ tagId: tagFollows.tagId })
		.from(tagFollows)
		.innerJoin(tags, eq(tags.id, tagFollows.tagId))
		.where(and(eq(tagFollows.userId, viewer.id), eq(tags.name, tagName)))
	return Boolean(row)
}

/** The names of the tags the viewer follows (none for visitors), for the tag list's buttons. */
export async function followedTagNames(viewer: Actor | null): Promise<string[]> {
	if (!viewer) return []
	const rows = await db.select({ name: tags.name }).from(tagFollows).innerJoin(tags, eq(tags.id, tagFollows.tagId)).where(eq(tagFollows.userId, viewer.id))
	return rows.map((row) => row.name)
}

const FOLLOWING_PAGE_SIZE = 50

/** What a person follows: questions (newest follow first, paged) and every tag (a handful). */
export async function listFollowing(actor: Actor | null, page: number) {
	authorize(actor, 'follow:manage')
	// A followed question that was hidden or deleted since leaves the list, as it left every other one.
	const mine = and(
		eq(questionFollows.userId, actor.id),
		eq(questionFollows.following, true),
		isStaff(actor) ? undefined : sql`exists (select 1 from ${questions} q where q.id = ${questionFollows.questionId} and (q.state = 'visible' or q.author_id = ${actor.id}))`,
	)
	const [total] = await db.select({ n: count() }).from(questionFollows).where(mine)
	const slice = pageOf(page, total?.n ?? 0, FOLLOWING_PAGE_SIZE)
	const questionRows = await db
		.select({ id: questions.id, title: questions.title, slug: questions.slug, solved: sql<boolean>`exists (select 1 from ${answers} where ${answers.id} = ${questions.acceptedAnswerId} and ${answers.state} = 'visible')` })
		.from(questionFollows)
		.innerJoin(questions, eq(questions.id, questionFollows.questionId))
		.where(mine)
		.orderBy(desc(questionFollows.createdAt), desc(questionFollows.questionId))
		.limit(slice.limit)
		.offset(slice.offset)
	const tagRows = await db
		.select({ name: tags.name })
		.from(tagFollows)
		.innerJoin(tags, eq(tags.id, tagFollows.tagId))
		.where(eq(tagFollows.userId, actor.id))
		.orderBy(asc(tags.name))
	return {
		questions: questionRows.map((row) => ({ id: row.id, title: row.title, url: questionUrl(row), solved: row.solved })),
		questionPage: pageInfo(slice),
		tags: tagRows.map((row) => row.name),
	}
}
