import type { AppLoadContext } from '@remix-run/node'
import { beforeEach, describe, expect, it } from 'vitest'
import { and, eq, sql } from 'drizzle-orm'
import type { Actor } from '../../app/auth/permissions.server'
import {
	acceptAnswer,
	createAnswer,
	getQuestionThread,
	listQuestions,
	questionRevisions,
	updateAnswer,
	updateQuestion,
	vote,
} from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { recordFeedback } from '../../app/knowledge/feedback.server'
import { AUTOMATIC_HIDE_REASON, flagPost } from '../../app/moderation/flags.server'
import { holdReasons } from '../../app/moderation/holds.server'
import { ownTrustLevel } from '../../app/moderation/trust.server'
import { reviewCountQuery, reviewDecision, reviewQueue } from '../../app/moderation/review.server'
import { moderatePost } from '../../app/moderation/moderation.server'
import { listFollowing, setQuestionFollowing } from '../../app/notifications/following.server'
import { getProfile } from '../../app/people/profiles.server'
import { loader as questionApi } from '../../app/routes/api.v1.questions.$id'
import { loader as profilePage } from '../../app/routes/users.$id'
import { db } from '../../db/client.server'
import { answers, auditEvents, questions, users, votes } from '../../db/schema'
import { questionDocuments } from '../../search/documents.server'
import { person, question as ask } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'

const context = (actor: Actor | null) => ({ actor, authVia: actor ? 'session' : null, visitorId: 'visitor-1', locale: 'en', secure: false, clientIp: '127.0.0.1' }) as AppLoadContext
const apiThread = async (id: number, viewer: Actor | null) =>
	(await questionApi({ request: new Request(`http://localhost/api/v1/questions/${id}`), params: { id: String(id) }, context: context(viewer) })).json()
const stateOf = async (table: typeof questions | typeof answers, id: number) => (await db.select({ state: table.state, reason: table.stateReason }).from(table).where(eq(table.id, id)))[0]!

/** A member who joined a month ago with three visible posts: not new, so links alone do not hold their posts. */
async function established() {
	const who = await person()
	await db.update(users).set({ createdAt: new Date(Date.now() - 30 * 24 * 3600_000) }).where(eq(users.id, who.id))
	for (let n = 0; n < 3; n++) await ask(who, { title: `An earlier question, number ${n}`, body: `An earlier question, number ${n}, with enough text.` })
	// Asked well before, so outside any hourly limit.
	await db.update(questions).set({ createdAt: new Date(Date.now() - 2 * 24 * 3600_000) }).where(eq(questions.authorId, who.id))
	return who
}

