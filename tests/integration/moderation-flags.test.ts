import { and, asc, desc, eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Actor } from '../../app/auth/permissions.server'
import { startSession } from '../../app/auth/session.server'
import { createAnswer, createQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { AUTOMATIC_HIDE_REASON, flagPost, flagStatesOnThread, TRUSTED_FLAG_WEIGHT } from '../../app/moderation/flags.server'
import { moderatePost } from '../../app/moderation/moderation.server'
import { reviewCount, reviewDecision, reviewQueue } from '../../app/moderation/review.server'
import { flagSchema, type FlagInput } from '../../app/moderation/validation'
import { action as flagsApi } from '../../app/routes/api.v1.flags'
import { writeSetting, readSetting } from '../../app/settings/settings.server'
import { registerWebhook, webhookSchema } from '../../app/webhooks/webhooks.server'
import { db } from '../../db/client.server'
import { auditEvents, flags, questions, users, webhookDeliveries } from '../../db/schema'
import { person } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'

const input = (targetType: 'question' | 'answer', targetId: number, reason: FlagInput['reason'], comment?: string) => flagSchema.parse({ targetType, targetId, reason, comment })
const ask = (who: Actor, title = 'Where is the export button on boards?') => createQuestion(who, questionSchema.parse({ title, body: 'I cannot find the export button on a board.' }))
const stateOf = async (id: number) => (await db.select({ state: questions.state, reason: questions.stateReason }).from(questions).where(eq(questions.id, id)))[0]!

/** Ten upvoted posts make a member trusted (TRUST_THRESHOLDS); the votes are test data, not a flow under test. */
async function trusted() {
	const who = await person('member', 'trusted')
	for (let i = 0; i < 10; i++) {
		const q = await ask(who, `A well received question number ${i} about boards`)
		await db.update(questions).set({ score: 1 }).where(eq(questions.id, q.id))
	}
	return who
}

const call = async (actor: Actor | null, body: unknown, method = 'POST') => {
	const request = new Request('http://kizuna.test/api/v1/flags', { method, headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) })
	const response = await flagsApi({ request, context: { actor, locale: 'en' }, params: {} } as never)
	return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('flags', () => {
	beforeEach(resetData)

	it('lets a person flag someone else’s post once, never their own, and the API answers 201, 409, 403, 404, 401 and 400', async () => {
		const author = await person('member', 'author')
		const reader = await person('member', 'reader')
		const question = await ask(author)
		const first = await call(reader, { targetType: 'question', targetId: question.id, reason: 'wrong' })
		expect(first).toEqual({ status: 201, body: { id: expect.any(Number) } })
		const again = await call(reader, { targetType: 'question', targetId: question.id, reason: 'spam' })
		expect(again).toEqual({ status: 409, body: { error: 'You have already flagged this post' } })
		expect((await refusal(flagPost(reader, input('question', question.id, 'offensive')))).status).toBe(409)
		expect(await call(author, { targetType: 'question', targetId: question.id, reason: 'spam' })).toEqual({ status: 403, body: { error: 'You cannot flag your own post' } })
		expect((await call(reader, { targetType: 'answer', targetId: 999_999, reason: 'spam' })).status).toBe(404)
		expect((await call(null, { targetType: 'question', targetId: question.id, reason: 'spam' })).status).toBe(401)
		expect(await call(reader, { targetType: 'question', targetId: question.id, reason: 'other' })).toEqual({ status: 400, body: { error: 'comment: Say what is wrong with this post' } })
		expect((await call(reader, { targetType: 'tag', targetId: question.id, reason: 'spam' })).status).toBe(400)
		expect((await call(reader, { targetType: 'question', targetId: question.id, reason: 'spam', comment: 'x'.repeat(501) })).status).toBe(400)
		expect((await call(reader, 'not json')).status).toBe(400)
		// One flag is stored, with nothing about it shown on the post.
		const stored = await db.select().from(flags).where(eq(flags.targetId, question.id))
		expect(stored).toEqual([expect.objectContaining({ reporterId: reader.id, reason: 'wrong', weight: 1, resolvedAt: null })])
		expect(await stateOf(question.id)).toEqual({ state: 'visible', reason: null })
	})

	it('refuses a flag on a post the flagger cannot see as if it did not exist', async () => {
		const author = await person('member', 'author')
		const reader = await person('member', 'reader')
		const question = await ask(author)
		await db.update(questions).set({ state: 'held' }).where(eq(questions.id, question.id))
		expect((await refusal(flagPost(reader, input('question', question.id, 'spam')))).status).toBe(404)
		await db.update(questions).set({ state: 'hidden' }).where(eq(questions.id, question.id))
		expect((await refusal(flagPost(reader, input('question', question.id, 'spam')))).status).toBe(404)
	})

	it('hides a post once spam and offensive flags from distinct people reach the setting, trusted flags weighing double; off-topic ones never do', async () => {
		expect((await readSetting(db, 'moderation')).flagsToHide).toBe(3)
		const author = await person('member', 'author')
		const question = await ask(author)
		const [a, b, c] = [await person('member', 'a'), await person('member', 'b'), await person('member', 'c')]
		// Off-topic flags from three people leave it for staff to judge.
		for (const who of [a, b, c]) await flagPost(who, input('question', question.id, 'off_topic'))
		expect(await stateOf(question.id)).toEqual({ state: 'visible', reason: null })

		const other = await ask(author, 'How do I rename a board without losing links?')
		expect((await flagPost(a, input('question', other.id, 'spam'))).hidden).toBe(false)
		expect((await flagPost(b, input('question', other.id, 'offensive'))).hidden).toBe(false)
		expect(await stateOf(other.id)).toEqual({ state: 'visible', reason: null })
		expect((await flagPost(c, input('question', other.id, 'spam'))).hidden).toBe(true)
		expect(await stateOf(other.id)).toEqual({ state: 'hidden', reason: AUTOMATIC_HIDE_REASON })
		const [entry] = await db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1)
		expect(entry).toMatchObject({ action: 'post.hidden', actorId: null, actorName: 'Automatic moderation', targetType: 'question', targetId: String(other.id) })
		// The flags stay open: the post waits in the review queue.
		expect((await db.select().from(flags).where(and(eq(flags.targetId, other.id), eq(flags.targetType, 'question')))).every((flag) => flag.resolvedAt === null)).toBe(true)

		// A trusted person's flag counts double: with one other flag it reaches 3.
		const answer = await createAnswer(await person('member', 'answerer'), question.id, 'Buy cheap watches at example.test')
		const expert = await trusted()
		expect((await flagPost(expert, input('answer', answer.id, 'spam'))).hidden).toBe(false)
		const [weighed] = await db.select().from(flags).where(and(eq(flags.targetType, 'answer'), eq(flags.targetId, answer.id)))
		expect(weighed!.weight).toBe(TRUSTED_FLAG_WEIGHT)
		expect((await flagPost(a, input('answer', answer.id, 'spam'))).hidden).toBe(true)

		// The setting moves the threshold.
		await writeSetting(db, 'moderation', { ...(await readSetting(db, 'moderation')), flagsToHide: 1 })
		const third = await ask(author, 'Why does the board load slowly on Mondays?')
		expect((await flagPost(a, input('question', third.id, 'offensive'))).hidden).toBe(true)
	})

	it('tells webhook subscribers of every flag and of the automatic hide, never who flagged', async () => {
		const admin = await person('admin')
		const webhook = await registerWebhook(admin, webhookSchema.parse({ url: 'http://127.0.0.1:9/kizuna', secret: 'a-shared-secret-of-32-characters', events: ['post.flagged', 'post.hidden'] }))
		await writeSetting(db, 'moderation', { ...(await readSetting(db, 'moderation')), flagsToHide: 2 })
		const question = await ask(await person('member', 'author'))
		const a = await person('member', 'a')
		await flagPost(a, input('question', question.id, 'spam'))
		await flagPost(await person('member', 'b'), input('question', question.id, 'spam', 'Selling watches'))
		const deliveries = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhook.id)).orderBy(asc(webhookDeliveries.id))
		expect(deliveries.map((delivery) => [delivery.event, delivery.payload])).toEqual([
			['post.flagged', { targetType: 'question', targetId: question.id, questionId: question.id, reason: 'spam' }],
			['post.flagged', { targetType: 'question', targetId: question.id, questionId: question.id, reason: 'spam' }],
			['post.hidden', { targetType: 'question', targetId: question.id, questionId: question.id, reason: AUTOMATIC_HIDE_REASON, by: 'flags' }],
		])
		expect(JSON.stringify(deliveries.map((delivery) => delivery.payload))).not.toContain(a.id)
	})

	it('shows the flag control to others only, and “flagged by you” once flagged', async () => {
		const author = await person('member', 'author')
		const reader = await person('member', 'reader')
		const question = await ask(author)
		const answer = await createAnswer(reader, question.id, 'Try the menu at the top right of the board.')
		const thread = { id: question.id, author: { id: author.id }, answers: [{ id: answer.id, author: { id: reader.id } }] }
		expect(await flagStatesOnThread(null, thread)).toEqual({})
		expect(await flagStatesOnThread(reader, thread)).toEqual({ [`question-${question.id}`]: 'can' })
		await flagPost(reader, input('question', question.id, 'wrong'))
		expect(await flagStatesOnThread(reader, thread)).toEqual({ [`question-${question.id}`]: 'flagged' })
		expect(await flagStatesOnThread(author, thread)).toEqual({ [`answer-${answer.id}`]: 'can' })
	})
})

