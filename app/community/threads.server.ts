import { and, eq, inArray, like, notInArray, sql } from 'drizzle-orm'
import type { Queryable } from '#db/client.server'
import { answers, meToos, questions, revisions, type PostState } from '#db/schema'
import { enqueueIndexTask } from '#search/sync.server'
import { renderMarkdown } from '~/markdown/markdown.server'
import { escapeLike } from '~/utils/like'
import { recomputeFrequency } from '~/insights/frequency.server'
import { setQuestionTags, tagsOfQuestions } from './tags.server'
import { slugify } from '~/utils/urls'
import { detectLanguage, type ContentLanguage } from '~/utils/limits'
import { firstVisibleAnswerAt, visibleAnswerCount } from '~/moderation/visibility.server'

/**
 * The only writer of question threads: the domain functions (API and forms), the
 * import and the demo all write a question, its answers, their revisions, tags,
 * counts, frequency and search index task here, so a thread looks the same
 * whichever way it arrived. Permissions, rate limits, events and webhooks are the
 * callers' business: they differ between a person and an import.
 */

/** `language`: chosen by the author, or left out to be detected (from the title for a question, the body for an answer). */
export type QuestionContent = { title: string; body: string; tags: string[]; language?: ContentLanguage }
type Written = { id: number; slug: string }

async function recountAnswers(tx: Queryable, questionId: number, activityAt: Date) {
	await tx
		.update(questions)
		.set({
			answerCount: visibleAnswerCount(questionId),
			firstAnsweredAt: firstVisibleAnswerAt(questionId),
			lastActivityAt: sql`greatest(${questions.lastActivityAt}, ${activityAt.toISOString()}::timestamptz)`,
		})
		.where(eq(questions.id, questionId))
}

/** A post held for review at posting time (app/moderation/holds.server.ts), with the reason its author sees; visible otherwise. */
type Screening = { state?: PostState; stateReason?: string | null }
const moderationColumns = (post: Screening, at: Date) =>
	post.state && post.state !== 'visible' ? { state: post.state, stateReason: post.stateReason ?? null, stateChangedAt: at } : {}

type NewQuestion = QuestionContent & Screening & { authorId: string; at?: Date; externalId?: string | null }
type QuestionEdit = QuestionContent & { editorId: string; at?: Date }
type NewAnswer = Screening & { authorId: string; body: string; language?: ContentLanguage; at?: Date; externalId?: string | null }
type AnswerEdit = { body: string; language?: ContentLanguage; editorId: string; at?: Date }

// The insert/update steps below leave the search index task to the exported
// writers, so that a whole imported thread queues one task rather than one per post.

async function insertQuestion(tx: Queryable, question: NewQuestion): Promise<Written> {
	const at = question.at ?? new Date()
	const [row] = await tx
		.insert(questions)
		.values({
			authorId: question.authorId,
			title: question.title,
			body: question.body,
			bodyHtml: renderMarkdown(question.body),
			slug: slugify(question.title),
			language: question.language ?? detectLanguage(question.title),
			externalId: question.externalId ?? null,
			createdAt: at,
			updatedAt: at,
			lastActivityAt: at,
			...moderationColumns(question, at),
		})
		.returning({ id: questions.id, slug: questions.slug })
	await setQuestionTags(tx, row!.id, question.tags)
	// A new question's frequency is the column's default 1 (asked once); writeThread recounts after adding its "me too".
	await tx.insert(revisions).values({ postType: 'question', postId: row!.id, editorId: question.authorId, title: question.title, body: question.body, tags: question.tags, createdAt: at })
	return row!
}

async function updateQuestion(tx: Queryable, questionId: number, content: QuestionEdit): Promise<Written & { revisionId: number }> {
	const at = content.at ?? new Date()
	const [row] = await tx
		.update(questions)
		.set({ title: content.title, body: content.body, bodyHtml: renderMarkdown(content.body), slug: slugify(content.title), ...(content.language ? { language: content.language } : {}), updatedAt: at, lastActivityAt: at })
		.where(eq(questions.id, questionId))
		.returning({ id: questions.id, slug: questions.slug })
	await setQuestionTags(tx, questionId, content.tags)
	const [revision] = await tx
		.insert(revisions)
		.values({ postType: 'question', postId: questionId, editorId: content.editorId, title: content.title, body: content.body, tags: content.tags, createdAt: at })
		.returning({ id: revisions.id })
	return { ...row!, revisionId: revision!.id }
}

async function insertAnswer(tx: Queryable, questionId: number, answer: NewAnswer): Promise<{ id: number }> {
	const at = answer.at ?? new Date()
	const [row] = await tx
		.insert(answers)
		.values({ questionId, authorId: answer.authorId, body: answer.body, bodyHtml: renderMarkdown(answer.body), language: answer.language ?? detectLanguage(answer.body), externalId: answer.externalId ?? null, createdAt: at, updatedAt: at, ...moderationColumns(answer, at) })
		.returning({ id: answers.id })
	await tx.insert(revisions).values({ postType: 'answer', postId: row!.id, editorId: answer.authorId, body: answer.body, createdAt: at })
	await recountAnswers(tx, questionId, at)
	return row!
}

async function updateAnswer(tx: Queryable, answerId: number, content: AnswerEdit): Promise<{ questionId: number; revisionId: number }> {
	const at = content.at ?? new Date()
	const [row] = await tx.update(answers).set({ body: content.body, bodyHtml: renderMarkdown(content.body), ...(content.language ? { language: content.language } : {}), updatedAt: at }).where(eq(answers.id, answerId)).returning({ questionId: answers.questionId })
	await tx.update(questions).set({ lastActivityAt: sql`greatest(${questions.lastActivityAt}, ${at.toISOString()}::timestamptz)` }).where(eq(questions.id, row!.questionId))
	const [revision] = await tx.insert(revisions).values({ postType: 'answer', postId: answerId, editorId: content.editorId, body: content.body, createdAt: at }).returning({ id: revisions.id })
	return { questionId: row!.questionId, revisionId: revision!.id }
}

