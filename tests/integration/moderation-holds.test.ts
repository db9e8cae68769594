import { desc, eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Actor } from '../../app/auth/permissions.server'
import { createAnswer, createQuestion, getQuestionThread, releaseHeldPost } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { countLinks, heldWordIn, holdReasons } from '../../app/moderation/holds.server'
import { reviewDecision } from '../../app/moderation/review.server'
import { saveModerationSettings } from '../../app/moderation/settings.server'
import { ownTrustLevel } from '../../app/moderation/trust.server'
import { moderationSettingsSchema } from '../../app/moderation/validation'
import { action as moderationPage } from '../../app/routes/admin.moderation'
import { action as questionsApi } from '../../app/routes/api.v1.questions'
import { readSetting, siteSettingDefinitions, writeSetting, type SiteSetting } from '../../app/settings/settings.server'
import { registerWebhook, webhookSchema } from '../../app/webhooks/webhooks.server'
import { db } from '../../db/client.server'
import { listJobs } from '../../db/queue.server'
import { answers, auditEvents, questions, users, webhookDeliveries } from '../../db/schema'
import { person } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'
import { startWebhookReceiver } from '../support/webhook-receiver'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
// People join at the real time: posts are dated from it, a fixed clock passed in.
const T0 = new Date()
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE)

let counter = 0
const ask = (who: Actor, body: string, now = T0, title = `Question number ${++counter} about boards`) =>
	createQuestion(who, questionSchema.parse({ title, body }), now)

/** Someone who joined `days` ago with `posts` visible questions, posted well before T0 (so outside any hourly window). */
async function established(days = 30, posts = 3) {
	const who = await person('member')
	await db.update(users).set({ createdAt: new Date(T0.getTime() - days * 24 * HOUR) }).where(eq(users.id, who.id))
	for (let n = 0; n < posts; n++) await ask(who, `An earlier question, number ${n}, with enough text.`, new Date(T0.getTime() - (days * 24 - n) * HOUR))
	return who
}

async function settings(change: Partial<SiteSetting<'moderation'>>) {
	await writeSetting(db, 'moderation', { ...siteSettingDefinitions.moderation.defaults, ...change })
}

const stateOf = async (id: number) => (await db.select({ state: questions.state, reason: questions.stateReason }).from(questions).where(eq(questions.id, id)))[0]

const closers: Array<() => Promise<void>> = []

