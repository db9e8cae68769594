import { createHmac } from 'node:crypto'

/**
 * Two signatures on every delivery, both keyed from the webhook's one stored secret:
 *
 * - Kizuna's own (`X-Kizuna-Signature: sha256=<hex>`): HMAC-SHA256 with the secret as
 *   typed (or generated), of `<X-Kizuna-Timestamp>.<raw body>`.
 * - Standard Webhooks (https://www.standardwebhooks.com): `webhook-id`,
 *   `webhook-timestamp` and `webhook-signature: v1,<base64>`, the HMAC-SHA256 of
 *   `<id>.<timestamp>.<raw body>` keyed with the bytes of a `whsec_<base64>` secret,
 *   so receivers verify with the reference libraries in any language.
 *
 * A Standard Webhooks secret must be base64 key bytes, which an admin's typed secret
 * is not (and a generated one is hex). It is derived instead: HMAC-SHA256(secret,
 * STANDARD_KEY_LABEL). Every existing webhook gets one without being set up again or
 * a new column, and showing it on the webhook's page reveals nothing of the secret
 * itself (a one-way function of it), so the "shown once" promise for that still holds.
 */
const STANDARD_KEY_LABEL = 'kizuna standard-webhooks key v1'

const standardKey = (secret: string) => createHmac('sha256', secret).update(STANDARD_KEY_LABEL).digest()

/** The `whsec_…` secret a receiver gives the Standard Webhooks library. */
export const standardWebhookSecret = (secret: string) => `whsec_${standardKey(secret).toString('base64')}`

/** Stable for one delivery across all its attempts, so receivers can drop repeats. */
export const standardWebhookId = (deliveryId: number) => `msg_kizuna_${deliveryId}`

/** The headers that sign `body` for attempt time `timestamp` (Unix seconds). */
export function signatureHeaders(input: { secret: string; deliveryId: number; timestamp: number; body: string }): Record<string, string> {
	const id = standardWebhookId(input.deliveryId)
	const timestamp = String(input.timestamp)
	const kizuna = createHmac('sha256', input.secret).update(`${timestamp}.${input.body}`).digest('hex')
	const standard = createHmac('sha256', standardKey(input.secret)).update(`${id}.${timestamp}.${input.body}`).digest('base64')
	return {
		'X-Kizuna-Delivery': String(input.deliveryId),
		'X-Kizuna-Timestamp': timestamp,
		'X-Kizuna-Signature': `sha256=${kizuna}`,
		'webhook-id': id,
		'webhook-timestamp': timestamp,
		'webhook-signature': `v1,${standard}`,
	}
}