/**
 * A new question with its first revision; `at` is when it was asked (now, or the imported or demo date).
 * A held one is indexed when staff approve it (releaseHeldPost), not before.
 */
export async function writeQuestion(tx: Queryable, question: NewQuestion): Promise<Written> {
	const row = await insertQuestion(tx, question)
	if (question.state !== 'held') await enqueueIndexTask(tx, 'question', row.id)
	return row
}

/** An edit of a question: one more revision, by the editor (its id is returned, for what the edit added). */
export async function reviseQuestion(tx: Queryable, questionId: number, content: QuestionEdit): Promise<Written & { revisionId: number }> {
	const row = await updateQuestion(tx, questionId, content)
	await enqueueIndexTask(tx, 'question', questionId)
	return row
}

/** A new answer with its first revision; the question's answer count, first-answer time and activity follow. */
export async function writeAnswer(tx: Queryable, questionId: number, answer: NewAnswer): Promise<{ id: number }> {
	const row = await insertAnswer(tx, questionId, answer)
	if (answer.state !== 'held') await enqueueIndexTask(tx, 'question', questionId)
	return row
}

export async function reviseAnswer(tx: Queryable, answerId: number, content: AnswerEdit): Promise<{ revisionId: number }> {
	const { questionId, revisionId } = await updateAnswer(tx, answerId, content)
	await enqueueIndexTask(tx, 'question', questionId)
	return { revisionId }
}

export type ThreadInput = QuestionContent & {
	authorId: string
	at: Date
	externalId?: string | null
	answers: Array<{ authorId: string; body: string; at: Date; accepted?: boolean }>
	/** People who said "I have this question too" (the demo's). */
	meToo?: string[]
}

/**
 * A whole thread at once, for the import and the demo. A thread with an
 * externalId seen before is updated in place: changed posts get a revision, and
 * answers are matched by position through an externalId derived from the
 * question's (answers no longer in the thread go, with their revisions).
 */
export async function writeThread(tx: Queryable, thread: ThreadInput): Promise<{ id: number; created: boolean; answerIds: number[] }> {
	const [existing] = thread.externalId
		? await tx.select().from(questions).where(eq(questions.externalId, thread.externalId)).for('update')
		: []
	let questionId: number
	if (!existing) {
		questionId = (await insertQuestion(tx, thread)).id
	} else {
		questionId = existing.id
		const tags = (await tagsOfQuestions(tx, [questionId])).get(questionId) ?? []
		const unchanged = existing.title === thread.title && existing.body === thread.body && (!thread.language || existing.language === thread.language) && [...thread.tags].sort().join(' ') === [...tags].sort().join(' ')
		if (!unchanged) await updateQuestion(tx, questionId, { ...thread, editorId: thread.authorId })
	}

	const answerKey = (i: number) => (thread.externalId ? `${thread.externalId}#answer-${i + 1}` : null)
	const keys = thread.answers.map((_, i) => answerKey(i)).filter((key): key is string => key !== null)
	const known = new Map(
		keys.length > 0
			? (await tx.select({ id: answers.id, body: answers.body, externalId: answers.externalId }).from(answers).where(and(eq(answers.questionId, questionId), inArray(answers.externalId, keys)))).map((row) => [row.externalId, row])
			: [],
	)
	let acceptedId: number | null = null
	const answerIds: number[] = []
	for (const [i, answer] of thread.answers.entries()) {
		const key = answerKey(i)
		const match = key ? known.get(key) : undefined
		if (match && match.body !== answer.body) await updateAnswer(tx, match.id, { body: answer.body, editorId: answer.authorId })
		const id = match ? match.id : (await insertAnswer(tx, questionId, { ...answer, externalId: key })).id
		answerIds.push(id)
		if (answer.accepted) acceptedId = id
	}
	if (thread.externalId) {
		const stale = await tx
			.select({ id: answers.id })
			.from(answers)
			.where(and(eq(answers.questionId, questionId), like(answers.externalId, `${escapeLike(thread.externalId)}#answer-%`), keys.length > 0 ? notInArray(answers.externalId, keys) : undefined))
		if (stale.length > 0) {
			const ids = stale.map((row) => row.id)
			await tx.delete(revisions).where(and(eq(revisions.postType, 'answer'), inArray(revisions.postId, ids)))
			await tx.delete(answers).where(inArray(answers.id, ids))
			await recountAnswers(tx, questionId, existing?.lastActivityAt ?? thread.at)
		}
	}
	await tx
		.update(questions)
		.set({ acceptedAnswerId: acceptedId ?? sql`(select ${answers.id} from ${answers} where ${answers.id} = ${questions.acceptedAnswerId})` })
		.where(eq(questions.id, questionId))
	if (thread.meToo && thread.meToo.length > 0) {
		await tx.insert(meToos).values(thread.meToo.map((userId) => ({ questionId, userId, createdAt: thread.at }))).onConflictDoNothing()
		await tx.update(questions).set({ meTooCount: sql`(select count(*)::int from ${meToos} where ${meToos.questionId} = ${questionId})` }).where(eq(questions.id, questionId))
	}
	await recomputeFrequency(tx, { type: 'question', id: questionId })
	await enqueueIndexTask(tx, 'question', questionId)
	return { id: questionId, created: !existing, answerIds }
}
