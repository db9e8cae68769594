import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import { and, eq, inArray, sql } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { webhookDeliveries, webhooks, type WebhookEventType } from '#db/schema'
import { enqueue, type Job, type Payloads } from '#db/queue.server'
import { failureOutcome, webhookOutcomes } from '~/utils/metrics.server'
import { describeRefusal, outboundAgent, type Lookup } from '~/utils/outbound.server'
import { signatureHeaders } from './signing.server'

/** Sent only by "Send test": it checks the receiver without waiting for a real event. */
export const PING_EVENT = 'ping'
export type DeliveryEvent = WebhookEventType | typeof PING_EVENT

/**
 * Queues `event` for every active webhook subscribed to it. Call it with the
 * transaction that makes the change: the deliveries commit with the change, so an
 * event is never lost once the write commits and never sent if it rolls back.
 * Each delivery is a job of its own (see deliverWebhookJobs).
 *
 * `payload` becomes the body's `data` and must be JSON: ids, names and URLs a CS
 * tool can act on. This is also how the insights area sends `account.alert` and
 * `account.daily_metrics`.
 */
export async function enqueueWebhookEvent(tx: Queryable, event: WebhookEventType, payload: object) {
	await enqueueWhenSubscribed(tx, event, async () => payload)
}

/** Like enqueueWebhookEvent, but builds the payload only if some webhook listens, so writes nobody subscribed to cost one query. */
export async function enqueueWhenSubscribed(tx: Queryable, event: WebhookEventType, build: () => Promise<object>) {
	const subscribers = await tx
		.select({ id: webhooks.id })
		.from(webhooks)
		.where(and(eq(webhooks.active, true), sql`${webhooks.events} @> ${JSON.stringify([event])}::jsonb`))
	if (subscribers.length === 0) return
	const payload = (await build()) as Record<string, unknown>
	await queueDeliveries(tx, subscribers.map((webhook) => ({ webhookId: webhook.id, event, payload })))
}

/** Writes deliveries to the log and queues a job for each, in the caller's transaction. */
export async function queueDeliveries(tx: Queryable, rows: Array<typeof webhookDeliveries.$inferInsert>): Promise<number[]> {
	const inserted = await tx.insert(webhookDeliveries).values(rows).returning({ id: webhookDeliveries.id })
	await queueAttempts(tx, inserted.map((row) => row.id))
	return inserted.map((row) => row.id)
}

/** Queues one more attempt at these logged deliveries ("Retry now", a webhook resumed). */
export async function queueAttempts(tx: Queryable, deliveryIds: number[]) {
	for (const deliveryId of deliveryIds) await enqueue(tx, 'webhook-delivery', { deliveryId }, { key: String(deliveryId) })
}

/**
 * The delivery log's last error while an attempt is under way: it is recorded before
 * the request goes out, so a worker killed before it could record the answer leaves
 * this, and the attempt counted. The retry sends the same `webhook-id`.
 */
export const ATTEMPT_UNDER_WAY = 'No answer recorded: the attempt was under way (or its worker stopped during it; the retry has the same webhook-id)'

const TIMEOUT_MS = 10_000
// The queue retries a delivery 7 times (migration 0008_job_queue): 8 attempts in all, also counted in the log.
const MAX_ATTEMPTS = 8
const ERROR_EXCERPT = 500

type Delivery = typeof webhookDeliveries.$inferSelect
type Target = { url: string; secret: string }
/** `final`: not worth retrying (the address is refused). */
type Outcome = { ok: boolean; statusCode: number | null; error: string | null; final: boolean }

/**
 * The `webhook-delivery` jobs, to different receivers in parallel. A 2xx answer delivers one;
 * anything else fails its job, which the queue retries with backoff (30-60 s,
 * then doubling), and after 8 attempts the delivery is failed. Each attempt and
 * the next one's time are written to the delivery log. A delivery of a paused
 * webhook stays pending and is queued again when the webhook is resumed.
 * `lookup` replaces DNS (tests make a name resolve into the private network).
 */
export function deliverWebhookJobs(options: { lookup?: Lookup } = {}) {
	return async (jobs: Array<Job<Payloads['webhook-delivery']>>) => {
		const claimed = await db
			.select()
			.from(webhookDeliveries)
			.where(and(inArray(webhookDeliveries.id, jobs.map((job) => job.data.deliveryId)), eq(webhookDeliveries.status, 'pending')))
		const webhookIds = [...new Set(claimed.map((delivery) => delivery.webhookId))]
		const targets = new Map((webhookIds.length ? await db.select().from(webhooks).where(inArray(webhooks.id, webhookIds)) : []).map((webhook) => [webhook.id, webhook]))
		// Receivers in parallel; each receiver's deliveries one after another, oldest first, so they arrive in the order of their events.
		const byWebhook = new Map<number, Delivery[]>()
		for (const delivery of claimed.sort((a, b) => a.id - b.id)) byWebhook.set(delivery.webhookId, [...(byWebhook.get(delivery.webhookId) ?? []), delivery])
		await Promise.all(
			[...byWebhook].map(async ([webhookId, deliveries]) => {
				const target = targets.get(webhookId)
				// Deleted meanwhile, or paused: its deliveries wait.
				if (!target || !target.active) return
				for (const delivery of deliveries) {
					const job = jobs.find((candidate) => candidate.data.deliveryId === delivery.id)!
					const attempt = await startAttempt(delivery)
					if (attempt) await record(attempt, job, await send(attempt, target, options.lookup))
				}
			}),
		)
	}
}

