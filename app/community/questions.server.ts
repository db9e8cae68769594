import { and, asc, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm'
import { db, type Transaction } from '#db/client.server'
import { sharedRead } from '#db/shared-reads.server'
import { answers, meToos, questions, questionTags, questionViews, revisions, tags, users, votes, type PostState } from '#db/schema'
import { enqueueIndexTask } from '#search/sync.server'
import { authorize, can, decide, type Actor, type AnswerableQuestion } from '~/auth/permissions.server'
import { limit } from '~/auth/rate-limit.server'
import { firstImageThumbnail } from '~/markdown/attachments'
import { storedHtml } from '~/markdown/markdown.server'
import { DomainError, notFound } from '~/utils/errors.server'
import { recordContentView, recordEvent, type EventActor } from '~/insights/events.server'
import { recomputeFrequency } from '~/insights/frequency.server'
import { canonicalOf, originalsOf } from './duplicates.server'
import { tagsOfQuestions } from './tags.server'
import { reviseAnswer, reviseQuestion, writeAnswer, writeQuestion } from './threads.server'
import { questionUrl } from '~/utils/urls'
import { diffOrNull } from '~/utils/diff'
import { assertVisible, noticeOf, solvedForEveryone, visibleTo } from '~/moderation/visibility.server'
import type { QuestionInput } from './validation'
import type { ContentLanguage } from '~/utils/limits'
import { languageCondition, languageFirst } from '~/utils/content-language.server'
import type { LanguageScope } from '~/utils/content-language'
import type { EventPlace } from '~/utils/event-place'
import { emitQuestionAnswered, emitQuestionCreated, emitQuestionSolved } from './question-events.server'
import { followAutomatically } from '~/notifications/following.server'
import { notifyLater } from '~/notifications/triggers.server'
import { screenEdit, screenNewPost, type PostScreening } from '~/moderation/holds.server'
import { holdEditedPost } from '~/moderation/moderation.server'

/** Telling followers and webhooks about a new question: when it is posted, or for a held one when staff approve it. */
async function announceQuestion(tx: Transaction, questionId: number, authorId: string) {
	await notifyLater(tx, 'question', questionId, authorId)
	await emitQuestionCreated(tx, questionId)
}

async function announceAnswer(tx: Transaction, questionId: number, answerId: number, authorId: string) {
	await notifyLater(tx, 'answer', answerId, authorId)
	await emitQuestionAnswered(tx, questionId, answerId)
}

/** What the author is told about a new post: the reason when it waits for review (also in the API's answer). */
const screeningResult = (screening: PostScreening) => (screening.state === 'held' ? { state: screening.state, reason: screening.stateReason } : { state: screening.state })

/**
 * A question or answer held at posting time, now approved by staff: followers are
 * notified, webhooks sent and the search index updated, as they would have been when
 * it was posted. Call it in the transaction that makes the post visible.
 */
export async function releaseHeldPost(tx: Transaction, target: { type: 'question' | 'answer'; id: number }) {
	if (target.type === 'question') {
		const [question] = await tx.select({ authorId: questions.authorId }).from(questions).where(eq(questions.id, target.id))
		if (!question) throw notFound('Question')
		await announceQuestion(tx, target.id, question.authorId)
		await enqueueIndexTask(tx, 'question', target.id)
		return
	}
	const [answer] = await tx.select({ questionId: answers.questionId, authorId: answers.authorId }).from(answers).where(eq(answers.id, target.id))
	if (!answer) throw notFound('Answer')
	await announceAnswer(tx, answer.questionId, target.id, answer.authorId)
	await enqueueIndexTask(tx, 'question', answer.questionId)
}

/**
 * `now` is when it is posted: the hourly limits and the new-member rules count from it.
 * `place`: where it was asked (the help widget on a host page; the community when left out).
 */
export async function createQuestion(actor: Actor | null, input: QuestionInput, now = new Date(), place?: EventPlace) {
	authorize(actor, 'question:create')
	await limit('post', actor.id)
	return db.transaction(async (tx) => {
		const screening = await screenNewPost(tx, actor, { title: input.title, body: input.body }, now)
		const question = await writeQuestion(tx, { authorId: actor.id, ...input, at: now, ...screening })
		await followAutomatically(tx, actor.id, question.id)
		if (screening.state === 'visible') await announceQuestion(tx, question.id, actor.id)
		await recordEvent(tx, { actor, visitorId: null, place }, { type: 'question_posted', targetType: 'question', targetId: question.id })
		return { id: question.id, url: questionUrl(question), ...screeningResult(screening) }
	})
}

async function findQuestion(id: number) {
	const [question] = await db.select().from(questions).where(eq(questions.id, id))
	if (!question) throw notFound('Question')
	return question
}

/** An edit goes through the posting rules too: one that adds links by a new member, a held word or repeated text waits for review (the result says why). */
export async function updateQuestion(actor: Actor | null, id: number, input: QuestionInput, now = new Date()) {
	const question = await findQuestion(id)
	authorize(actor, 'post:edit', question)
	await limit('post', actor.id)
	return db.transaction(async (tx) => {
		const screening = await screenEdit(tx, actor, question, { id, title: input.title, body: input.body }, now)
		const updated = await reviseQuestion(tx, id, { editorId: actor.id, ...input, at: now })
		const held = await holdEditedPost(tx, { type: 'question', id }, screening, now)
		if (!held) await notifyLater(tx, 'question-edit', updated.revisionId, actor.id)
		return { id, url: questionUrl(updated), ...(held ? screeningResult(screening) : {}) }
	})
}

/** An answer's text, with its language when the author chose one (detected otherwise). */
type AnswerContent = string | { body: string; language?: ContentLanguage }
const answerContent = (content: AnswerContent) => (typeof content === 'string' ? { body: content } : content)

export async function createAnswer(actor: Actor | null, questionId: number, content: AnswerContent, now = new Date()) {
	const { body, language } = answerContent(content)
	const found = await findQuestion(questionId)
	assertVisible(actor, found, 'Question')
	authorize(actor, 'answer:create', found)
	await limit('post', actor.id)
	return db.transaction(async (tx) => {
		// Locked and asked again: a question closed as a duplicate meanwhile takes no answer.
		const [question] = await tx.select().from(questions).where(eq(questions.id, questionId)).for('update')
		if (!question) throw notFound('Question')
		authorize(actor, 'answer:create', question)
		const screening = await screenNewPost(tx, actor, { body }, now)
		const answer = await writeAnswer(tx, questionId, { authorId: actor.id, body, language, at: now, ...screening })
		await followAutomatically(tx, actor.id, questionId)
		if (screening.state === 'visible') await announceAnswer(tx, questionId, answer.id, actor.id)
		await recordEvent(tx, { actor, visitorId: null }, { type: 'answer_posted', targetType: 'answer', targetId: answer.id })
		return { id: answer.id, url: `${questionUrl(question)}#answer-${answer.id}`, ...screeningResult(screening) }
	})
}

async function findAnswer(id: number) {
	const [answer] = await db.select().from(answers).where(eq(answers.id, id))
	if (!answer) throw notFound('Answer')
	return answer
}

export async function updateAnswer(actor: Actor | null, answerId: number, content: AnswerContent, now = new Date()) {
	const { body, language } = answerContent(content)
	const answer = await findAnswer(answerId)
	authorize(actor, 'post:edit', answer)
	await limit('post', actor.id)
	const question = await findQuestion(answer.questionId)
	const held = await db.transaction(async (tx) => {
		const screening = await screenEdit(tx, actor, { body: answer.body }, { id: answerId, body }, now)
		const { revisionId } = await reviseAnswer(tx, answerId, { editorId: actor.id, body, language, at: now })
		const waits = await holdEditedPost(tx, { type: 'answer', id: answerId }, screening, now)
		if (!waits) await notifyLater(tx, 'answer-edit', revisionId, actor.id)
		return waits ? screeningResult(screening) : {}
	})
	return { id: answerId, url: `${questionUrl(question)}#answer-${answerId}`, ...held }
}

/** One vote per person and post: up, down, or withdrawn ("none"). Voting the same way twice changes nothing. */
export async function vote(actor: Actor | null, postType: 'question' | 'answer', postId: number, value: 'up' | 'down' | 'none') {
	const post = postType === 'question' ? await findQuestion(postId) : await findAnswer(postId)
	assertVisible(actor, post, postType === 'question' ? 'Question' : 'Answer')
	const questionId = postType === 'question' ? postId : (post as { questionId: number }).questionId
	// An answer in a thread the voter cannot see is not there for them either.
	if (postType === 'answer') assertVisible(actor, await findQuestion(questionId), 'Answer')
	authorize(actor, 'post:vote', post)
	await limit('vote', actor.id)
	return db.transaction(async (tx) => {
		const key = and(eq(votes.userId, actor.id), eq(votes.postType, postType), eq(votes.postId, postId))
		if (value === 'none') {
			await tx.delete(votes).where(key)
		} else {
			const numeric = value === 'up' ? 1 : -1
			await tx
				.insert(votes)
				.values({ userId: actor.id, postType, postId, value: numeric })
				.onConflictDoUpdate({ target: [votes.userId, votes.postType, votes.postId], set: { value: numeric } })
		}
		const total = sql<number>`(select coalesce(sum(value), 0)::int from ${votes} where post_type = ${postType} and post_id = ${postId})`
		const [row] =
			postType === 'question'
				? await tx.update(questions).set({ score: total }).where(eq(questions.id, postId)).returning({ score: questions.score })
				: await tx.update(answers).set({ score: total }).where(eq(answers.id, postId)).returning({ score: answers.score })
		await enqueueIndexTask(tx, 'question', questionId)
		return { score: row!.score, vote: value }
	})
}

/** "I have this question too": once per person; the asker's own does not count. */
export async function addMeToo(actor: Actor | null, questionId: number) {
	const question = await findQuestion(questionId)
	assertVisible(actor, question, 'Question')
	// Asking a question is saying it once: the asker's own "me too" is answered with the count, as a repeated one is, so clients need no special case.
	if (actor && !can(actor, 'question:me-too', question)) return { count: question.meTooCount, added: false }
	authorize(actor, 'question:me-too', question)
	await limit('vote', actor.id)
	return db.transaction(async (tx) => {
		const inserted = await tx.insert(meToos).values({ questionId, userId: actor.id }).onConflictDoNothing().returning({ q: meToos.questionId })
		if (inserted.length === 0) return { count: question.meTooCount, added: false }
		await followAutomatically(tx, actor.id, questionId)
		await recordEvent(tx, { actor, visitorId: null }, { type: 'me_too', targetType: 'question', targetId: questionId })
		const [row] = await tx
			.update(questions)
			.set({ meTooCount: sql`${questions.meTooCount} + 1` })
			.where(eq(questions.id, questionId))
			.returning({ count: questions.meTooCount })
		await recomputeFrequency(tx, { type: 'question', id: questionId })
		await enqueueIndexTask(tx, 'question', questionId)
		// A "me too" on a duplicate is one more person asking the original.
		const canonical = await canonicalOf(tx, questionId)
		if (canonical) {
			await recomputeFrequency(tx, canonical)
			await enqueueIndexTask(tx, canonical.type, canonical.id)
		}
		return { count: row!.count, added: true }
	})
}

/** Why an answer that others cannot read cannot solve the question for them. */
const notAcceptable: Record<Exclude<PostState, 'visible'>, string> = {
	held: 'This answer is waiting for review: it can be accepted once it is approved',
	hidden: 'This answer is hidden by staff: it cannot be accepted',
	deleted: 'This answer is deleted: it cannot be accepted',
}

/**
 * Accepting tells the asker's followers and webhooks the question is solved, so only
 * an answer everyone reads can be accepted. One the actor cannot read is answered as
 * one that does not exist (404, so hidden ids do not leak); one they can (their own
 * held answer, or staff) is refused with the reason.
 */
export async function acceptAnswer(actor: Actor | null, questionId: number, answerId: number) {
	const question = await findQuestion(questionId)
	assertVisible(actor, question, 'Question')
	authorize(actor, 'answer:accept', question)
	const answer = await findAnswer(answerId)
	assertVisible(actor, answer, 'Answer')
	if (answer.questionId !== questionId) throw new DomainError('invalid', 'That answer belongs to another question')
	await db.transaction(async (tx) => {
		// Locked as moderation locks it, so it cannot be hidden between this check and the acceptance.
		const [current] = await tx.select({ state: answers.state }).from(answers).where(eq(answers.id, answerId)).for('update')
		if (!current) throw notFound('Answer')
		if (current.state !== 'visible') throw new DomainError('conflict', notAcceptable[current.state])
		await tx.update(questions).set({ acceptedAnswerId: answerId, lastActivityAt: new Date() }).where(eq(questions.id, questionId))
		await enqueueIndexTask(tx, 'question', questionId)
		// Accepting the answer that is already accepted changes nothing worth telling.
		if (question.acceptedAnswerId !== answerId) {
			await emitQuestionSolved(tx, questionId, answerId)
			await notifyLater(tx, 'accepted', answerId, actor.id)
		}
		await recordEvent(tx, { actor, visitorId: null }, { type: 'answer_accepted', targetType: 'answer', targetId: answerId })
	})
	return { acceptedAnswerId: answerId }
}

/** Counts one view per viewer (person or visitor) and question per day; every view is an event. */
export async function recordQuestionView(questionId: number, viewer: EventActor, options: { fromAskForm?: boolean } = {}) {
	const viewerKey = viewer.actor?.id ?? viewer.visitorId ?? 'anonymous'
	const day = new Date().toISOString().slice(0, 10)
	// The event and the daily view are independent writes: side by side, a page waits for one round trip instead of two.
	await Promise.all([recordContentView(viewer, { type: 'question', id: questionId }, options), countDailyView(questionId, viewerKey, day)])
}

/**
 * An async function of its own, so that a database gone (a stopping server) rejects its
 * promise: built inline in the Promise.all above, `db.insert` threw before the event's
 * promise was awaited, whose rejection then went unhandled and ended the process.
 */
async function countDailyView(questionId: number, viewerKey: string, day: string) {
	const inserted = await db.insert(questionViews).values({ questionId, viewerKey, day }).onConflictDoNothing().returning({ q: questionViews.questionId })
	if (inserted.length > 0) {
		await db.update(questions).set({ viewCount: sql`${questions.viewCount} + 1` }).where(eq(questions.id, questionId))
	}
}

type VoteTally = { up: number; down: number; mine: 'up' | 'down' | null }

/**
 * The votes on a question and on each of its answers, counted by the database: one
 * row per post instead of one per vote (a popular thread has thousands), in one
 * query for the whole thread. Keyed `question:<id>` and `answer:<id>`.
 */
async function threadVoteTallies(questionId: number, viewerId: string | null) {
	const rows = await db
		.select({
			postType: votes.postType,
			postId: votes.postId,
			up: sql<number>`count(*) filter (where ${votes.value} > 0)::int`,
			down: sql<number>`count(*) filter (where ${votes.value} <= 0)::int`,
			mine: sql<number | null>`max(${votes.value}) filter (where ${votes.userId} = ${viewerId})`,
		})
		.from(votes)
		.where(
			or(
				and(eq(votes.postType, 'question'), eq(votes.postId, questionId)),
				// `= any(array(…))`, not `in (select …)`: PostgreSQL plans the latter as a filter over every vote (measured 7.7 ms at 100,000 votes), the former as a lookup in votes_post_idx (0.1 ms).
				and(eq(votes.postType, 'answer'), sql`${votes.postId} = any(array(select ${answers.id} from ${answers} where ${answers.questionId} = ${questionId}))`),
			),
		)
		.groupBy(votes.postType, votes.postId)
	const tallies = new Map<string, VoteTally>()
	for (const row of rows) tallies.set(`${row.postType}:${row.postId}`, { up: row.up, down: row.down, mine: row.mine === null ? null : row.mine > 0 ? 'up' : 'down' })
	return (postType: 'question' | 'answer', id: number): VoteTally => tallies.get(`${postType}:${id}`) ?? { up: 0, down: 0, mine: null }
}

const author = { id: users.id, displayName: users.displayName, role: users.role }

/** What the page offers for answering: the form, a link to sign in first, or nothing (a closed duplicate). */
function answerPermission(viewer: Actor | null, question: AnswerableQuestion): 'allowed' | 'sign-in' | 'refused' {
	const decision = decide(viewer, 'answer:create', question)
	return decision.allowed ? 'allowed' : decision.code === 'unauthorized' ? 'sign-in' : 'refused'
}

/** A question with its answers as the thread page and the API show it. */
export async function getQuestionThread(id: number, viewer: Actor | null) {
	const [row] = await db.select({ question: questions, author }).from(questions).innerJoin(users, eq(users.id, questions.authorId)).where(eq(questions.id, id))
	if (!row) throw notFound('Question')
	const { question } = row
	assertVisible(viewer, question, 'Question')
	// Once the question may be shown, the rest of the thread is read side by side: one round trip instead of five.
	const [answerRows, tally, tagMap, [meToo]] = await Promise.all([
		db
			.select({ answer: answers, author })
			.from(answers)
			.innerJoin(users, eq(users.id, answers.authorId))
			.where(and(eq(answers.questionId, id), visibleTo(viewer, answers)))
			.orderBy(desc(sql`${answers.id} = ${question.acceptedAnswerId ?? 0}`), desc(answers.score), asc(answers.createdAt)),
		threadVoteTallies(id, viewer?.id ?? null),
		tagsOfQuestions(db, [id]),
		viewer ? db.select({ questionId: meToos.questionId }).from(meToos).where(and(eq(meToos.questionId, id), eq(meToos.userId, viewer.id))) : [],
	])
	const url = questionUrl(question)
	// Accepted as this viewer sees it: an accepted answer they cannot read solves nothing for them.
	const acceptedAnswerId = answerRows.some(({ answer }) => answer.id === question.acceptedAnswerId) ? question.acceptedAnswerId : null
	return {
		id: question.id,
		title: question.title,
		slug: question.slug,
		body: question.body,
		bodyHtml: storedHtml(question),
		language: question.language,
		tags: tagMap.get(id) ?? [],
		url,
		externalId: question.externalId,
		author: row.author,
		createdAt: question.createdAt.toISOString(),
		updatedAt: question.updatedAt.toISOString(),
		edited: question.updatedAt.getTime() - question.createdAt.getTime() > 1000,
		score: question.score,
		votes: tally('question', id),
		meToo: question.meTooCount,
		saidMeToo: Boolean(meToo),
		views: question.viewCount,
		solved: acceptedAnswerId !== null,
		acceptedAnswerId,
		notice: noticeOf(question),
		locked: question.lockedAt === null ? null : { reason: question.lockReason },
		permissions: {
			edit: can(viewer, 'post:edit', question),
			accept: can(viewer, 'answer:accept', question),
			vote: can(viewer, 'post:vote', question),
			meToo: can(viewer, 'question:me-too', question),
			answer: answerPermission(viewer, question),
			makeFaq: can(viewer, 'question:make-faq', { ...question, acceptedAnswer: answerRows.find(({ answer }) => answer.id === question.acceptedAnswerId)?.answer ?? null }),
			moderate: can(viewer, 'moderation:review'),
			restoreDeleted: can(viewer, 'post:restore-deleted'),
		},
		answers: answerRows.map(({ answer, author: answerAuthor }) => ({
			id: answer.id,
			body: answer.body,
			bodyHtml: storedHtml(answer),
			language: answer.language,
			author: answerAuthor,
			url: `${url}#answer-${answer.id}`,
			createdAt: answer.createdAt.toISOString(),
			edited: answer.updatedAt.getTime() - answer.createdAt.getTime() > 1000,
			score: answer.score,
			votes: tally('answer', answer.id),
			accepted: answer.id === question.acceptedAnswerId,
			notice: noticeOf(answer),
			permissions: {
				edit: can(viewer, 'post:edit', answer),
				vote: can(viewer, 'post:vote', answer),
			},
		})),
	}
}
export type QuestionThread = Awaited<ReturnType<typeof getQuestionThread>>

export type QuestionListSort = 'newest' | 'active' | 'unanswered' | 'solved' | 'frequent'

type QuestionListOptions = { sort: QuestionListSort; tag?: string; languages?: LanguageScope }

/** Lists are shared by everyone, so they hold visible questions only: authors and staff reach the others by their page. */
export async function listQuestions(options: QuestionListOptions & { page: number; pageSize?: number }) {
	// The same for every reader: shared (three or four queries on every list and tag view otherwise).
	return sharedRead('listQuestions', listKey(options, options.page, options.pageSize ?? 20), () => readQuestionList(options))
}

const listKey = (options: QuestionListOptions, ...rest: number[]) =>
	JSON.stringify([options.sort, options.tag ?? null, options.languages?.language ?? null, options.languages?.all ?? true, ...rest])

async function readQuestionList(options: QuestionListOptions & { page: number; pageSize?: number }) {
	const pageSize = options.pageSize ?? 20
	const list = questionList(options)
	// The count and the page asked for are read side by side; only a page past the end (the last page is shown instead) needs a second look.
	const requested = Math.max(1, options.page)
	const [countRow, requestedRows] = await Promise.all([db.select({ count: sql<number>`count(*)::int` }).from(questions).where(list.where).then(([row]) => row), list.rows(pageSize, (requested - 1) * pageSize)])
	const total = countRow?.count ?? 0
	const pageCount = Math.max(1, Math.ceil(total / pageSize))
	const page = Math.min(requested, pageCount)
	const rows = page === requested ? requestedRows : await list.rows(pageSize, (page - 1) * pageSize)
	return { total, page, pageCount, items: await questionItems(rows) }
}

/** The first few questions of a list, for a page that shows no count or pages of it (the home page): one query less. */
export async function topQuestions(options: QuestionListOptions & { limit: number }) {
	return sharedRead('topQuestions', listKey(options, options.limit), async () => questionItems(await questionList(options).rows(options.limit, 0)))
}

function questionList(options: QuestionListOptions) {
	const scope = options.languages ?? { language: null, all: true }
	const conditions: SQL[] = [eq(questions.state, 'visible')]
	const inLanguage = languageCondition(questions.language, scope)
	if (inLanguage) conditions.push(inLanguage)
	// A closed duplicate is answered by its original: it waits for nobody.
	if (options.sort === 'unanswered') conditions.push(eq(questions.answerCount, 0), isNull(questions.closedAt))
	if (options.sort === 'solved') conditions.push(solvedForEveryone)
	if (options.tag) {
		conditions.push(
			sql`exists (select 1 from ${questionTags} join ${tags} on ${tags.id} = ${questionTags.tagId} where ${questionTags.questionId} = ${questions.id} and ${tags.name} = ${options.tag})`,
		)
	}
	const where = and(...conditions)
	const order = [
		...languageFirst(questions.language, scope),
		...(options.sort === 'frequent'
			? [desc(questions.frequency), desc(questions.viewCount), desc(questions.createdAt)]
			: options.sort === 'active'
				? [desc(questions.lastActivityAt)]
				: [desc(questions.createdAt), desc(questions.id)]),
	]
	return {
		where,
		rows: (limit: number, offset: number) =>
			db
				.select({ question: listedColumns, author, solved: solvedForEveryone })
				.from(questions)
				.innerJoin(users, eq(users.id, questions.authorId))
				.where(where)
				.orderBy(...order)
				.limit(limit)
				.offset(offset),
	}
}

/** What a list shows of a question: not its stored HTML, which is most of a row. */
const listedColumns = {
	id: questions.id,
	title: questions.title,
	slug: questions.slug,
	body: questions.body,
	language: questions.language,
	createdAt: questions.createdAt,
	score: questions.score,
	answerCount: questions.answerCount,
	meTooCount: questions.meTooCount,
	viewCount: questions.viewCount,
	duplicateOfQuestionId: questions.duplicateOfQuestionId,
	duplicateOfFaqId: questions.duplicateOfFaqId,
}

type ListedRow = Awaited<ReturnType<ReturnType<typeof questionList>['rows']>>[number]

async function questionItems(rows: ListedRow[]) {
	const [tagMap, originals] = await Promise.all([tagsOfQuestions(db, rows.map((r) => r.question.id)), originalsOf(rows.map((r) => r.question))])
	return rows.map(({ question, author: questionAuthor, solved }) => ({
		id: question.id,
		title: question.title,
		url: questionUrl(question),
		excerpt: question.body.slice(0, 200),
		thumbnail: firstImageThumbnail(question.body),
		language: question.language,
		tags: tagMap.get(question.id) ?? [],
		author: questionAuthor,
		createdAt: question.createdAt.toISOString(),
		score: question.score,
		answerCount: question.answerCount,
		meToo: question.meTooCount,
		views: question.viewCount,
		solved,
		duplicateOf: originals.get(question.id) ?? null,
	}))
}

export async function questionRevisions(actor: Actor | null, questionId: number) {
	const question = await findQuestion(questionId)
	// The history shows what the thread shows: nothing of a question the viewer cannot see (404 before any 403, so it does not leak), no answer left out of it.
	assertVisible(actor, question, 'Question')
	authorize(actor, 'revision:view', question)
	const answerIds = await db.select({ id: answers.id }).from(answers).where(and(eq(answers.questionId, questionId), visibleTo(actor, answers)))
	const rows = await db
		.select({ revision: revisions, editor: { id: users.id, displayName: users.displayName } })
		.from(revisions)
		.innerJoin(users, eq(users.id, revisions.editorId))
		.where(
			sql`(${revisions.postType} = 'question' and ${revisions.postId} = ${questionId}) or (${revisions.postType} = 'answer' and ${revisions.postId} in ${answerIds.length ? answerIds.map((a) => a.id) : [0]})`,
		)
		.orderBy(asc(revisions.createdAt), asc(revisions.id))
	// Each save is compared with the save before it of the same post (the question, or one answer).
	const previousOf = new Map<string, (typeof rows)[number]['revision']>()
	const history = rows.map(({ revision, editor }) => {
		const key = `${revision.postType}-${revision.postId}`
		const previous = previousOf.get(key)
		previousOf.set(key, revision)
		const tags = revision.tags ?? []
		return {
			id: revision.id,
			postType: revision.postType,
			postId: revision.postId,
			title: revision.title,
			body: revision.body,
			tags,
			editor,
			createdAt: revision.createdAt.toISOString(),
			changes: previous
				? {
						title: revision.title === null ? null : diffOrNull(previous.title ?? '', revision.title),
						body: diffOrNull(previous.body, revision.body),
						tags: diffOrNull((previous.tags ?? []).join(' '), tags.join(' ')),
					}
				: null,
		}
	})
	return { question: { id: question.id, title: question.title, url: questionUrl(question) }, revisions: history.reverse() }
}

export async function getAnswerForEdit(actor: Actor | null, answerId: number) {
	const answer = await findAnswer(answerId)
	authorize(actor, 'post:edit', answer)
	const question = await findQuestion(answer.questionId)
	return { id: answer.id, body: answer.body, language: answer.language, question: { id: question.id, title: question.title, url: questionUrl(question) } }
}
