import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { asc, eq } from 'drizzle-orm'
import { Webhook } from 'standardwebhooks'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { acceptAnswer, createAnswer, createQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { parseInput } from '../../app/utils/http.server'
import { handBackOrphanedJobs, listJobs } from '../../db/queue.server'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { ATTEMPT_UNDER_WAY, enqueueWebhookEvent } from '../../app/webhooks/deliveries.server'
import {
	deleteWebhook,
	listWebhooks,
	registerWebhook,
	retryDelivery,
	sendTestDelivery,
	setWebhookActive,
	webhookLog,
	webhookSchema,
} from '../../app/webhooks/webhooks.server'
import { db } from '../../db/client.server'
import { accounts, users, webhookDeliveries, webhooks, type WebhookEventType } from '../../db/schema'
import { person } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'
import { killHard, runWorkerUntil } from '../support/workers'
import { startServer } from '../support/server-process'
import { RECEIVER_FAILURE, signatureOf, startWebhookReceiver, type ReceivedDelivery } from '../support/webhook-receiver'

const closers: Array<() => Promise<void>> = []
async function startReceiver(statuses: number[]) {
	const receiver = await startWebhookReceiver(statuses)
	closers.push(receiver.close)
	return receiver
}

const SECRET = 'a-shared-secret-of-32-characters'
const MINUTE = 60_000

const questionInput = (title = 'How do I export a board to CSV?') =>
	questionSchema.parse({ title, body: 'I need the board as a CSV file for a report.', tags: 'export, csv' })

async function register(events: WebhookEventType[], url: string) {
	return registerWebhook(await person('admin'), webhookSchema.parse({ url, secret: SECRET, events }))
}

const deliveriesOf = (webhookId: number) => db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId)).orderBy(asc(webhookDeliveries.id))

const expectedSignature = (request: ReceivedDelivery) => signatureOf(request, SECRET)

