import { randomBytes } from 'node:crypto'
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { webhookDeliveries, webhookEventTypes, webhooks, type WebhookEventType } from '#db/schema'
import { recordAudit } from '~/audit/audit.server'
import { authorize, type Actor } from '~/auth/permissions.server'
import { DomainError, notFound } from '~/utils/errors.server'
import { checkOutboundUrl, type Lookup } from '~/utils/outbound.server'
import { pageInfo, pageOf } from '~/utils/paging'
import { PING_EVENT, queueAttempts, queueDeliveries, type DeliveryEvent } from './deliveries.server'
import { standardWebhookSecret } from './signing.server'

const MIN_SECRET = 16

/** Why a URL cannot receive webhooks (as far as can be told without resolving it), or null. */
function urlProblem(value: string): string | null {
	// URL parsing silently drops tabs and line breaks, so they are refused before it.
	if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) return 'The URL cannot contain control characters or line breaks'
	let url: URL
	try {
		url = new URL(value)
	} catch {
		return 'Enter a full URL starting with http:// or https://'
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Enter a full URL starting with http:// or https://'
	if (url.hostname === '') return 'Enter a full URL starting with http:// or https://'
	// A user name or password in the URL would be sent along with every delivery and shown in the log.
	if (url.username !== '' || url.password !== '') return 'The URL cannot contain a user name or password; use the secret to authenticate'
	return null
}

export const webhookSchema = z.object({
	url: z
		.string({ required_error: 'Enter the URL that receives the events' })
		.trim()
		.min(1, 'Enter the URL that receives the events')
		.max(2000, 'The URL can have at most 2,000 characters')
		.superRefine((value, ctx) => {
			const problem = urlProblem(value)
			if (problem) ctx.addIssue({ code: 'custom', message: problem })
		}),
	// Left empty, a secret is generated and shown once.
	secret: z
		.string()
		.trim()
		.optional()
		.transform((value) => (value ? value : undefined))
		.pipe(
			z
				.string()
				.min(MIN_SECRET, 'The secret needs at least 16 characters; leave it empty to generate one')
				.max(200, 'The secret can have at most 200 characters')
				.optional(),
		),
	events: z
		.union([z.string(), z.array(z.string())], { required_error: 'Choose at least one event' })
		.transform((value) => [...new Set(Array.isArray(value) ? value : [value])])
		.pipe(
			z
				.array(z.enum(webhookEventTypes, { errorMap: () => ({ message: 'Choose events from the list' }) }))
				.min(1, 'Choose at least one event'),
		),
})
export type WebhookInput = z.infer<typeof webhookSchema>

const descriptions: Record<WebhookEventType, string> = {
	'question.created': 'A customer asks a question',
	'question.answered': 'A question gets an answer',
	'question.solved': 'An answer is accepted',
	'account.alert': 'A customer account needs attention',
	'account.daily_metrics': "Each account's metrics, once a day",
	'post.flagged': 'Someone flags a question or answer',
	'post.hidden': 'A question or answer is hidden, by staff or by flags',
}

/** The events a webhook can subscribe to, with what they mean, for the registration form. */
export const webhookEvents = webhookEventTypes.map((name) => ({ name, description: descriptions[name] }))

/** The audit trail names a webhook by its host: the URL's path or query may carry a receiver's key. */
const auditTarget = (webhook: { id: number; url: string }) => ({ type: 'webhook' as const, id: String(webhook.id), label: new URL(webhook.url).host })

const generateSecret = () => `whsec_${randomBytes(24).toString('hex')}`

/**
 * Registers a webhook. The secret is returned only here: a generated one must be
 * copied now, because pages never show secrets again.
 */
export async function registerWebhook(actor: Actor | null, input: WebhookInput, options: { lookup?: Lookup } = {}) {
	authorize(actor, 'webhooks:manage')
	await checkOutboundUrl(input.url, options.lookup)
	const secret = input.secret ?? generateSecret()
	const webhook = await db.transaction(async (tx) => {
		const [row] = await tx.insert(webhooks).values({ url: input.url, secret, events: input.events, createdById: actor.id }).returning({ id: webhooks.id, url: webhooks.url })
		await recordAudit(tx, actor, { action: 'webhook.created', target: auditTarget(row!), details: { events: input.events } })
		return row!
	})
	return { id: webhook.id, url: webhook.url, secret, generatedSecret: input.secret === undefined }
}

const countOf = (status: 'pending' | 'failed') =>
	sql<number>`(select count(*)::int from ${webhookDeliveries} where ${webhookDeliveries.webhookId} = ${webhooks.id} and ${webhookDeliveries.status} = ${status})`

export async function listWebhooks(actor: Actor | null) {
	authorize(actor, 'webhooks:manage')
	const rows = await db
		.select({ id: webhooks.id, url: webhooks.url, events: webhooks.events, active: webhooks.active, createdAt: webhooks.createdAt, pending: countOf('pending'), failed: countOf('failed') })
		.from(webhooks)
		.orderBy(desc(webhooks.createdAt), desc(webhooks.id))
	return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }))
}

