import { asc, eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { action as webhooksAction } from '../../app/routes/admin.webhooks._index'
import type { Lookup } from '../../app/utils/outbound.server'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { registerWebhook, retryDelivery, sendTestDelivery, webhookSchema } from '../../app/webhooks/webhooks.server'
import { db } from '../../db/client.server'
import { webhookDeliveries } from '../../db/schema'
import { person } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'
import { startWebhookReceiver } from '../support/webhook-receiver'

const SECRET = 'a-shared-secret-of-32-characters'
const input = (url: string) => webhookSchema.parse({ url, secret: SECRET, events: ['question.created'] })

/** DNS as a test wants it: names map to fixed addresses, anything else does not exist. */
const fakeDns =
	(table: Record<string, string>): Lookup =>
	(hostname, _options, callback) => {
		const address = table[hostname]
		if (!address) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), [])
		callback(null, [{ address, family: address.includes(':') ? 6 : 4 }])
	}

// Due "now" by the database's clock can be a fraction of a millisecond after JavaScript's now.

const allowPrivate = (allowed: boolean) => vi.stubEnv('KIZUNA_ALLOW_PRIVATE_URLS', allowed ? 'true' : 'false')

const deliveriesOf = (webhookId: number) => db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId)).orderBy(asc(webhookDeliveries.id))

describe('Requests into the private network', () => {
	beforeEach(async () => {
		await resetData()
		allowPrivate(false)
	})
	afterEach(() => {
		vi.unstubAllEnvs()
	})

	it.each([
		['http://127.0.0.1:8080/hook', '127.0.0.1'],
		['http://10.1.2.3/hook', '10.1.2.3'],
		['http://192.168.0.10/hook', '192.168.0.10'],
		['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
		['http://100.64.0.1/hook', '100.64.0.1'],
		['http://224.0.0.1/hook', '224.0.0.1'],
		['http://[::1]/hook', '::1'],
		['http://[::ffff:127.0.0.1]/hook', '::ffff:7f00:1'],
		['http://0.0.0.0/hook', '0.0.0.0'],
	])('refuses %s when it is saved', async (url, address) => {
		const error = await refusal(registerWebhook(await person('admin'), input(url)))
		expect(error.status).toBe(400)
		expect(error.message).toContain(address)
		expect(error.fieldErrors.url).toMatch(/private network/)
	})

	it('refuses names that resolve into the private network, and unknown names, when they are saved', async () => {
		const admin = await person('admin')
		const localhost = await refusal(registerWebhook(admin, input('http://localhost:9000/hook')))
		expect(localhost.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1)/)
		const lookup = fakeDns({ 'hooks.example.com': '93.184.215.14', 'intranet.example.com': '10.0.0.5' })
		const intranet = await refusal(registerWebhook(admin, input('https://intranet.example.com/hook'), { lookup }))
		expect(intranet.message).toMatch(/^intranet\.example\.com resolves to 10\.0\.0\.5/)
		const unknown = await refusal(registerWebhook(admin, input('https://nowhere.example.com/hook'), { lookup }))
		expect(unknown.fieldErrors.url).toBe('The host name in this URL could not be found')
		const saved = await registerWebhook(admin, input('https://hooks.example.com/hook'), { lookup })
		expect(saved.url).toBe('https://hooks.example.com/hook')
	})

	it('shows the refusal on the registration form', async () => {
		const admin = await person('admin')
		const body = new URLSearchParams({ intent: 'create', url: 'http://169.254.169.254/latest/meta-data/', secret: SECRET, events: 'question.created' })
		const request = new Request('http://kizuna.test/admin/webhooks', { method: 'POST', body })
		const response = (await webhooksAction({ request, context: { actor: admin }, params: {} } as never)) as Response
		expect(response.status).toBe(400)
		const { result } = await response.json()
		expect(result.error.url).toEqual([expect.stringMatching(/private network/)])
		expect(await db.select().from(webhookDeliveries)).toEqual([])
	})

	it('refuses URLs with credentials, other schemes or control characters before resolving them', () => {
		const problem = (url: string) => {
			const result = webhookSchema.safeParse({ url, events: ['question.created'] })
			return result.success ? null : result.error.issues[0]!.message
		}
		expect(problem('https://user:pass@hooks.example.com/')).toMatch(/user name or password/)
		expect(problem('ftp://hooks.example.com/')).toMatch(/http:\/\/ or https:\/\//)
		expect(problem('file:///etc/passwd')).toMatch(/http:\/\/ or https:\/\//)
		expect(problem('https://hooks.exam\tple.com/')).toMatch(/control characters/)
		expect(problem('https://hooks.example.com/\r\nX-Injected: 1')).toMatch(/control characters/)
		expect(problem('https://hooks.example.com/\u0000')).toMatch(/control characters/)
		expect(problem('https://hooks.example.com/hook')).toBeNull()
	})

	it('refuses at delivery time what was allowed when saved, and does not retry it', async () => {
		const receiver = await startWebhookReceiver([200])
		const admin = await person('admin')
		// Saved while private addresses were allowed (as when the setting is later turned off).
		allowPrivate(true)
		const direct = await registerWebhook(admin, input(receiver.url))
		const byName = await registerWebhook(admin, input(receiver.url.replace('127.0.0.1', 'localhost')))
		allowPrivate(false)
		try {
			await sendTestDelivery(admin, direct.id)
			await sendTestDelivery(admin, byName.id)
			expect((await runPendingJobs()).failed).toEqual([expect.objectContaining({ queue: 'webhook-delivery', final: true }), expect.objectContaining({ queue: 'webhook-delivery', final: true })])
			expect(receiver.requests).toEqual([])
			const [first] = await deliveriesOf(direct.id)
			expect(first).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: null })
			expect(first!.lastError).toMatch(/^Refused: 127\.0\.0\.1 is a loopback, private or reserved address/)
			const [second] = await deliveriesOf(byName.id)
			expect(second).toMatchObject({ status: 'failed', attempts: 1 })
			expect(second!.lastError).toMatch(/^Refused: localhost resolves to (127\.0\.0\.1|::1)/)
			// Nothing is due any more: a refused delivery is not retried on its own.
			expect(await runPendingJobs()).toEqual({ completed: 0, failed: [] })
			// With the setting on, "Retry now" delivers it.
			allowPrivate(true)
			await retryDelivery(admin, direct.id, first!.id)
			expect(await runPendingJobs()).toEqual({ completed: 1, failed: [] })
			expect(receiver.requests).toHaveLength(1)
		} finally {
			await receiver.close()
		}
	})

	it('checks the address again when connecting, so a name that resolves elsewhere later is refused (DNS rebinding)', async () => {
		const receiver = await startWebhookReceiver([200])
		const admin = await person('admin')
		const host = 'rebind.example.com'
		const port = new URL(receiver.url).port
		try {
			const saved = await registerWebhook(admin, input(`http://${host}:${port}/hooks/kizuna`), { lookup: fakeDns({ [host]: '93.184.215.14' }) })
			await sendTestDelivery(admin, saved.id)
			expect((await runPendingJobs({ lookup: fakeDns({ [host]: '127.0.0.1' }) })).failed).toEqual([expect.objectContaining({ queue: 'webhook-delivery', final: true })])
			expect(receiver.requests).toEqual([])
			const [delivery] = await deliveriesOf(saved.id)
			expect(delivery).toMatchObject({ status: 'failed', attempts: 1 })
			expect(delivery!.lastError).toMatch(/^Refused: rebind\.example\.com resolves to 127\.0\.0\.1/)
		} finally {
			await receiver.close()
		}
	})
})