describe('what finishing moderation adds', () => {
	beforeEach(resetData)

	it('shows a thread whose accepted answer is hidden as unsolved to others, in lists, the page, the API and search, and as solved to the answer’s author and staff', async () => {
		const [asker, helper, reader, cs] = [await person(), await person(), await person(), await person('cs')]
		const { id } = await ask(asker, { title: 'Calendar sync drops recurring events' })
		const answer = await createAnswer(helper, id, 'Re-authorise the calendar connection.')
		await acceptAnswer(asker, id, answer.id)
		const solvedIds = async () => (await listQuestions({ sort: 'solved', page: 1 })).items.map((item) => item.id)
		expect(await solvedIds()).toEqual([id])

		await moderatePost(cs, { type: 'answer', id: answer.id }, 'hide', 'Leaks a customer’s calendar')
		expect(await solvedIds()).toEqual([])
		expect((await listQuestions({ sort: 'newest', page: 1 })).items.map((item) => item.solved)).toEqual([false])
		for (const viewer of [null, reader, asker]) {
			expect(await getQuestionThread(id, viewer)).toMatchObject({ solved: false, acceptedAnswerId: null, answers: [] })
			expect(await apiThread(id, viewer)).toMatchObject({ solved: false, acceptedAnswerId: null })
		}
		for (const viewer of [helper, cs]) expect(await getQuestionThread(id, viewer)).toMatchObject({ solved: true, acceptedAnswerId: answer.id })
		expect((await questionDocuments([id]))[0]!.solved).toBe(false)
		expect((await getProfile(asker.id, { questions: 1, answers: 1 })).questions.items[0]!.solved).toBe(false)
		await setQuestionFollowing(reader, id, true)
		expect((await listFollowing(reader, 1)).questions.map((q) => q.solved)).toEqual([false])

		await moderatePost(cs, { type: 'answer', id: answer.id }, 'restore', '')
		expect(await solvedIds()).toEqual([id])
		expect(await apiThread(id, null)).toMatchObject({ solved: true, acceptedAnswerId: answer.id })
		expect((await questionDocuments([id]))[0]!.solved).toBe(true)
	})

	it('refuses following, votes on its answers and feedback on a question others cannot see, as if it did not exist', async () => {
		const [asker, helper, other, cs] = [await person(), await person(), await person(), await person('cs')]
		const { id } = await ask(asker)
		const answer = await createAnswer(helper, id, 'Switch the export format to XLSX.')
		await setQuestionFollowing(other, id, true)
		await moderatePost(cs, { type: 'question', id }, 'hide', 'Off-topic advertising')

		expect((await refusal(setQuestionFollowing(other, id, false))).status).toBe(404)
		expect((await refusal(vote(other, 'answer', answer.id, 'up'))).status).toBe(404)
		expect(await db.select().from(votes)).toEqual([])
		const voter = { actor: other, visitorId: 'v-1', clientIp: '127.0.0.2' }
		expect((await refusal(recordFeedback(voter, { targetType: 'question', targetId: id, helpful: true }))).status).toBe(404)
		expect((await refusal(recordFeedback({ actor: null, visitorId: 'v-2', clientIp: '127.0.0.3' }, { targetType: 'question', targetId: id, helpful: true }))).status).toBe(404)
		// It leaves the follower's list as it left every other one.
		expect((await listFollowing(other, 1)).questions).toEqual([])
		// Its author and staff still reach it.
		expect(await setQuestionFollowing(asker, id, false)).toEqual({ following: false })
		expect(await setQuestionFollowing(cs, id, true)).toEqual({ following: true })
		expect((await listFollowing(asker, 1)).questions).toEqual([])
		expect((await listFollowing(cs, 1)).questions.map((q) => q.id)).toEqual([id])

		await moderatePost(cs, { type: 'question', id }, 'restore', '')
		expect(await setQuestionFollowing(other, id, true)).toEqual({ following: true })
		expect(await vote(other, 'answer', answer.id, 'up')).toMatchObject({ score: 1 })
	})

	it('answers 404 for the revision history of a hidden question, and leaves hidden answers out of it', async () => {
		const [asker, helper, other, cs] = [await person(), await person(), await person(), await person('cs')]
		const { id } = await ask(asker)
		const answer = await createAnswer(helper, id, 'Use the bulk editor.')
		await moderatePost(cs, { type: 'answer', id: answer.id }, 'hide', 'Wrong')
		expect((await questionRevisions(asker, id)).revisions.map((r) => r.postType)).toEqual(['question'])
		expect((await questionRevisions(cs, id)).revisions.map((r) => r.postType).sort()).toEqual(['answer', 'question'])

		await moderatePost(cs, { type: 'question', id }, 'hide', 'Private data')
		expect((await refusal(questionRevisions(other, id))).status).toBe(404)
		expect((await refusal(questionRevisions(null, id))).status).toBe(404)
		expect((await questionRevisions(asker, id)).revisions).toHaveLength(1)
	})

	it('holds an edit that adds a link by a new member, a held word or repeated text, as it holds new posts', async () => {
		const [newcomer, other, regular, cs] = [await person(), await person(), await established(), await person('cs')]
		const { id } = await ask(newcomer, { title: 'Board filters reset after reload', body: 'Filters go away when I reload.' })
		const answer = await createAnswer(newcomer, (await ask(regular)).id, 'Try clearing the browser cache first.')
		expect((await stateOf(questions, id)).state).toBe('visible')

		const edited = await updateQuestion(newcomer, id, questionSchema.parse({ title: 'Board filters reset after reload', body: 'See https://spam.example/filters for a fix.', tags: '' }))
		expect(edited).toMatchObject({ state: 'held', reason: holdReasons.newPersonLinks })
		expect(await stateOf(questions, id)).toEqual({ state: 'held', reason: holdReasons.newPersonLinks })
		expect((await refusal(getQuestionThread(id, other))).status).toBe(404)
		expect((await getQuestionThread(id, newcomer)).notice).toEqual({ state: 'held', reason: holdReasons.newPersonLinks })

		const answerEdit = await updateAnswer(newcomer, answer.id, 'Or buy the fix at www.spam.example today.')
		expect(answerEdit).toMatchObject({ state: 'held', reason: holdReasons.newPersonLinks })
		expect((await db.select({ n: questions.answerCount }).from(questions).where(eq(questions.id, (await db.select({ q: answers.questionId }).from(answers).where(eq(answers.id, answer.id)))[0]!.q)))[0]!.n).toBe(0)

		// An established member's edit is screened on what it adds: a link is fine, repeating another recent post is not.
		const own = await ask(regular, { title: 'Gantt export cuts the last column', body: 'The PDF is missing a column.' })
		expect(await updateQuestion(regular, own.id, questionSchema.parse({ title: 'Gantt export cuts the last column', body: 'Like https://docs.example/gantt says.', tags: '' }))).not.toHaveProperty('state')
		expect((await stateOf(questions, own.id)).state).toBe('visible')
		const first = await ask(regular, { title: 'Kanban lanes vanish on reload', body: 'The lanes go away when I reload.' })
		const repeated = await updateQuestion(regular, own.id, questionSchema.parse({ title: 'Kanban lanes vanish on reload', body: 'The lanes go away when I reload.', tags: '' }))
		expect(repeated).toMatchObject({ state: 'held', reason: holdReasons.repeated })
		expect((await stateOf(questions, first.id)).state).toBe('visible')
		// Staff editing a post are never held.
		await moderatePost(cs, { type: 'question', id: own.id }, 'approve', '')
		expect(await updateQuestion(cs, own.id, questionSchema.parse({ title: 'Gantt export cuts the last column', body: 'See https://a.example and https://b.example and https://c.example and https://d.example', tags: '' }))).not.toHaveProperty('state')

		// Approving it makes it visible again.
		expect(await moderatePost(cs, { type: 'question', id }, 'approve', '')).toEqual({ state: 'visible', locked: false })
		expect((await getQuestionThread(id, other)).body).toContain('spam.example')
	})

	it('holds an approved link post again when its author points a link somewhere else, however many links it has', async () => {
		const [newcomer, cs, regular] = [await person(), await person('cs'), await established()]
		const { id } = await ask(newcomer, { title: 'Where is the export guide?', body: 'The guide at https://docs.example/export/v2 does not say.' })
		expect((await stateOf(questions, id)).state).toBe('held')
		await moderatePost(cs, { type: 'question', id }, 'approve', '')
		const edit = (author: Actor, postId: number, body: string) => updateQuestion(author, postId, questionSchema.parse({ title: 'Where is the export guide?', body, tags: '' }))

		// The same target in another spelling, or a typo fixed around it, stays up.
		expect(await edit(newcomer, id, 'The guide at <HTTPS://Docs.Example/export/v2#top> does not say anything.')).not.toHaveProperty('state')
		// Same number of links, another site: waits for review again.
		expect(await edit(newcomer, id, 'The guide at https://spam.example/export/v2 does not say.')).toMatchObject({ state: 'held', reason: holdReasons.newPersonLinks })
		await moderatePost(cs, { type: 'question', id }, 'approve', '')
		// Another page of the same site, or a host hidden behind `user@`, is another target too.
		expect(await edit(newcomer, id, 'The guide at https://spam.example/buy-now does not say.')).toMatchObject({ state: 'held' })
		await moderatePost(cs, { type: 'question', id }, 'approve', '')
		expect(await edit(newcomer, id, 'The guide at https://spam.example@evil.example/buy-now does not say.')).toMatchObject({ state: 'held' })

		// Past maxLinks, an established member's swapped target waits too; their first link does not.
		const links = (last: string) => `[a](https://a.example) [b](https://b.example) [c](https://c.example) [d](${last})`
		const own = await ask(regular, { title: 'Four links to compare', body: links('https://d.example') })
		await moderatePost(cs, { type: 'question', id: own.id }, 'approve', '')
		expect(await updateQuestion(regular, own.id, questionSchema.parse({ title: 'Four links to compare', body: links('https://casino.example'), tags: '' }))).toMatchObject({ state: 'held', reason: holdReasons.manyLinks })
	})

	it('accepts only an answer everyone reads: 404 for one the asker cannot see, 409 with the reason for one they can, nothing announced', async () => {
		const [asker, helper, cs] = [await person(), await person(), await person('cs')]
		const { id } = await ask(asker, { title: 'Reports show the wrong week' })
		const hidden = await createAnswer(helper, id, 'Set the week to start on Monday.')
		await moderatePost(cs, { type: 'answer', id: hidden.id }, 'hide', 'Wrong advice')
		const own = await createAnswer(asker, id, 'Found it: https://docs.example/weeks explains it.')
		expect(own.state).toBe('held')
		const solvedJobs = async () => (await db.execute(sql`select count(*)::int as n from pgboss.job where name = 'notify' and data->>'cause' = 'accepted'`)) as unknown as Array<{ n: number }>

		expect(await refusal(acceptAnswer(asker, id, hidden.id))).toMatchObject({ status: 404, message: 'Answer not found' })
		expect(await refusal(acceptAnswer(asker, id, own.id))).toMatchObject({ status: 409, message: 'This answer is waiting for review: it can be accepted once it is approved' })
		expect(await refusal(acceptAnswer(cs, id, hidden.id))).toMatchObject({ status: 409, message: 'This answer is hidden by staff: it cannot be accepted' })
		expect((await db.select({ accepted: questions.acceptedAnswerId }).from(questions).where(eq(questions.id, id)))[0]!.accepted).toBeNull()
		expect((await solvedJobs())[0]!.n).toBe(0)

		await moderatePost(cs, { type: 'answer', id: own.id }, 'approve', '')
		expect(await acceptAnswer(asker, id, own.id)).toEqual({ acceptedAnswerId: own.id })
		expect((await solvedJobs())[0]!.n).toBe(1)
	})

	it('sends the edit notifications of an edit held for review when staff approve it, not before', async () => {
		const [newcomer, cs, regular] = [await person(), await person('cs'), await established()]
		const { id } = await ask(newcomer, { title: 'Board colours reset', body: 'My colours go back to grey.' })
		const answer = await createAnswer(newcomer, (await ask(regular)).id, 'Pick the colour again in settings.')
		const editJobs = async () =>
			(await db.execute(sql`select data from pgboss.job where name = 'notify' and data->>'cause' in ('question-edit', 'answer-edit') order by created_on`)) as unknown as Array<{ data: { cause: string; id: number; actorId: string } }>
		const question = await updateQuestion(newcomer, id, questionSchema.parse({ title: 'Board colours reset', body: 'Fixed by https://spam.example/colours', tags: '' }))
		const answerEdit = await updateAnswer(newcomer, answer.id, 'Or get https://spam.example/colours')
		expect([question, answerEdit]).toMatchObject([{ state: 'held' }, { state: 'held' }])
		expect(await editJobs()).toEqual([])

		await moderatePost(cs, { type: 'question', id }, 'approve', '')
		await reviewDecision(cs, { type: 'answer', id: answer.id }, 'approve', '')
		const [questionRevision] = await db.execute(sql`select max(id)::int as id from revisions where post_type = 'question' and post_id = ${id}`) as unknown as Array<{ id: number }>
		const [answerRevision] = await db.execute(sql`select max(id)::int as id from revisions where post_type = 'answer' and post_id = ${answer.id}`) as unknown as Array<{ id: number }>
		expect((await editJobs()).map((job) => job.data)).toEqual([
			{ cause: 'question-edit', id: questionRevision!.id, actorId: newcomer.id },
			{ cause: 'answer-edit', id: answerRevision!.id, actorId: newcomer.id },
		])
	})

	it('holds back the edit notifications of staff edits on a post waiting for review, and sends them with the author’s on approval', async () => {
		const [newcomer, cs] = [await person(), await person('cs')]
		const { id } = await ask(newcomer, { title: 'Board colours reset', body: 'My colours go back to grey.' })
		const editJobs = async () =>
			(await db.execute(sql`select data from pgboss.job where name = 'notify' and data->>'cause' = 'question-edit' order by (data->>'id')::int`)) as unknown as Array<{ data: { id: number; actorId: string } }>
		expect(await updateQuestion(newcomer, id, questionSchema.parse({ title: 'Board colours reset', body: 'Fixed by https://spam.example/colours', tags: '' }))).toMatchObject({ state: 'held' })
		await updateQuestion(cs, id, questionSchema.parse({ title: 'Board colours reset', body: 'Fixed by picking the colour again.', tags: '' }))
		expect(await editJobs()).toEqual([])

		await moderatePost(cs, { type: 'question', id }, 'approve', '')
		expect((await editJobs()).map((job) => job.data.actorId)).toEqual([newcomer.id, cs.id])
	})

	it('earns no trust from answers accepted on one’s own questions or from one’s own votes, only from what others did', async () => {
		const [member, other, voter] = [await person(), await person(), await person()]
		for (const n of [1, 2]) {
			const own = await ask(member, { title: `My own question number ${n}` })
			const answer = await createAnswer(member, own.id, `Answering myself, number ${n}.`)
			await acceptAnswer(member, own.id, answer.id)
		}
		// A vote for oneself is refused by the rules; one written anyway (an old import) counts for nothing either.
		const [mine] = await db.select({ id: questions.id }).from(questions).where(eq(questions.authorId, member.id)).limit(1)
		await db.insert(votes).values({ userId: member.id, postType: 'question', postId: mine!.id, value: 1 })
		await db.update(questions).set({ score: 1 }).where(eq(questions.id, mine!.id))
		expect((await ownTrustLevel(member)).level).toBe('new')

		const theirs = await ask(other, { title: 'Someone else’s question about boards' })
		const helpful = await createAnswer(member, theirs.id, 'Archive the board, then restore it.')
		await acceptAnswer(other, theirs.id, helpful.id)
		await vote(voter, 'question', mine!.id, 'up')
		expect((await ownTrustLevel(member)).level).toBe('basic')
	})

	it('replaces the automatic reason with staff’s when they keep a post hidden from the queue', async () => {
		const [author, cs] = [await person(), await person('cs')]
		const { id } = await ask(author, { title: 'Cheap followers for your board' })
		for (const flagger of [await person(), await person(), await person()]) await flagPost(flagger, { targetType: 'question', targetId: id, reason: 'spam' })
		expect(await stateOf(questions, id)).toEqual({ state: 'hidden', reason: AUTOMATIC_HIDE_REASON })
		expect(await reviewDecision(cs, { type: 'question', id }, 'hide', 'Advertising: not a question about the product')).toEqual({ state: 'hidden', locked: false })
		expect(await stateOf(questions, id)).toEqual({ state: 'hidden', reason: 'Advertising: not a question about the product' })
		expect((await getQuestionThread(id, author)).notice).toEqual({ state: 'hidden', reason: 'Advertising: not a question about the product' })
		expect((await reviewQueue(cs)).items).toEqual([])
		// Without a reason, the automatic one stays (hiding asks for one anyway).
		expect((await refusal(reviewDecision(cs, { type: 'question', id }, 'hide', ''))).status).toBe(400)
	})

	it('records the reason for suspending an author from the queue in the audit log, and asks for one', async () => {
		const [author, admin] = [await person(), await person('admin')]
		const { id } = await ask(author)
		const refused = await refusal(reviewDecision(admin, { type: 'question', id }, 'suspend', ' '))
		expect([refused.status, refused.fieldErrors]).toEqual([400, { reason: 'Give a reason: it is kept in the audit log' }])
		expect((await db.select().from(users).where(eq(users.id, author.id)))[0]!.suspendedAt).toBeNull()
		await reviewDecision(admin, { type: 'question', id }, 'suspend', 'Posts spam in every thread')
		const [entry] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, 'person.suspended'), eq(auditEvents.targetId, author.id)))
		expect(entry!.details).toEqual({ reason: 'Posts spam in every thread' })
	})

	it('shows the trust level on the public profile', async () => {
		const member = await person()
		const response = await profilePage({ params: { id: member.id }, request: new Request(`http://localhost/users/${member.id}`), context: context(null) })
		expect(response).toMatchObject({ id: member.id, trust: 'new' })
	})
})

describe('the header’s review count', () => {
	it('reads held posts through the partial moderation indexes and open flags through their own, never scanning every post', async () => {
		const plan = await db.transaction(async (tx) => {
			// The tables are nearly empty here, where a scan is cheapest: forbidding scans shows which indexes the query can use at all.
			await tx.execute(sql`set local enable_seqscan = off`)
			return JSON.stringify(await tx.execute(sql`explain (format json) ${reviewCountQuery}`))
		})
		expect(plan).toContain('questions_moderation_idx')
		expect(plan).toContain('answers_moderation_idx')
		expect(plan).toContain('flags_open_idx')
		expect(plan).not.toContain('Seq Scan')
	})
})
