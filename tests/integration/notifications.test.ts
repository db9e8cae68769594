import crypto from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Actor } from '../../app/auth/permissions.server'
import { closeAsDuplicate } from '../../app/community/duplicates.server'
import { acceptAnswer, addMeToo, createAnswer, updateAnswer, updateQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { makeFaqFromQuestion, setFaqPublished } from '../../app/knowledge/faqs.server'
import { fanOut, notifyJobs } from '../../app/notifications/fanout.server'
import { setQuestionFollowing, setTagFollowing } from '../../app/notifications/following.server'
import { openNotification, unreadCount } from '../../app/notifications/notifications.server'
import { suggestPeople } from '../../app/notifications/mentions.server'
import { loader as notificationsApi } from '../../app/routes/api.v1.notifications'
import { action as markReadApi } from '../../app/routes/api.v1.notifications_.read'
import { action as questionFollowApi } from '../../app/routes/api.v1.questions.$id_.follow'
import { action as tagFollowApi } from '../../app/routes/api.v1.tags.$name.follow'
import { loader as mentionSuggest } from '../../app/routes/resources.mention-suggest'
import type { RequestContext } from '../../app/server/context'
import { importContent } from '../../app/knowledge/import.server'
import { db } from '../../db/client.server'
import { listJobs } from '../../db/queue.server'
import { notifications, questionFollows, users } from '../../db/schema'
import { person, question } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'

const context = (actor: Actor | null, extra: Partial<RequestContext> = {}): RequestContext => ({
	actor,
	authVia: actor ? 'token' : null,
	visitorId: crypto.randomUUID(),
	locale: 'en',
	secure: false,
	clientIp: '203.0.113.9',
	cspNonce: '',
	...extra,
})

async function handleOf(who: Actor) {
	const [row] = await db.select({ handle: users.handle }).from(users).where(eq(users.id, who.id))
	return row!.handle
}

/** Each person's notifications as `type sourceKey`, after the worker ran. */
async function told(...people: Actor[]) {
	await runPendingJobs()
	const result: string[][] = []
	for (const who of people) {
		const rows = await db.select({ type: notifications.type, key: notifications.sourceKey }).from(notifications).where(eq(notifications.userId, who.id)).orderBy(notifications.id)
		result.push(rows.map((row) => `${row.type} ${row.key}`))
	}
	return result
}

const questionInput = (overrides: Record<string, unknown> = {}) => questionSchema.parse({ title: 'Exports stop at 1,000 rows', body: 'The CSV export stops at 1,000 rows.', ...overrides })

describe('notifications', () => {
	beforeEach(resetData)

	it('tells the asker of an answer, followers of another kind, and never the answerer', async () => {
		const [asker, answerer, follower, metoo, bystander] = await Promise.all([person(), person(), person(), person(), person()])
		const q = await question(asker)
		await setQuestionFollowing(follower, q.id, true)
		await addMeToo(metoo, q.id)
		const answer = await createAnswer(answerer, q.id, 'Try the export from the board menu.')
		const key = `answer:${answer.id}`
		expect(await told(asker, answerer, follower, metoo, bystander)).toEqual([[`answer ${key}`], [], [`followed_answer ${key}`], [`followed_answer ${key}`], []])
	})

	it('tells the answer’s author "accepted" and everyone else who follows or has the question "solved", once each', async () => {
		const [asker, answerer, other, follower, metoo] = await Promise.all([person(), person(), person(), person(), person()])
		const q = await question(asker)
		await addMeToo(metoo, q.id)
		await setQuestionFollowing(follower, q.id, true)
		const answer = await createAnswer(answerer, q.id, 'Use the board menu.')
		await createAnswer(other, q.id, 'Or the API.')
		await runPendingJobs()
		await db.delete(notifications)
		await acceptAnswer(asker, q.id, answer.id)
		const solved = `solved:${q.id}`
		// The asker accepted: the actor is not told. The other answerer follows by answering.
		expect(await told(asker, answerer, other, follower, metoo)).toEqual([[], [`accepted accepted:${answer.id}`], [`solved ${solved}`], [`solved ${solved}`], [`solved ${solved}`]])
	})

	it('a notify job that runs again adds nothing', async () => {
		const [asker, answerer] = await Promise.all([person(), person()])
		const q = await question(asker)
		const answer = await createAnswer(answerer, q.id, 'An answer for you.')
		const [job] = (await listJobs('notify')).filter((j) => (j.data as { cause: string }).cause === 'answer')
		await runPendingJobs()
		expect(await told(asker)).toEqual([[`answer answer:${answer.id}`]])
		const added = await db.transaction((tx) => fanOut(tx, job!.data as never))
		expect(added).toEqual([])
		const mailed: number[][] = []
		await notifyJobs({ onNotified: async (_tx, ids) => void mailed.push(ids) })([{ id: 'x', data: job!.data as never, fail: async () => null, repeat: () => {} }])
		expect(mailed).toEqual([])
		expect(await told(asker)).toEqual([[`answer answer:${answer.id}`]])
	})

	it('hands the new notification ids to onNotified in the same transaction', async () => {
		const [asker, answerer] = await Promise.all([person(), person()])
		const q = await question(asker)
		await runPendingJobs()
		const answer = await createAnswer(answerer, q.id, 'An answer for you.')
		const [job] = (await listJobs('notify')).filter((j) => (j.data as { id: number; cause: string }).id === answer.id && (j.data as { cause: string }).cause === 'answer')
		const seen: number[] = []
		await notifyJobs({ onNotified: async (tx, ids) => void seen.push(...(await tx.select({ id: notifications.id }).from(notifications)).map((row) => row.id).filter((id) => ids.includes(id))) })([
			{ id: 'x', data: job!.data as never, fail: async () => null, repeat: () => {} },
		])
		expect(seen).toHaveLength(1)
		// A failing onNotified rolls its notifications back, and the job is failed for a retry.
		await db.delete(notifications)
		const failures: string[] = []
		await notifyJobs({
			onNotified: async () => {
				throw new Error('mail outbox unavailable')
			},
		})([{ id: 'x', data: job!.data as never, fail: async (reason) => (failures.push(reason), null), repeat: () => {} }])
		expect(failures).toEqual(['mail outbox unavailable'])
		expect(await db.select().from(notifications)).toEqual([])
	})

	it('keeps an explicit unfollow when the person answers or says "me too" again', async () => {
		const [asker, answerer, third] = await Promise.all([person(), person(), person()])
		const q = await question(asker)
		await createAnswer(answerer, q.id, 'First answer here.')
		await setQuestionFollowing(answerer, q.id, false)
		await createAnswer(answerer, q.id, 'Second answer here.')
		const [row] = await db.select().from(questionFollows).where(and(eq(questionFollows.userId, answerer.id), eq(questionFollows.questionId, q.id)))
		expect(row!.following).toBe(false)
		await runPendingJobs()
		await db.delete(notifications)
		await createAnswer(third, q.id, 'Third answer here.')
		expect(await told(answerer)).toEqual([[]])
		// The asker who unfollowed their own question is not told of answers either.
		await setQuestionFollowing(asker, q.id, false)
		await createAnswer(third, q.id, 'Fourth answer here.')
		expect(await told(asker)).toEqual([[expect.stringMatching(/^answer answer:/)]])
	})

	it('tells tag followers of a new question once, even when they follow several of its tags, and mentions win', async () => {
		const [asker, fan, mentioned, seed] = await Promise.all([person(), person(), person(), person()])
		await question(seed, { tags: 'billing, export' })
		await runPendingJobs()
		await setTagFollowing(fan, 'billing', true)
		await setTagFollowing(fan, 'export', true)
		await setTagFollowing(mentioned, 'billing', true)
		await setTagFollowing(asker, 'billing', true)
		await runPendingJobs()
		const q = await question(asker, { tags: 'billing, export', body: `Hi @${await handleOf(mentioned)}, how do invoices export?` })
		expect(await told(asker, fan, mentioned)).toEqual([[], [`tag_question question:${q.id}`], [`mention mention:question:${q.id}`]])
		await setTagFollowing(fan, 'export', false)
		await setTagFollowing(fan, 'billing', false)
		const later = await question(asker, { tags: 'billing' })
		expect((await told(fan))[0]).not.toContain(`tag_question question:${later.id}`)
	})

	it('reads mentions outside code only, of real people, at most ten, and edits tell only the newly added', async () => {
		const people = await Promise.all(Array.from({ length: 13 }, () => person()))
		const [asker, inCode, inBlock, added, ...many] = people
		const handles = await Promise.all(people.map(handleOf))
		const [, codeHandle, blockHandle, addedHandle, ...manyHandles] = handles
		const body = `See \`@${codeHandle}\` and\n\n    @${blockHandle}\n\n@nobody_here ${manyHandles.map((h) => `@${h}`).join(' ')} @${manyHandles[0]}`
		const q = await question(asker!, { body })
		const [codeTold, blockTold] = await told(inCode!, inBlock!)
		expect(codeTold).toEqual([])
		expect(blockTold).toEqual([])
		const manyTold = await told(...many)
		expect(manyTold.filter((rows) => rows.length === 1)).toHaveLength(9)
		// Editing adds one mention (first, within the ten read): only that person is told; those told before are not told again.
		await updateQuestion(asker!, q.id, questionInput({ body: `@${addedHandle} ${body}` }))
		expect(await told(added!)).toEqual([[`mention mention:question:${q.id}`]])
		expect((await told(...many)).flat()).toHaveLength(9)
		// The same for an answer edit.
		const answer = await createAnswer(added!, q.id, 'Nothing to see.')
		await runPendingJobs()
		await updateAnswer(added!, answer.id, `Asking @${codeHandle} for help.`)
		expect(await told(inCode!)).toEqual([[`mention mention:answer:${answer.id}`]])
	})

	it('tells the asker of a duplicate (pointing at the original) and of a published FAQ, once', async () => {
		const [asker, cs, answerer] = await Promise.all([person(), person('cs'), person()])
		const original = await question(await person())
		const dup = await question(asker)
		await closeAsDuplicate(cs, dup.id, { type: 'question', id: original.id })
		await runPendingJobs()
		const [row] = await db.select().from(notifications).where(and(eq(notifications.userId, asker.id), eq(notifications.type, 'duplicate')))
		expect(await openNotification(asker, row!.id)).toBe(original.url)

		const solved = await question(asker)
		const answer = await createAnswer(answerer, solved.id, 'This solves it.')
		await acceptAnswer(asker, solved.id, answer.id)
		const faq = await makeFaqFromQuestion(cs, solved.id)
		await setFaqPublished(cs, faq.id, true)
		await setFaqPublished(cs, faq.id, false)
		await setFaqPublished(cs, faq.id, true)
		const mine = (await told(asker))[0]!
		expect(mine.filter((line) => line.startsWith('faq '))).toEqual([`faq faq:${faq.id}`])
	})

	it('imports notify nobody', async () => {
		const fan = await person()
		await question(await person(), { tags: 'imported' })
		await runPendingJobs()
		await setTagFollowing(fan, 'imported', true)
		await importContent({ questions: [{ externalId: 'q1', title: 'Imported question title', body: 'Imported body text.', tags: ['imported'], answers: [{ body: 'An imported answer', accepted: true }] }] })
		expect(await told(fan)).toEqual([[]])
	})

	it('opening a notification marks it read; someone else’s is not found', async () => {
		const [asker, answerer, stranger] = await Promise.all([person(), person(), person()])
		const q = await question(asker)
		const answer = await createAnswer(answerer, q.id, 'Answered here.')
		await runPendingJobs()
		expect(await unreadCount(asker.id)).toBe(1)
		const [row] = await db.select().from(notifications).where(eq(notifications.userId, asker.id))
		expect((await refusal(openNotification(stranger, row!.id))).status).toBe(404)
		expect(await openNotification(asker, row!.id)).toBe(answer.url)
		expect(await unreadCount(asker.id)).toBe(0)
	})
})

describe('notifications API', () => {
	beforeEach(resetData)

	const list = (actor: Actor | null, query = '') => notificationsApi({ request: new Request(`http://localhost/api/v1/notifications${query}`), context: context(actor), params: {} }) as Promise<Response>
	const markRead = (actor: Actor | null, body: unknown, type = 'application/json') =>
		markReadApi({ request: new Request('http://localhost/api/v1/notifications/read', { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) }), context: context(actor), params: {} }) as Promise<Response>

	it('lists the caller’s notifications newest first with unread, title and url, and marks read', async () => {
		const [asker, answerer, stranger] = await Promise.all([person(), person(), person()])
		const q = await question(asker, { title: 'Where are invoices kept?' })
		const first = await createAnswer(answerer, q.id, 'In billing settings.')
		const second = await createAnswer(answerer, q.id, 'Or in the admin area.')
		await runPendingJobs()
		const response = await list(asker)
		expect(response.status).toBe(200)
		const body = (await response.json()) as { unread: number; notifications: Array<Record<string, unknown>> }
		expect(body.unread).toBe(2)
		expect(body.notifications.map((n) => Object.keys(n).sort())).toEqual([['createdAt', 'id', 'read', 'title', 'type', 'url'], ['createdAt', 'id', 'read', 'title', 'type', 'url']])
		expect(body.notifications[0]).toMatchObject({ type: 'answer', read: false, url: second.url, title: `${answerer.displayName} answered your question “Where are invoices kept?”` })
		expect(body.notifications[1]!.url).toBe(first.url)
		const ja = (await (await notificationsApi({ request: new Request('http://localhost/api/v1/notifications?limit=1'), context: context(asker, { locale: 'ja' }), params: {} }) as Response).json()) as typeof body
		expect(ja.notifications).toHaveLength(1)
		expect(ja.notifications[0]!.title).toContain('さんがあなたの質問')

		// Another person's ids are ignored; one's own are marked.
		const ids = body.notifications.map((n) => n.id as number)
		expect((await markRead(stranger, { ids })).status).toBe(204)
		expect(((await (await list(asker)).json()) as typeof body).unread).toBe(2)
		expect((await markRead(asker, { ids: [ids[0]] })).status).toBe(204)
		const after = (await (await list(asker)).json()) as typeof body
		expect(after.unread).toBe(1)
		expect(after.notifications.map((n) => n.read)).toEqual([true, false])
		expect((await markRead(asker, {})).status).toBe(204)
		expect(((await (await list(asker)).json()) as typeof body).unread).toBe(0)
		expect(((await (await list(stranger)).json()) as typeof body).notifications).toEqual([])
	})

	it('refuses with reasons: no credentials, bad limits, bad bodies, too many ids', async () => {
		const me = await person()
		const reason = async (response: Response) => [response.status, ((await response.json()) as { error: string }).error]
		expect(await reason(await list(null))).toEqual([401, 'Authentication required: send Authorization: Bearer <token>'])
		for (const bad of ['?limit=0', '?limit=101', '?limit=abc', '?limit=1.5']) expect(await reason(await list(me, bad))).toEqual([400, 'limit: limit must be a whole number from 1 to 100'])
		expect((await list(me, '?limit=100')).status).toBe(200)
		expect(await reason(await markRead(null, {}))).toEqual([401, 'Authentication required: send Authorization: Bearer <token>'])
		expect(await reason(await markRead(me, { ids: Array.from({ length: 101 }, (_, i) => i + 1) }))).toEqual([400, 'ids: ids can name at most 100 notifications'])
		expect(await reason(await markRead(me, { ids: ['1; drop table'] }))).toEqual([400, 'ids.0: ids must be a list of notification ids'])
		expect(await reason(await markRead(me, { ids: 5 }))).toEqual([400, 'ids: ids must be a list of notification ids'])
		expect((await reason(await markRead(me, { id: [1] })))[0]).toBe(400)
		expect((await reason(await markRead(me, '{not json')))[0]).toBe(400)
		expect((await reason(await markRead(me, 'ids=1', 'application/x-www-form-urlencoded')))[0]).toBe(400)
		const get = (await markReadApi({ request: new Request('http://localhost/api/v1/notifications/read', { method: 'PUT' }), context: context(me), params: {} })) as Response
		expect(get.status).toBe(405)
	})

	it('follows and unfollows questions and tags, with 404 for unknown ones', async () => {
		const [asker, me] = await Promise.all([person(), person()])
		const q = await question(asker, { tags: 'gantt' })
		const call = (handler: typeof questionFollowApi, method: string, params: Record<string, string>, actor: Actor | null = me) =>
			handler({ request: new Request('http://localhost/x', { method }), context: context(actor), params }) as Promise<Response>
		const body = async (response: Response) => [response.status, await response.json()]
		expect(await body(await call(questionFollowApi, 'POST', { id: String(q.id) }))).toEqual([200, { following: true }])
		expect(await body(await call(questionFollowApi, 'DELETE', { id: String(q.id) }))).toEqual([200, { following: false }])
		expect(await body(await call(questionFollowApi, 'POST', { id: '999999' }))).toEqual([404, { error: 'Question not found' }])
		expect(await body(await call(questionFollowApi, 'POST', { id: 'abc' }))).toEqual([404, { error: 'Question not found' }])
		expect((await call(questionFollowApi, 'POST', { id: String(q.id) }, null)).status).toBe(401)
		expect((await call(questionFollowApi, 'PUT', { id: String(q.id) })).status).toBe(405)
		expect(await body(await call(tagFollowApi, 'POST', { name: 'gantt' }))).toEqual([200, { following: true }])
		expect(await body(await call(tagFollowApi, 'POST', { name: 'gantt' }))).toEqual([200, { following: true }])
		expect(await body(await call(tagFollowApi, 'DELETE', { name: 'gantt' }))).toEqual([200, { following: false }])
		// Named as people type it, the way tags are stored: case and full width do not matter.
		expect(await body(await call(tagFollowApi, 'POST', { name: 'Gantt' }))).toEqual([200, { following: true }])
		expect(await body(await call(tagFollowApi, 'DELETE', { name: 'ＧＡＮＴＴ' }))).toEqual([200, { following: false }])
		expect(await body(await call(tagFollowApi, 'POST', { name: 'no-such-tag' }))).toEqual([404, { error: 'Tag not found' }])
		expect(await body(await call(tagFollowApi, 'POST', { name: 'x'.repeat(500) }))).toEqual([404, { error: 'Tag not found' }])
		// An unverified person can follow too.
		await db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, me.id))
		expect(await body(await call(tagFollowApi, 'POST', { name: 'gantt' }))).toEqual([200, { following: true }])
	})

	it('suggests people to mention by handle or name, signed in only, without addresses', async () => {
		const taro = await person('member', 'Taro', { displayName: 'Taro Yamada' })
		const me = await person()
		const people = await suggestPeople(me, 'yama')
		expect(people).toEqual([{ handle: await handleOf(taro), displayName: 'Taro Yamada' }])
		expect(await suggestPeople(me, '%')).toEqual([])
		const call = (actor: Actor | null, q: string) => mentionSuggest({ request: new Request(`http://localhost/resources/mention-suggest?q=${encodeURIComponent(q)}`), context: context(actor), params: {} }) as Promise<Response>
		expect((await call(null, 'taro')).status).toBe(401)
		expect((await call(me, 'x'.repeat(33))).status).toBe(400)
		const text = await (await call(me, 'taro')).text()
		expect(text).toContain('Taro Yamada')
		expect(text).not.toContain('@example.test')
	})
})