describe('Webhooks', () => {
	beforeEach(resetData)
	afterEach(async () => {
		for (const close of closers.splice(0)) await close()
	})

	it('sends a signed delivery for a new question and retries it with backoff after a failure', async () => {
		const receiver = await startReceiver([500, 200])
		const webhook = await register(['question.created'], receiver.url)
		const solvedOnly = await register(['question.solved'], receiver.url)
		const [account] = await db.insert(accounts).values({ externalId: 'acme-001', name: 'Acme' }).returning()
		const member = await person('member')
		await db.update(users).set({ accountId: account!.id }).where(eq(users.id, member.id))

		const question = await createQuestion(member, questionInput())
		expect(await deliveriesOf(solvedOnly.id)).toEqual([])
		const [queued] = await deliveriesOf(webhook.id)
		expect(queued).toMatchObject({ event: 'question.created', status: 'pending', attempts: 0 })

		expect((await runPendingJobs({ includeRetries: false })).failed).toEqual([expect.objectContaining({ queue: 'webhook-delivery', reason: RECEIVER_FAILURE, final: false })])
		expect(receiver.requests).toHaveLength(1)
		const [afterFailure] = await deliveriesOf(webhook.id)
		expect(afterFailure).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: RECEIVER_FAILURE, deliveredAt: null })
		// The first retry waits 30 to 60 s, as the queue's job says: running the due jobs now sends nothing.
		const [job] = await listJobs('webhook-delivery')
		expect(job).toMatchObject({ state: 'retry', startAfter: afterFailure!.nextAttemptAt })
		expect(afterFailure!.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(25_000)
		expect(afterFailure!.nextAttemptAt.getTime() - Date.now()).toBeLessThanOrEqual(60_000)
		await runPendingJobs({ includeRetries: false })
		expect(receiver.requests).toHaveLength(1)

		// Retries included, as `jobs:run` does: the second attempt is delivered.
		await runPendingJobs()
		expect(receiver.requests).toHaveLength(2)
		const [delivered] = await deliveriesOf(webhook.id)
		expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200, lastError: null })
		expect(delivered!.deliveredAt).toBeInstanceOf(Date)

		for (const request of receiver.requests) {
			expect(request.headers).toMatchObject({
				'content-type': 'application/json',
				'x-kizuna-event': 'question.created',
				'x-kizuna-delivery': String(queued!.id),
			})
			expect(Math.abs(Number(request.headers['x-kizuna-timestamp']) - Date.now() / 1000)).toBeLessThan(60)
			expect(request.headers['x-kizuna-signature']).toBe(expectedSignature(request))
			expect(JSON.parse(request.body)).toEqual({
				id: queued!.id,
				event: 'question.created',
				createdAt: queued!.createdAt.toISOString(),
				data: {
					question: {
						id: question.id,
						title: 'How do I export a board to CSV?',
						url: question.url,
						tags: ['csv', 'export'],
						author: { id: member.id, displayName: member.displayName, accountExternalId: 'acme-001' },
						createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
					},
				},
			})
		}
		expect(receiver.requests[1]!.body).toBe(receiver.requests[0]!.body)
		// A signature made with another secret does not verify.
		const forged = signatureOf(receiver.requests[0]!, 'another-secret-entirely')
		expect(receiver.requests[0]!.headers['x-kizuna-signature']).not.toBe(forged)

		const log = await webhookLog(await person('admin'), webhook.id)
		expect(log.deliveries).toEqual([expect.objectContaining({ id: queued!.id, event: 'question.created', status: 'delivered', attempts: 2, lastStatusCode: 200, nextAttemptAt: null })])

		// Both attempts verify with the Standard Webhooks reference library and the secret the webhook's page shows, under one webhook-id.
		expect(log.standardSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
		expect(log.standardSecret).not.toContain(SECRET)
		for (const request of receiver.requests) {
			expect(new Webhook(log.standardSecret).verify(request.body, request.headers as Record<string, string>)).toEqual(JSON.parse(request.body))
			expect(request.headers['webhook-signature']).toMatch(/^v1,/)
			expect(request.headers['webhook-timestamp']).toBe(request.headers['x-kizuna-timestamp'])
		}
		expect(new Set(receiver.requests.map((request) => request.headers['webhook-id'])).size).toBe(1)
		// Another webhook's secret, or a changed body, does not verify.
		const stranger = await register(['question.created'], receiver.url).then(async (created) => {
			await db.update(webhooks).set({ secret: 'a-different-secret-of-32-chars!!' }).where(eq(webhooks.id, created.id))
			return webhookLog(await person('admin'), created.id)
		})
		const first = receiver.requests[0]!
		expect(() => new Webhook(stranger.standardSecret).verify(first.body, first.headers as Record<string, string>)).toThrow()
		expect(() => new Webhook(log.standardSecret).verify(first.body.replace('export', 'import'), first.headers as Record<string, string>)).toThrow()
	})

	it('signs deliveries of a webhook registered before Standard Webhooks signatures existed, from its stored secret', async () => {
		const receiver = await startReceiver([200])
		const admin = await person('admin')
		// As such a row was written: a typed secret and nothing else.
		const [old] = await db.insert(webhooks).values({ url: receiver.url, secret: 'typed-by-an-admin-years-ago', events: ['question.created'], createdById: admin.id }).returning()
		await createQuestion(await person('member'), questionInput())
		await runPendingJobs()
		expect(receiver.requests).toHaveLength(1)
		const [request] = receiver.requests
		const { standardSecret } = await webhookLog(admin, old!.id)
		expect(new Webhook(standardSecret).verify(request!.body, request!.headers as Record<string, string>)).toMatchObject({ event: 'question.created' })
		expect(request!.headers['webhook-id']).toBe(`msg_kizuna_${JSON.parse(request!.body).id}`)
	})

	it('tells subscribers when a question is answered and solved, with the answer and its author', async () => {
		const receiver = await startReceiver([200])
		const webhook = await register(['question.created', 'question.answered', 'question.solved'], receiver.url)
		const asker = await person('member')
		const helper = await person('cs')
		const question = await createQuestion(asker, questionInput())
		const answer = await createAnswer(helper, question.id, 'Open the board menu and choose Export → CSV.')
		await acceptAnswer(asker, question.id, answer.id)
		// Accepting the same answer again is not news.
		await acceptAnswer(asker, question.id, answer.id)

		await runPendingJobs()
		expect(receiver.requests.map((r) => r.headers['x-kizuna-event'])).toEqual(['question.created', 'question.answered', 'question.solved'])
		const expectedAnswer = {
			id: answer.id,
			url: answer.url,
			author: { id: helper.id, displayName: helper.displayName, accountExternalId: null },
			createdAt: expect.any(String),
		}
		for (const request of receiver.requests.slice(1)) {
			const { data } = JSON.parse(request.body)
			expect(data.question).toMatchObject({ id: question.id, url: question.url, author: { id: asker.id, accountExternalId: null } })
			expect(data.answer).toEqual(expectedAnswer)
		}
		expect((await deliveriesOf(webhook.id)).every((d) => d.status === 'delivered')).toBe(true)
	})

	it('queues events only with the write that commits, and only for active subscribed webhooks', async () => {
		const receiver = await startReceiver([200])
		const questions = await register(['question.created'], receiver.url)
		const alerts = await register(['account.alert'], receiver.url)
		const admin = await person('admin')

		await expect(
			db.transaction(async (tx) => {
				await enqueueWebhookEvent(tx, 'account.alert', { account: { externalId: 'acme-001' } })
				throw new Error('the write failed')
			}),
		).rejects.toThrow('the write failed')
		expect(await deliveriesOf(alerts.id)).toEqual([])

		await db.transaction((tx) => enqueueWebhookEvent(tx, 'account.alert', { account: { externalId: 'acme-001' }, reason: 'usage dropped' }))
		expect(await deliveriesOf(alerts.id)).toEqual([expect.objectContaining({ event: 'account.alert', payload: { account: { externalId: 'acme-001' }, reason: 'usage dropped' } })])
		expect(await deliveriesOf(questions.id)).toEqual([])

		await setWebhookActive(admin, questions.id, false)
		await createQuestion(await person(), questionInput('Asked while the webhook is paused'))
		expect(await deliveriesOf(questions.id)).toEqual([])
		expect((await refusal(sendTestDelivery(admin, questions.id))).status).toBe(400)

		await setWebhookActive(admin, questions.id, true)
		await sendTestDelivery(admin, questions.id)
		await runPendingJobs()
		expect(receiver.requests.map((r) => r.headers['x-kizuna-event']).sort()).toEqual(['account.alert', 'ping'])
		expect(JSON.parse(receiver.requests.find((r) => r.headers['x-kizuna-event'] === 'ping')!.body).data).toEqual({ webhook: { id: questions.id, url: receiver.url } })

		await deleteWebhook(admin, alerts.id)
		expect((await listWebhooks(admin)).map((w) => w.id)).toEqual([questions.id])
		expect((await refusal(webhookLog(admin, alerts.id))).status).toBe(404)
	})

	it('gives up after 8 attempts, and "Retry now" gives a failed delivery one more', async () => {
		const closed = await startWebhookReceiver([200])
		const url = closed.url
		await closed.close()
		const webhook = await register(['question.created'], url)
		const admin = await person('admin')
		await createQuestion(await person(), questionInput())

		const waits: number[] = []
		for (let attempt = 1; attempt <= 8; attempt++) {
			// Each run makes the waiting retry due at once, as `jobs:run` does.
			await runPendingJobs()
			const [delivery] = await deliveriesOf(webhook.id)
			expect(delivery).toMatchObject({ attempts: attempt, lastStatusCode: null, lastError: expect.stringContaining('ECONNREFUSED') })
			if (delivery!.status === 'pending') waits.push(delivery!.nextAttemptAt.getTime() - Date.now())
		}
		// Doubling from 30 s, each spread over up to twice as long so failing receivers are not all retried at once.
		expect(waits).toHaveLength(7)
		waits.forEach((wait, i) => {
			const least = 0.5 * MINUTE * 2 ** i
			expect(wait).toBeGreaterThan(least - 5_000)
			expect(wait).toBeLessThanOrEqual(2 * least)
		})
		const [failed] = await deliveriesOf(webhook.id)
		expect(failed).toMatchObject({ status: 'failed', attempts: 8 })
		expect((await listJobs('webhook-delivery')).map((job) => job.state)).toEqual(['failed'])
		await runPendingJobs()
		expect((await deliveriesOf(webhook.id))[0]!.attempts).toBe(8)

		await retryDelivery(admin, webhook.id, failed!.id)
		expect((await deliveriesOf(webhook.id))[0]).toMatchObject({ status: 'pending', attempts: 8 })
		await runPendingJobs()
		expect((await deliveriesOf(webhook.id))[0]).toMatchObject({ status: 'failed', attempts: 9 })
		const other = await register(['question.created'], url)
		expect((await refusal(retryDelivery(admin, other.id, failed!.id))).status).toBe(404)
	})

	it('gives up on a receiver that does not answer within 10 s without holding up the others', async () => {
		const silent = http.createServer(() => {})
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
		closers.push(() => {
			silent.closeAllConnections()
			return new Promise<void>((resolve) => silent.close(() => resolve()))
		})
		const slow = await register(['question.created'], `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`)
		const receiver = await startReceiver([200])
		const fast = await register(['question.created'], receiver.url)
		await createQuestion(await person(), questionInput())

		const started = Date.now()
		expect(await runPendingJobs({ includeRetries: false })).toMatchObject({ failed: [expect.objectContaining({ queue: 'webhook-delivery', final: false })] })
		expect(Date.now() - started).toBeLessThan(15_000)
		expect((await deliveriesOf(fast.id))[0]).toMatchObject({ status: 'delivered' })
		expect((await deliveriesOf(slow.id))[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null, lastError: 'No answer within 10 s' })
	})

	it('sends a delivery again with the same webhook-id within seconds when its worker is killed waiting for the answer', { timeout: 90_000 }, async () => {
		// The receiver keeps the first request waiting: the worker is killed with SIGKILL before it could record the answer.
		const requests: ReceivedDelivery[] = []
		let firstArrived = () => {}
		const arrived = new Promise<void>((resolve) => (firstArrived = resolve))
		const receiver = http.createServer((req, res) => {
			let body = ''
			req.on('data', (chunk: Buffer) => (body += chunk.toString()))
			req.on('end', () => {
				requests.push({ headers: req.headers, body })
				if (requests.length === 1) return firstArrived()
				res.writeHead(200).end('thanks')
			})
		})
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
		closers.push(() => {
			receiver.closeAllConnections()
			return new Promise<void>((resolve) => receiver.close(() => resolve()))
		})
		const webhook = await register(['question.created'], `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`)
		await createQuestion(await person(), questionInput())

		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-killed-worker-'))
		closers.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }))
		const env = { DATABASE_URL: process.env.DATABASE_URL, MEILI_URL: process.env.MEILI_URL, MEILI_MASTER_KEY: process.env.MEILI_MASTER_KEY, MEILI_INDEX_PREFIX: process.env.MEILI_INDEX_PREFIX }
		const doomed = await startServer({ ...env, KIZUNA_ROLE: 'worker', KIZUNA_DATA_DIR: dataDir, KIZUNA_DEMO_CONTENT: 'off', KIZUNA_ALLOW_PRIVATE_URLS: 'true' }, { quiet: true })
		closers.push(async () => void doomed.process.kill('SIGKILL'))
		await Promise.race([arrived, new Promise((_, reject) => setTimeout(() => reject(new Error('The worker sent nothing within 30 s')), 30_000))])
		// Counted before the request went out: the log shows an attempt with no answer.
		expect((await deliveriesOf(webhook.id))[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null, lastError: ATTEMPT_UNDER_WAY })
		// A live worker's job is never handed back, however long it takes.
		expect(await handBackOrphanedJobs()).toBe(0)
		expect((await listJobs('webhook-delivery')).map((job) => job.state)).toEqual(['active'])
		await killHard(doomed)

		// Another worker hands the job back at once, instead of waiting for the queue's 60 s expiry and pg-boss's maintenance (every 2 minutes).
		expect(await runWorkerUntil(() => requests.length >= 2)).toBeLessThan(20_000)
		// The same delivery, so a receiver that drops repeated webhook-ids acts once.
		expect(requests.map((request) => request.headers['webhook-id'])).toEqual([requests[0]!.headers['webhook-id'], requests[0]!.headers['webhook-id']])
		expect(requests[1]!.body).toBe(requests[0]!.body)
		expect((await deliveriesOf(webhook.id))[0]).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200, lastError: null })
	})

	it('refuses invalid registrations field by field and generates a secret when none is given', async () => {
		const problems = await refusal(
			Promise.resolve().then(() => parseInput(webhookSchema, { url: 'ftp://files.example.com/drop', secret: 'too-short', events: [] })),
		)
		expect(problems.status).toBe(400)
		expect(problems.fieldErrors).toEqual({
			url: 'Enter a full URL starting with http:// or https://',
			secret: 'The secret needs at least 16 characters; leave it empty to generate one',
			events: 'Choose at least one event',
		})
		const unknownEvent = await refusal(Promise.resolve().then(() => parseInput(webhookSchema, { url: 'not a url', events: ['question.deleted'] })))
		expect(unknownEvent.fieldErrors).toEqual({ url: 'Enter a full URL starting with http:// or https://', 'events.0': 'Choose events from the list' })
		const missing = await refusal(Promise.resolve().then(() => parseInput(webhookSchema, {})))
		expect(missing.fieldErrors).toEqual({ url: 'Enter the URL that receives the events', events: 'Choose at least one event' })

		const admin = await person('admin')
		const created = await registerWebhook(admin, webhookSchema.parse({ url: 'https://cs.example.com/hooks', secret: '  ', events: 'question.solved' }))
		expect(created.generatedSecret).toBe(true)
		expect(created.secret).toMatch(/^whsec_[0-9a-f]{48}$/)
		const [listed] = await listWebhooks(admin)
		expect(listed).toEqual({ id: created.id, url: 'https://cs.example.com/hooks', events: ['question.solved'], active: true, createdAt: expect.any(String), pending: 0, failed: 0 })
		expect(JSON.stringify(await webhookLog(admin, created.id))).not.toContain(created.secret)
	})

	it('lets only admins manage webhooks', async () => {
		const admin = await person('admin')
		const input = webhookSchema.parse({ url: 'https://cs.example.com/hooks', events: ['question.created'] })
		const { id } = await registerWebhook(admin, input)
		for (const role of ['member', 'cs', 'product'] as const) {
			const someone = await person(role)
			expect((await refusal(registerWebhook(someone, input))).status).toBe(403)
			expect((await refusal(listWebhooks(someone))).status).toBe(403)
			expect((await refusal(webhookLog(someone, id))).status).toBe(403)
			expect((await refusal(setWebhookActive(someone, id, false))).status).toBe(403)
			expect((await refusal(sendTestDelivery(someone, id))).status).toBe(403)
			expect((await refusal(deleteWebhook(someone, id))).status).toBe(403)
		}
		expect((await refusal(registerWebhook(null, input))).status).toBe(401)
		expect(await listWebhooks(admin)).toHaveLength(1)
	})
})