/** The exact request a receiver gets; the body is the same on every attempt, only the timestamp and signature change. */
function webhookRequest(delivery: Delivery, secret: string) {
	const body = JSON.stringify({ id: delivery.id, event: delivery.event, createdAt: delivery.createdAt.toISOString(), data: delivery.payload })
	return {
		body,
		headers: {
			'Content-Type': 'application/json',
			'User-Agent': 'Kizuna-Webhooks/1',
			'X-Kizuna-Event': delivery.event,
			...signatureHeaders({ secret, deliveryId: delivery.id, timestamp: Math.floor(Date.now() / 1000), body }),
		},
	}
}

/**
 * POSTs through an agent that checks each address it connects to, so a receiver
 * whose name now resolves into the private network is refused (DNS rebinding).
 * Redirects are not followed: the signed body must go only where the admin pointed it.
 */
function post(url: URL, headers: Record<string, string>, body: string, lookup: Lookup | undefined): Promise<{ status: number; location: string | null; excerpt: string }> {
	return new Promise((resolve, reject) => {
		const transport = url.protocol === 'https:' ? https : http
		const request = transport.request(url, {
			method: 'POST',
			headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
			agent: outboundAgent(url),
			signal: AbortSignal.timeout(TIMEOUT_MS),
			...(lookup ? { lookup: lookup as unknown as LookupFunction } : {}),
		})
		request.on('error', reject)
		request.on('response', (response) => {
			// Only the start of the receiver's answer is kept for the log; the rest is not downloaded.
			const chunks: Buffer[] = []
			let size = 0
			const finish = () => {
				response.destroy()
				resolve({ status: response.statusCode ?? 0, location: response.headers.location ?? null, excerpt: Buffer.concat(chunks).toString('utf8').slice(0, ERROR_EXCERPT).trim() })
			}
			response.on('data', (chunk: Buffer) => {
				chunks.push(chunk)
				size += chunk.byteLength
				if (size >= ERROR_EXCERPT) finish()
			})
			response.on('end', finish)
			// A body cut short still leaves the status code to go by.
			response.on('error', finish)
		})
		request.end(body)
	})
}

async function send(delivery: Delivery, target: Target, lookup: Lookup | undefined): Promise<Outcome> {
	const { body, headers } = webhookRequest(delivery, target.secret)
	const url = new URL(target.url)
	try {
		const response = await post(url, headers, body, lookup)
		if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status, error: null, final: false }
		if (response.status >= 300 && response.status < 400) {
			return { ok: false, statusCode: response.status, error: `Redirects are not followed (Location: ${response.location ?? 'none'})`, final: false }
		}
		return { ok: false, statusCode: response.status, error: response.excerpt || `HTTP ${response.status}`, final: false }
	} catch (error) {
		// A refused address is not retried: it stays refused until the URL or the setting changes ("Retry now" still tries once).
		const refusal = describeRefusal(error, url)
		if (refusal) return { ok: false, statusCode: null, error: `Refused: ${refusal}`, final: true }
		return { ok: false, statusCode: null, error: describe(error), final: false }
	}
}

function describe(error: unknown): string {
	if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `No answer within ${TIMEOUT_MS / 1000} s`
	return (error instanceof Error ? error.message : String(error)).slice(0, ERROR_EXCERPT)
}

/**
 * Counts the attempt in a commit of its own before the request goes out (see
 * ATTEMPT_UNDER_WAY). Only if the delivery is still as it was read: pending, with
 * no other attempt counted meanwhile; null otherwise, and this job has nothing to do.
 */
async function startAttempt(delivery: Delivery): Promise<Delivery | null> {
	const [started] = await db
		.update(webhookDeliveries)
		.set({ attempts: delivery.attempts + 1, lastStatusCode: null, lastError: ATTEMPT_UNDER_WAY })
		.where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.status, 'pending'), eq(webhookDeliveries.attempts, delivery.attempts)))
		.returning()
	return started ?? null
}

/** The answer to an attempt startAttempt counted, right after it came. */
async function record(delivery: Delivery, job: Job<unknown>, outcome: Outcome) {
	const attempts = delivery.attempts
	const result = { lastStatusCode: outcome.statusCode, lastError: outcome.error }
	if (outcome.ok) {
		await db.update(webhookDeliveries).set({ ...result, status: 'delivered', deliveredAt: new Date() }).where(eq(webhookDeliveries.id, delivery.id))
		webhookOutcomes.inc({ outcome: 'delivered' })
		return
	}
	const final = attempts >= MAX_ATTEMPTS || outcome.final
	await db.update(webhookDeliveries).set({ ...result, status: final ? 'failed' : 'pending' }).where(eq(webhookDeliveries.id, delivery.id))
	const retryAt = await job.fail(outcome.error ?? 'failed', { final })
	webhookOutcomes.inc({ outcome: failureOutcome(retryAt) })
	if (retryAt) await db.update(webhookDeliveries).set({ nextAttemptAt: retryAt }).where(eq(webhookDeliveries.id, delivery.id))
}
