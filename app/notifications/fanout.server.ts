import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm'
import { db, type Transaction } from '#db/client.server'
import type { Handler, Payloads } from '#db/queue.server'
import { answers, faqs, questions, revisions } from '#db/schema'
import { mentionedHandles } from '~/markdown/mentions'

type Notify = Payloads['notify']

/** What every notification of one job points at, who caused it and when (the change's own time where it has one, so a job that ran late still sorts where the change happened). */
type Subject = { questionId: number | null; answerId: number | null; faqId: number | null; actorId: string | null; at: Date }

/**
 * Who is told what, one row per person and cause: `user_id`, `type`, `rank`,
 * `source_key`. When someone qualifies several ways, the lowest rank (the most
 * specific type) wins:
 *
 * - a new answer: `answer` (the asker) > `mention` > `followed_answer` (followers);
 * - an accepted answer: `accepted` (its author) > `solved` (asker, followers, "me too");
 * - a new question: `mention` > `tag_question` (followers of any of its tags, once);
 * - `duplicate` and `faq` go to the asker only; edits tell only the mentions they added.
 *
 * Follower types and the asker's `answer`/`solved` respect an explicit unfollow (a
 * `question_follows` row with `following = false`); `accepted`, `mention`,
 * `duplicate` and `faq` are about the person themselves and always go out.
 */
type Candidates = SQL

const notUnfollowed = (userId: SQL, questionId: number) =>
	sql`not exists (select 1 from question_follows nf where nf.user_id = ${userId} and nf.question_id = ${questionId} and not nf.following)`

// Handles are `[a-z0-9_]` (app/markdown/mention-syntax.ts), so a comma list is a safe single parameter.
const mentioned = (handles: string[], rank: number, sourceKey: string): Candidates =>
	sql`select u.id as user_id, 'mention' as type, ${rank}::int as rank, ${sourceKey}::text as source_key from users u where u.handle = any(string_to_array(${handles.join(',')}::text, ','))`

/**
 * One statement, whatever the number of people: 10,000 followers of a tag are one
 * INSERT … SELECT. The unique key (user, type, source) makes a job that runs again
 * (a retry after a failure, a second worker) add nothing.
 */
async function insertNotifications(tx: Transaction, subject: Subject, candidates: Candidates[]): Promise<number[]> {
	if (candidates.length === 0) return []
	const rows = (await tx.execute(sql`
		insert into notifications (user_id, type, source_key, question_id, answer_id, faq_id, actor_id, created_at)
		select distinct on (c.user_id) c.user_id, c.type::notification_type, c.source_key, ${subject.questionId}::int, ${subject.answerId}::int, ${subject.faqId}::int, ${subject.actorId}::text, ${subject.at.toISOString()}::timestamptz
		from (${sql.join(candidates, sql` union all `)}) c
		join users u on u.id = c.user_id and not u.is_system
		where c.user_id is distinct from ${subject.actorId}::text
		order by c.user_id, c.rank
		on conflict (user_id, type, source_key) do nothing
		returning id`)) as unknown as Array<{ id: string | number }>
	return rows.map((row) => Number(row.id))
}

async function questionCreated(tx: Transaction, job: Notify, now: Date) {
	const [question] = await tx.select({ id: questions.id, body: questions.body, createdAt: questions.createdAt }).from(questions).where(eq(questions.id, job.id))
	if (!question) return []
	const handles = mentionedHandles(question.body)
	return insertNotifications(tx, { questionId: question.id, answerId: null, faqId: null, actorId: job.actorId, at: question.createdAt }, [
		...(handles.length > 0 ? [mentioned(handles, 1, `mention:question:${question.id}`)] : []),
		sql`select distinct tf.user_id, 'tag_question' as type, 2 as rank, ${`question:${question.id}`}::text as source_key
			from question_tags qt join tag_follows tf on tf.tag_id = qt.tag_id where qt.question_id = ${question.id}`,
	])
}

async function answerCreated(tx: Transaction, job: Notify, now: Date) {
	const [row] = await tx
		.select({ id: answers.id, body: answers.body, questionId: answers.questionId, askerId: questions.authorId, createdAt: answers.createdAt })
		.from(answers)
		.innerJoin(questions, eq(questions.id, answers.questionId))
		.where(eq(answers.id, job.id))
	if (!row) return []
	const key = `answer:${row.id}`
	const handles = mentionedHandles(row.body)
	return insertNotifications(tx, { questionId: row.questionId, answerId: row.id, faqId: null, actorId: job.actorId, at: row.createdAt }, [
		sql`select ${row.askerId}::text as user_id, 'answer' as type, 1 as rank, ${key}::text as source_key where ${notUnfollowed(sql`${row.askerId}::text`, row.questionId)}`,
		...(handles.length > 0 ? [mentioned(handles, 2, `mention:answer:${row.id}`)] : []),
		sql`select f.user_id, 'followed_answer', 3, ${key}::text from question_follows f where f.question_id = ${row.questionId} and f.following`,
	])
}