describe('Holds at posting time', () => {
	beforeEach(resetData)
	afterEach(async () => {
		for (const close of closers.splice(0)) await close()
	})

	it('counts links in the Markdown source once each, and not links within the site', () => {
		expect(countLinks('No links here, just text.')).toBe(0)
		expect(countLinks('See https://a.example/x and http://b.example.')).toBe(2)
		expect(countLinks('[the docs](https://a.example/docs "Docs")')).toBe(1)
		expect(countLinks('[https://a.example](https://a.example)')).toBe(1)
		expect(countLinks('<https://a.example> and <mailto:x@a.example>')).toBe(2)
		expect(countLinks('Go to www.example.com now')).toBe(1)
		expect(countLinks('![chart](https://img.example/c.png) [see](/questions/1) [top](#answer-2)')).toBe(1)
		// Text made to backtrack stays cheap: the screening runs on every post. At this size a
		// quadratic pattern takes many seconds; the bounded ones a fraction of one, even on a busy machine.
		const started = performance.now()
		for (const bomb of ['['.repeat(100_000), `[x](${'a'.repeat(100_000)}`, '](<'.repeat(30_000), '<a:'.repeat(30_000), 'https://'.repeat(10_000)]) countLinks(bomb)
		expect(performance.now() - started).toBeLessThan(1500)
	})

	it('holds a new member’s post with a link, with the reason they see; without links, or once established, it goes up', async () => {
		const newcomer = await person('member')
		const held = await ask(newcomer, 'Is this tool any good? https://spam.example/offer')
		expect(held).toMatchObject({ state: 'held', reason: holdReasons.newPersonLinks })
		expect(await stateOf(held.id)).toEqual({ state: 'held', reason: holdReasons.newPersonLinks })
		const thread = await getQuestionThread(held.id, newcomer)
		expect(thread.notice).toEqual({ state: 'held', reason: holdReasons.newPersonLinks })
		expect((await ask(newcomer, 'How do I export a board without links?')).state).toBe('visible')

		const regular = await established()
		expect((await ask(regular, 'The guide at https://docs.example/export did not help.')).state).toBe('visible')
		// Old enough but with too few visible posts: still new by the post count.
		const quiet = await established(30, 2)
		expect((await ask(quiet, 'The guide at https://docs.example/export did not help.')).state).toBe('held')
		// Posts enough but joined an hour ago: still new by the hours.
		await settings({ newPersonPosts: 0 })
		expect((await ask(await person('member'), 'Read https://docs.example first.')).state).toBe('held')
		await settings({ newPersonPosts: 0, newPersonHours: 0 })
		expect((await ask(await person('member'), 'Read https://docs.example first.')).state).toBe('visible')
	})

	it('holds anyone’s post with more than maxLinks links, answers included; staff are never held', async () => {
		const regular = await established()
		const links = (n: number) => Array.from({ length: n }, (_, i) => `[link ${i}](https://site${i}.example)`).join(' ')
		expect((await ask(regular, `Three links: ${links(3)}`)).state).toBe('visible')
		const many = await ask(regular, `Four links: ${links(4)}`)
		expect(many).toMatchObject({ state: 'held', reason: holdReasons.manyLinks })
		const target = await ask(await established(), 'A question to answer, with enough text.')
		const answer = await createAnswer(regular, target.id, `Try these: ${links(4)}`, T0)
		expect(answer).toMatchObject({ state: 'held', reason: holdReasons.manyLinks })
		expect((await db.select({ state: answers.state }).from(answers).where(eq(answers.id, answer.id)))[0]!.state).toBe('held')

		await settings({ heldWords: ['casino'] })
		const cs = await person('cs')
		expect((await ask(cs, `Casino links: ${links(10)}`)).state).toBe('visible')
		expect((await ask(cs, `Casino links: ${links(10)}`)).state).toBe('visible')
	})

	it('holds posts with an entry of the word list, Japanese and full- or half-width variants included', async () => {
		expect(heldWordIn('これはスパムです', ['スパム'])).toBe('スパム')
		expect(heldWordIn('ｽﾊﾟﾑ', ['スパム'])).toBe('スパム')
		expect(heldWordIn('Best ＣＡＳＩＮＯ bonus', ['casino'])).toBe('casino')
		expect(heldWordIn('plain text', ['casino'])).toBeNull()

		await settings({ heldWords: ['casino', 'スパム', 'ＶＩＡＧＲＡ', '激安'], postsPerHour: { new: 100, basic: 100, trusted: 100 } })
		const regular = await established()
		for (const body of ['Try the Casino tonight, it pays', 'ＣＡＳＩＮＯ with full-width letters', '半角カナのｽﾊﾟﾑも保留されます', 'cheap viagra here', 'ブランド品が激安で買えます']) {
			expect(await ask(regular, body, T0, `Question ${++counter} ${body.slice(0, 20)}`)).toMatchObject({ state: 'held', reason: holdReasons.heldWord })
		}
		// The title is screened too.
		expect((await ask(regular, 'Nothing in the text itself.', T0, 'スパムのタイトル')).state).toBe('held')
		expect((await ask(regular, 'How do I export a board to CSV?')).state).toBe('visible')
	})

	it('holds the same text posted again within a day as spam, whatever its width, case or spacing', async () => {
		const regular = await established()
		const first = await ask(regular, 'Buy followers now at our shop today', T0, 'Cheap followers for sale')
		expect(first.state).toBe('visible')
		const again = await ask(regular, 'BUY  followers now at our shop ｔｏｄａｙ', at(10), 'Cheap followers for sale')
		expect(again).toMatchObject({ state: 'held', reason: holdReasons.repeated })
		expect((await ask(regular, 'Buy followers now at our shop today', at(25 * 60), 'Cheap followers for sale')).state).toBe('visible')

		const q1 = await ask(await established(), 'First question that gets answers.')
		const q2 = await ask(await established(), 'Second question that gets answers.')
		expect((await createAnswer(regular, q1.id, 'Restart the sync agent and it works.', at(26 * 60))).state).toBe('visible')
		expect(await createAnswer(regular, q2.id, 'Restart the sync agent and it works.', at(27 * 60))).toMatchObject({ state: 'held', reason: holdReasons.repeated })
	})

	it('refuses the 6th post in an hour by a new member, saying the limit and when they can post again', async () => {
		const newcomer = await person('member')
		for (let n = 0; n < 4; n++) await ask(newcomer, `Question body number ${n} for the limit.`, at(n))
		const question = await ask(await established(), 'Somebody else’s question with text.')
		await createAnswer(newcomer, question.id, 'An answer counts as a post too.', at(4))
		const refused = await refusal(ask(newcomer, 'The sixth post within the hour.', at(48)))
		expect(refused).toMatchObject({ code: 'rate_limited', status: 429, message: 'New members can post 5 times an hour; try again in 12 minutes', retryAfter: 12 * 60 })
		expect(await refusal(createAnswer(newcomer, question.id, 'Answers are refused the same way.', at(59)))).toMatchObject({ message: 'New members can post 5 times an hour; try again in 1 minute' })
		// An hour after the first post, one more fits.
		expect((await ask(newcomer, 'The sixth post, after the hour.', at(60.5))).state).toBe('visible')
		expect((await db.select().from(questions).where(eq(questions.authorId, newcomer.id))).length).toBe(5)

		// Staff have no hourly limit; basic members have theirs.
		const cs = await person('cs')
		for (let n = 0; n < 7; n++) await ask(cs, `Staff post number ${n} with text.`, at(n))
		const basic = await established(30, 2)
		await db.update(questions).set({ score: 1 }).where(eq(questions.authorId, basic.id))
		expect(await ownTrustLevel(basic)).toEqual({ level: 'basic', postsPerHour: 20 })
		expect(await ownTrustLevel(newcomer)).toEqual({ level: 'new', postsPerHour: 5 })
		expect(await ownTrustLevel(cs)).toEqual({ level: 'staff', postsPerHour: null })
		for (let n = 0; n < 6; n++) await ask(basic, `Basic member post ${n} with text.`, at(n))
		await settings({ postsPerHour: { new: 5, basic: 6, trusted: 60 } })
		expect(await refusal(ask(basic, 'One too many for this level.', at(30)))).toMatchObject({ message: 'Members can post 6 times an hour; try again in 30 minutes' })
	})

	it('answers the API with 429, the limit in the message and Retry-After (in Japanese for a Japanese client)', async () => {
		const newcomer = await person('member')
		const post = (locale: 'en' | 'ja') =>
			questionsApi({
				request: new Request('http://kizuna.test/api/v1/questions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: `Question ${++counter} from the API`, body: 'Posted through the API.' }) }),
				context: { actor: newcomer, locale },
				params: {},
			} as never) as Promise<Response>
		for (let n = 0; n < 5; n++) expect((await post('en')).status).toBe(201)
		const refused = await post('en')
		expect(refused.status).toBe(429)
		expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(58 * 60)
		expect(((await refused.json()) as { error: string }).error).toMatch(/^New members can post 5 times an hour; try again in (59|60) minutes$/)
		expect(((await (await post('ja')).json()) as { error: string }).error).toMatch(/^新しいメンバーが投稿できるのは 1 時間に 5 回までです。(59|60) 分後/)
		// The measure: 100 questions in a row from a new account were all accepted. Past 30
		// attempts the per-person `post` rate limit answers first, with its own 429.
		const statuses: number[] = []
		for (let n = 0; n < 93; n++) statuses.push((await post('en')).status)
		expect(new Set(statuses)).toEqual(new Set([429]))
		expect(await db.select().from(questions).where(eq(questions.authorId, newcomer.id))).toHaveLength(5)
	})

	it('tells followers and webhooks about a held post only when staff approve it, and indexes it then', async () => {
		const answerer = await established()
		const receiver = await startWebhookReceiver([200, 200, 200])
		closers.push(receiver.close)
		const webhook = await registerWebhook(await person('admin'), webhookSchema.parse({ url: receiver.url, secret: 'a-shared-secret-of-32-characters', events: ['question.created', 'question.answered'] }))
		const events = async () => (await db.select({ event: webhookDeliveries.event }).from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhook.id))).map((d) => d.event)
		// Question and answer ids overlap: a notify job names its kind by cause, an index job by type.
		const jobsAbout = async (queue: 'notify' | 'search-index', kind: string, id: number) =>
			(await listJobs(queue)).filter((job) => {
				const data = job.data as { id: number; cause?: string; type?: string }
				return data.id === id && (data.cause ?? data.type) === kind
			})

		const newcomer = await person('member')
		const held = await ask(newcomer, 'My blog has the answer: https://spam.example')
		const question = await ask(answerer, 'A visible question to answer.')
		expect(await events()).toEqual(['question.created'])
		const heldAnswer = await createAnswer(newcomer, question.id, 'See https://spam.example for this.', at(1))
		expect(heldAnswer.state).toBe('held')
		expect(await events()).toEqual(['question.created'])
		expect(await jobsAbout('notify', 'question', held.id)).toEqual([])
		expect(await jobsAbout('notify', 'answer', heldAnswer.id)).toEqual([])
		expect(await jobsAbout('search-index', 'question', held.id)).toEqual([])

		// Staff approve both from the review queue, as the page does.
		const staff = await person('cs')
		await reviewDecision(staff, { type: 'question', id: held.id }, 'approve', '', at(2), releaseHeldPost)
		await reviewDecision(staff, { type: 'answer', id: heldAnswer.id }, 'approve', '', at(2), releaseHeldPost)
		expect(await events()).toEqual(['question.created', 'question.created', 'question.answered'])
		expect((await jobsAbout('notify', 'question', held.id)).map((job) => job.data)).toEqual([expect.objectContaining({ cause: 'question', actorId: newcomer.id })])
		expect((await jobsAbout('notify', 'answer', heldAnswer.id)).map((job) => job.data)).toEqual([expect.objectContaining({ cause: 'answer', actorId: newcomer.id })])
		expect(await jobsAbout('search-index', 'question', held.id)).toHaveLength(1)
	})
})