describe('review queue', () => {
	beforeEach(resetData)

	it('lists flagged and held posts newest first with their flags and author history, for staff only; approving resolves the flags', async () => {
		const cs = await person('cs')
		const member = await person('member', 'member')
		const author = await person('member', 'author')
		const flagged = await ask(author)
		const held = await ask(author, 'Held question about boards and links')
		await db.update(questions).set({ state: 'held', stateChangedAt: new Date(Date.now() + 60_000) }).where(eq(questions.id, held.id))
		await flagPost(member, input('question', flagged.id, 'other', 'Asked twice'))
		await flagPost(await person('member', 'second'), input('question', flagged.id, 'other', 'Duplicate of yesterday'))
		await flagPost(await person('member', 'third'), input('question', flagged.id, 'wrong'))

		expect((await refusal(reviewQueue(member))).status).toBe(403)
		expect(await reviewCount(member)).toBe(0)
		expect(await reviewCount(cs)).toBe(2)
		const queue = await reviewQueue(cs)
		expect(queue.canSuspend).toBe(false)
		expect(queue.items.map((item) => [item.type, item.id, item.state])).toEqual([
			['question', held.id, 'held'],
			['question', flagged.id, 'visible'],
		])
		const item = queue.items[1]!
		expect(item.flags).toEqual([
			{ reason: 'other', count: 2, comments: ['Asked twice', 'Duplicate of yesterday'] },
			{ reason: 'wrong', count: 1, comments: [] },
		])
		expect(item.author).toMatchObject({ id: author.id, posts: 2, removed: 0, trust: 'new', suspended: false })
		expect(item.bodyHtml).toContain('<p>I cannot find the export button on a board.</p>')
		expect(JSON.stringify(queue)).not.toContain(member.id)

		// Approving with an empty reason dismisses the flags and takes it off the queue.
		expect(await reviewDecision(cs, { type: 'question', id: flagged.id }, 'approve', '')).toEqual({ state: 'visible', locked: false })
		expect((await db.select().from(flags).where(eq(flags.targetId, flagged.id))).map((flag) => [flag.resolution, flag.resolvedById])).toEqual([
			['approved', cs.id],
			['approved', cs.id],
			['approved', cs.id],
		])
		await reviewDecision(cs, { type: 'question', id: held.id }, 'approve', '')
		expect(await stateOf(held.id)).toEqual({ state: 'visible', reason: null })
		expect(await reviewCount(cs)).toBe(0)
	})

	it('restores a post that flags hid, keeping it in the queue until staff dismiss its flags', async () => {
		const cs = await person('cs')
		await writeSetting(db, 'moderation', { ...(await readSetting(db, 'moderation')), flagsToHide: 1 })
		const question = await ask(await person('member', 'author'))
		expect((await flagPost(await person('member', 'flagger'), input('question', question.id, 'spam'))).hidden).toBe(true)
		const [item] = (await reviewQueue(cs)).items
		expect(item).toMatchObject({ id: question.id, state: 'hidden', stateReason: AUTOMATIC_HIDE_REASON, flagWeight: 1 })
		expect((await refusal(reviewDecision(cs, { type: 'question', id: question.id }, 'approve', ''))).status).toBe(409)
		expect(await reviewDecision(cs, { type: 'question', id: question.id }, 'restore', 'Not spam')).toEqual({ state: 'visible', locked: false })
		expect((await reviewQueue(cs)).items.map((waiting) => [waiting.id, waiting.state])).toEqual([[question.id, 'visible']])
		await reviewDecision(cs, { type: 'question', id: question.id }, 'approve', '')
		expect(await reviewCount(cs)).toBe(0)
		expect(await stateOf(question.id)).toEqual({ state: 'visible', reason: null })
	})

	it('hides with the reason the author sees, locks the thread of an answer, and lets only admins suspend the author', async () => {
		const cs = await person('cs')
		const admin = await person('admin')
		const author = await person('member', 'author')
		const question = await ask(await person('member', 'asker'))
		const answer = await createAnswer(author, question.id, 'Visit example.test for cheap boards')
		await flagPost(cs, input('answer', answer.id, 'spam'))
		expect((await refusal(reviewDecision(cs, { type: 'answer', id: answer.id }, 'hide', ''))).fieldErrors).toEqual({ reason: 'Give a reason: the author sees it' })
		expect(await reviewDecision(cs, { type: 'answer', id: answer.id }, 'lock', 'Spam keeps coming to this thread')).toEqual({ state: 'visible', locked: true })
		expect(await reviewDecision(cs, { type: 'answer', id: answer.id }, 'hide', 'Advertising')).toEqual({ state: 'hidden', locked: false })
		expect((await refusal(reviewDecision(cs, { type: 'answer', id: answer.id }, 'suspend', ''))).status).toBe(403)
		await reviewDecision(admin, { type: 'answer', id: answer.id }, 'suspend', 'Spam in every thread')
		const [suspended] = await db.select({ at: users.suspendedAt }).from(users).where(eq(users.id, author.id))
		expect(suspended!.at).not.toBeNull()
		// The author is told the reason when they next try to sign in.
		expect(await refusal(startSession(author.id, false))).toMatchObject({ status: 403, message: 'This account is suspended by the moderators of this community, for this reason: Spam in every thread' })
		const removed = await moderatePost(cs, { type: 'question', id: question.id }, 'unlock', '')
		expect(removed.locked).toBe(false)
	})
})