async function answerAccepted(tx: Transaction, job: Notify, now: Date) {
	const [row] = await tx
		.select({ id: answers.id, authorId: answers.authorId, questionId: answers.questionId, askerId: questions.authorId, acceptedAnswerId: questions.acceptedAnswerId })
		.from(answers)
		.innerJoin(questions, eq(questions.id, answers.questionId))
		.where(eq(answers.id, job.id))
	// Another answer accepted before this job ran: that acceptance tells its own story.
	if (!row || row.acceptedAnswerId !== row.id) return []
	const solved = `solved:${row.questionId}`
	return insertNotifications(tx, { questionId: row.questionId, answerId: row.id, faqId: null, actorId: job.actorId, at: now }, [
		sql`select ${row.authorId}::text as user_id, 'accepted' as type, 1 as rank, ${`accepted:${row.id}`}::text as source_key`,
		sql`select ${row.askerId}::text, 'solved', 2, ${solved}::text where ${notUnfollowed(sql`${row.askerId}::text`, row.questionId)}`,
		sql`select f.user_id, 'solved', 2, ${solved}::text from question_follows f where f.question_id = ${row.questionId} and f.following`,
		sql`select m.user_id, 'solved', 2, ${solved}::text from me_toos m where m.question_id = ${row.questionId} and ${notUnfollowed(sql`m.user_id`, row.questionId)}`,
	])
}

async function closedAsDuplicate(tx: Transaction, job: Notify, now: Date) {
	const [question] = await tx.select().from(questions).where(eq(questions.id, job.id))
	if (!question) return []
	const original = question.duplicateOfQuestionId !== null ? `question:${question.duplicateOfQuestionId}` : question.duplicateOfFaqId !== null ? `faq:${question.duplicateOfFaqId}` : null
	// Reopened before this job ran: nothing to tell.
	if (!original) return []
	return insertNotifications(tx, { questionId: question.id, answerId: null, faqId: null, actorId: job.actorId, at: question.closedAt ?? now }, [
		sql`select ${question.authorId}::text as user_id, 'duplicate' as type, 1 as rank, ${`duplicate:${question.id}:${original}`}::text as source_key`,
	])
}

async function faqPublished(tx: Transaction, job: Notify, now: Date) {
	const [row] = await tx
		.select({ id: faqs.id, published: faqs.published, publishedAt: faqs.publishedAt, questionId: questions.id, askerId: questions.authorId })
		.from(faqs)
		.innerJoin(questions, eq(questions.id, faqs.sourceQuestionId))
		.where(eq(faqs.id, job.id))
	if (!row || !row.published) return []
	return insertNotifications(tx, { questionId: row.questionId, answerId: null, faqId: row.id, actorId: job.actorId, at: row.publishedAt ?? now }, [
		sql`select ${row.askerId}::text as user_id, 'faq' as type, 1 as rank, ${`faq:${row.id}`}::text as source_key`,
	])
}

/** An edit tells the people its new text mentions that the version before did not. */
async function postEdited(tx: Transaction, job: Notify, now: Date) {
	const postType = job.cause === 'question-edit' ? 'question' : 'answer'
	const [revision] = await tx.select().from(revisions).where(and(eq(revisions.id, job.id), eq(revisions.postType, postType)))
	if (!revision) return []
	const [before] = await tx
		.select({ body: revisions.body })
		.from(revisions)
		.where(and(eq(revisions.postType, postType), eq(revisions.postId, revision.postId), lt(revisions.id, revision.id)))
		.orderBy(desc(revisions.id))
		.limit(1)
	const known = new Set(before ? mentionedHandles(before.body) : [])
	const added = mentionedHandles(revision.body).filter((handle) => !known.has(handle))
	if (added.length === 0) return []
	const questionId =
		postType === 'question' ? revision.postId : (await tx.select({ questionId: answers.questionId }).from(answers).where(eq(answers.id, revision.postId)))[0]?.questionId
	if (questionId === undefined) return []
	// Keyed by the post, as a mention when it was written: someone told about a post once is not told again by each edit.
	return insertNotifications(tx, { questionId, answerId: postType === 'answer' ? revision.postId : null, faqId: null, actorId: job.actorId, at: revision.createdAt }, [
		mentioned(added, 1, `mention:${postType}:${revision.postId}`),
	])
}

const causes: Record<Notify['cause'], (tx: Transaction, job: Notify, now: Date) => Promise<number[]>> = {
	question: questionCreated,
	answer: answerCreated,
	accepted: answerAccepted,
	duplicate: closedAsDuplicate,
	faq: faqPublished,
	'question-edit': postEdited,
	'answer-edit': postEdited,
}

/** Turns one change into its notifications; returns the ids of those it added (none when it ran before). */
export async function fanOut(tx: Transaction, job: Notify, now = new Date()): Promise<number[]> {
	return causes[job.cause](tx, job, now)
}

/**
 * The `notify` queue's handler: each job in a transaction of its own, which also
 * runs `onNotified` with the notifications it added (the mail lane queues their
 * mails there), so a notification and its mail commit together or not at all.
 */
export function notifyJobs(options: { onNotified: (tx: Transaction, notificationIds: number[]) => Promise<void>; clock?: () => Date }): Handler<'notify'> {
	const clock = options.clock ?? (() => new Date())
	return async (jobs) => {
		for (const job of jobs) {
			try {
				await db.transaction(async (tx) => {
					const ids = await fanOut(tx, job.data, clock())
					if (ids.length > 0) await options.onNotified(tx, ids)
				})
			} catch (error) {
				await job.fail(error instanceof Error ? error.message : String(error))
			}
		}
	}
}