describe('Moderation settings', () => {
	beforeEach(resetData)

	const formOf = (change: Record<string, string> = {}) => ({
		flagsToHide: '3',
		newPersonPosts: '3',
		newPersonHours: '24',
		maxLinks: '3',
		postsPerHourNew: '5',
		postsPerHourBasic: '20',
		postsPerHourTrusted: '60',
		heldWords: '',
		...change,
	})
	const submit = (actor: Actor, fields: Record<string, string>) =>
		moderationPage({ request: new Request('http://kizuna.test/admin/moderation', { method: 'POST', body: new URLSearchParams(fields) }), context: { actor, locale: 'en' }, params: {} } as never) as Promise<Response>

	it('saves the rules, with an audit entry of what changed, and nothing for an unchanged form', async () => {
		const admin = await person('admin')
		const saved = await saveModerationSettings(admin, moderationSettingsSchema.parse(formOf({ maxLinks: '5', postsPerHourNew: '2', heldWords: 'casino\n\n  スパム \ncasino\r\nＶＩＡＧＲＡ' })))
		expect(saved).toMatchObject({ maxLinks: 5, postsPerHour: { new: 2, basic: 20, trusted: 60 }, heldWords: ['casino', 'スパム', 'ＶＩＡＧＲＡ'] })
		expect(await readSetting(db, 'moderation')).toEqual(saved)
		const [entry] = await db.select().from(auditEvents).orderBy(desc(auditEvents.id))
		expect(entry).toMatchObject({
			action: 'moderation.settings_changed',
			actorId: admin.id,
			details: { maxLinks: { from: 3, to: 5 }, postsPerHour: { from: { new: 5, basic: 20, trusted: 60 }, to: { new: 2, basic: 20, trusted: 60 } }, heldWords: { from: [], to: ['casino', 'スパム', 'ＶＩＡＧＲＡ'] } },
		})
		expect(Object.keys(entry!.details as object).sort()).toEqual(['heldWords', 'maxLinks', 'postsPerHour'])
		await saveModerationSettings(admin, moderationSettingsSchema.parse(formOf({ maxLinks: '5', postsPerHourNew: '2', heldWords: 'casino\nスパム\nＶＩＡＧＲＡ' })))
		expect(await db.select().from(auditEvents)).toHaveLength(1)

		// The saved rules apply to the next post.
		const newcomer = await person('member')
		await ask(newcomer, 'First post of two allowed.')
		await ask(newcomer, 'Second post of two allowed.')
		expect((await refusal(ask(newcomer, 'Third post, refused.', at(1)))).message).toMatch(/^New members can post 2 times an hour/)
	})

	it('lets only admins change the rules, and answers bad values with form messages, saving nothing', async () => {
		for (const role of ['member', 'cs'] as const) {
			expect((await refusal(saveModerationSettings(await person(role), moderationSettingsSchema.parse(formOf())))).code).toBe('forbidden')
		}
		const admin = await person('admin')
		const bad = await submit(admin, formOf({ maxLinks: '-1', flagsToHide: '0', postsPerHourNew: 'lots', newPersonHours: '99999999', heldWords: `ok\n${'x'.repeat(101)}` }))
		expect(bad.status).toBe(400)
		const { result } = (await bad.json()) as { result: { error: Record<string, string[]> } }
		expect(result.error).toMatchObject({
			maxLinks: ['Enter a whole number from 0 to 100'],
			flagsToHide: ['Enter a whole number from 1 to 100'],
			postsPerHourNew: ['Enter a whole number from 1 to 1000'],
			newPersonHours: ['Enter a whole number from 0 to 8760'],
			heldWords: ['Each entry can have at most 100 characters'],
		})
		const tooMany = await submit(admin, formOf({ heldWords: Array.from({ length: 501 }, (_, i) => `word${i}`).join('\n') }))
		expect(tooMany.status).toBe(400)
		expect(((await tooMany.json()) as { result: { error: Record<string, string[]> } }).result.error.heldWords).toEqual(['Use at most 500 entries'])
		expect(await db.select().from(auditEvents)).toEqual([])
		expect(await readSetting(db, 'moderation')).toEqual(siteSettingDefinitions.moderation.defaults)

		const saved = await submit(admin, formOf({ flagsToHide: '4', heldWords: '激安' }))
		expect(saved.status).toBe(200)
		expect(await readSetting(db, 'moderation')).toMatchObject({ flagsToHide: 4, heldWords: ['激安'] })
	})
})