async function findWebhook(id: number) {
	const [webhook] = await db.select().from(webhooks).where(eq(webhooks.id, id))
	if (!webhook) throw notFound('Webhook')
	return webhook
}

/** A paused webhook gets no new events; deliveries already queued wait until it is resumed. */
export async function setWebhookActive(actor: Actor | null, id: number, active: boolean) {
	authorize(actor, 'webhooks:manage')
	return db.transaction(async (tx) => {
		// Locked, so two admins pressing "Pause" at once record one change.
		const [before] = await tx.select({ active: webhooks.active }).from(webhooks).where(eq(webhooks.id, id)).for('update')
		if (!before) throw notFound('Webhook')
		const [webhook] = await tx.update(webhooks).set({ active }).where(eq(webhooks.id, id)).returning({ id: webhooks.id, url: webhooks.url, active: webhooks.active })
		if (before.active === active) return { id: webhook!.id, active: webhook!.active }
		await recordAudit(tx, actor, { action: 'webhook.updated', target: auditTarget(webhook!), details: { active } })
		if (active) {
			const waiting = await tx
				.select({ id: webhookDeliveries.id })
				.from(webhookDeliveries)
				.where(and(eq(webhookDeliveries.webhookId, id), eq(webhookDeliveries.status, 'pending')))
			await queueAttempts(tx, waiting.map((delivery) => delivery.id))
		}
		return { id: webhook!.id, active: webhook!.active }
	})
}

/** Deletes the webhook with its delivery log; queued deliveries are never sent. */
export async function deleteWebhook(actor: Actor | null, id: number) {
	authorize(actor, 'webhooks:manage')
	await db.transaction(async (tx) => {
		const [deleted] = await tx.delete(webhooks).where(eq(webhooks.id, id)).returning({ id: webhooks.id, url: webhooks.url })
		if (!deleted) throw notFound('Webhook')
		await recordAudit(tx, actor, { action: 'webhook.deleted', target: auditTarget(deleted) })
	})
}

/** Queues a `ping` delivery, so an admin can check the receiver and its signature check. */
export async function sendTestDelivery(actor: Actor | null, id: number) {
	authorize(actor, 'webhooks:manage')
	const webhook = await findWebhook(id)
	if (!webhook.active) throw new DomainError('invalid', 'Resume the webhook before sending a test')
	const event: DeliveryEvent = PING_EVENT
	const [deliveryId] = await db.transaction((tx) =>
		// The column is text: `ping` is stored as is, though it is not an event people subscribe to.
		queueDeliveries(tx, [{ webhookId: id, event: event as WebhookEventType, payload: { webhook: { id, url: webhook.url } } }]),
	)
	return { id: deliveryId! }
}

/** The webhook and one page of its deliveries, newest first. */
export async function webhookLog(actor: Actor | null, id: number, requestedPage = 1) {
	authorize(actor, 'webhooks:manage')
	const webhook = await findWebhook(id)
	const [{ total }] = (await db.select({ total: sql<number>`count(*)::int` }).from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id))) as [{ total: number }]
	const page = pageOf(requestedPage, total)
	const deliveries = await db
		.select()
		.from(webhookDeliveries)
		.where(eq(webhookDeliveries.webhookId, id))
		.orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
		.limit(page.pageSize)
		.offset(page.offset)
	return {
		page: pageInfo(page),
		webhook: { id: webhook.id, url: webhook.url, events: webhook.events, active: webhook.active, createdAt: webhook.createdAt.toISOString() },
		// Derived from the secret, never the secret itself (see signing.server.ts): safe to show admins again.
		standardSecret: standardWebhookSecret(webhook.secret),
		deliveries: deliveries.map((delivery) => ({
			id: delivery.id,
			event: delivery.event as DeliveryEvent,
			status: delivery.status,
			attempts: delivery.attempts,
			lastStatusCode: delivery.lastStatusCode,
			lastError: delivery.lastError,
			// A pending delivery's next try; the others have none.
			nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
			deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
			createdAt: delivery.createdAt.toISOString(),
			payload: JSON.stringify(delivery.payload, null, 2),
		})),
	}
}

/**
 * Makes a failed or pending delivery due now. A failed one gets one more attempt;
 * if that fails too it is failed again, since it already used its retries.
 */
export async function retryDelivery(actor: Actor | null, webhookId: number, deliveryId: number) {
	authorize(actor, 'webhooks:manage')
	return db.transaction(async (tx) => {
		const [delivery] = await tx
			.update(webhookDeliveries)
			.set({ status: 'pending', nextAttemptAt: new Date() })
			.where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, webhookId), inArray(webhookDeliveries.status, ['pending', 'failed'])))
			.returning({ id: webhookDeliveries.id })
		if (!delivery) throw new DomainError('not_found', 'No failed or pending delivery to retry')
		await queueAttempts(tx, [delivery.id])
		return delivery
	})
}
