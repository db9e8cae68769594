import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { PREVIEW_PATH } from '../../app/community/preview.server'
import type { RequestContext } from '../../app/server/context'
import { BODY_LIMIT, STAFF_TUTORIAL_BODY_LIMIT, errorHandler, readBody, refuseAnonymousPreview, securityHeaders } from '../../app/server/guards'
import { DomainError } from '../../app/utils/errors.server'

const servers: Array<{ close: () => void }> = []
afterEach(() => servers.splice(0).forEach((server) => server.close()))

async function serve(app: express.Express): Promise<string> {
	const server = app.listen(0, '127.0.0.1')
	servers.push(server)
	await new Promise((resolve) => server.once('listening', resolve))
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const formBytes = (fields: Record<string, string>) => Buffer.byteLength(new URLSearchParams(fields).toString())

describe('body limits', () => {
	it('fit the biggest legitimate forms: a 30,000-character Japanese FAQ, a 30-step tutorial', () => {
		const faq = formBytes({ title: '請'.repeat(150), body: '請求書の宛名を変更するには\n'.repeat(2143).slice(0, 30_000), category: '請求', tags: 'billing, 請求', language: 'ja' })
		expect(faq).toBeGreaterThan(250_000)
		expect(faq).toBeLessThan(BODY_LIMIT)
		const steps = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [[`steps[${i}][title]`, '手'.repeat(120)], [`steps[${i}][body]`, '手'.repeat(20_000)]]).flat())
		const tutorial = formBytes({ title: '手'.repeat(150), summary: '手'.repeat(1000), ...steps })
		expect(tutorial).toBeGreaterThan(BODY_LIMIT)
		expect(tutorial).toBeLessThan(STAFF_TUTORIAL_BODY_LIMIT)
	})

	it('refuse an oversized body by Content-Length and while it streams, and non-form bodies to pages', async () => {
		const app = express()
		app.use(readBody)
		app.all('*', (_req, res) => res.json({ read: (res.locals.body as Buffer).length }))
		app.use(errorHandler)
		const base = await serve(app)
		const form = { 'Content-Type': 'application/x-www-form-urlencoded' }
		expect(await (await fetch(`${base}/signin`, { method: 'POST', headers: form, body: 'a=1' })).json()).toEqual({ read: 3 })
		const declared = await fetch(`${base}/api/v1/questions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'x'.repeat(BODY_LIMIT + 1) })
		expect(declared.status).toBe(413)
		expect(await declared.json()).toEqual({ error: 'The request body is too large (at most 512 KB)' })
		const chunks = new ReadableStream({
			start(controller) {
				for (let i = 0; i < 8; i++) controller.enqueue(new Uint8Array(128 * 1024))
				controller.close()
			},
		})
		const streamed = await fetch(`${base}/api/v1/questions`, { method: 'POST', body: chunks, duplex: 'half' } as RequestInit)
		expect(streamed.status).toBe(413)
		const json = await fetch(`${base}/questions/ask`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"title":"x"}' })
		expect(json.status).toBe(415)
		expect(await json.text()).toContain('Forms must be sent as application/x-www-form-urlencoded')
	})
})

describe('the Markdown preview', () => {
	it('refuses an anonymous request before reading its body, and reads a signed-in one', async () => {
		const app = express()
		app.use((req, res, next) => {
			res.locals.context = { actor: req.get('x-test-actor') ? { id: 7, role: 'member' } : null } as Partial<RequestContext>
			next()
		})
		// As app/server/main.ts mounts it: before the body is read.
		app.post(PREVIEW_PATH, refuseAnonymousPreview)
		app.use(readBody)
		app.post(PREVIEW_PATH, (_req, res) => res.json({ read: (res.locals.body as Buffer).length }))
		app.use(errorHandler)
		const base = await serve(app)
		// A body that never ends: only a refusal made before reading it can be answered.
		const endless = () =>
			new ReadableStream({
				start(controller) {
					controller.enqueue(new TextEncoder().encode(`markdown=${'*a'.repeat(1000)}`))
				},
			})
		const form = { 'Content-Type': 'application/x-www-form-urlencoded' }
		for (const path of [PREVIEW_PATH, `${PREVIEW_PATH}/`, PREVIEW_PATH.toUpperCase()]) {
			const refused = await fetch(`${base}${path}`, { method: 'POST', headers: form, body: endless(), duplex: 'half' } as RequestInit)
			expect(refused.status).toBe(401)
			expect(await refused.text()).toContain('Sign in to see a preview')
		}
		const signedIn = await fetch(`${base}${PREVIEW_PATH}`, { method: 'POST', headers: { ...form, 'X-Test-Actor': '1' }, body: 'markdown=**hi**' })
		expect(await signedIn.json()).toEqual({ read: 15 })
	})
})

describe('error answers', () => {
	it('never carry a stack trace, SQL or a path', async () => {
		const app = express()
		app.get('/api/boom', () => {
			throw Object.assign(new Error('select "password_hash" from "users" where id = $1'), { stack: 'Error\n    at /work/app/auth/users.server.ts:12:3' })
		})
		app.get('/down', () => {
			throw new Error('Failed query', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }) })
		})
		app.get('/refused', () => {
			throw new DomainError('forbidden', 'Only staff can see this')
		})
		app.use(errorHandler)
		const base = await serve(app)
		const boom = await fetch(`${base}/api/boom`)
		expect(boom.status).toBe(500)
		expect(await boom.json()).toEqual({ error: 'Something went wrong on our side' })
		const down = await fetch(`${base}/down`, { headers: { 'Accept-Language': 'ja' } })
		expect(down.status).toBe(503)
		const page = await down.text()
		expect(page).toContain('Kizuna は一時的に利用できません')
		expect(page).not.toMatch(/ECONNREFUSED|5432|\.ts:/)
		expect((await fetch(`${base}/refused`)).status).toBe(403)
	})
})

describe('security headers', () => {
	it('send a nonce-based CSP, nosniff and HSTS only when the site is https', async () => {
		const page = (https: boolean) => {
			const app = express()
			app.use(securityHeaders({ https, dev: false }))
			app.get('/', (_req, res) => res.send(String(res.locals.cspNonce)))
			return serve(app)
		}
		const secure = await fetch(await page(true))
		const nonce = await secure.text()
		const csp = secure.headers.get('content-security-policy')!
		expect(csp).toContain(`script-src 'self' 'nonce-${nonce}'`)
		expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
		expect(csp).toContain('upgrade-insecure-requests')
		expect(secure.headers.get('strict-transport-security')).toBe('max-age=31536000')
		expect(secure.headers.get('x-content-type-options')).toBe('nosniff')
		expect(secure.headers.get('x-frame-options')).toBe('DENY')
		const plain = await fetch(await page(false))
		expect(plain.headers.get('content-security-policy')).toBe(
			`default-src 'self';script-src 'self' 'nonce-${await plain.clone().text()}';style-src 'self' 'unsafe-inline';img-src 'self' data:;font-src 'self' data:;connect-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'`,
		)
		expect(plain.headers.get('strict-transport-security')).toBeNull()
		expect(plain.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests')
		expect(await plain.text()).not.toBe(nonce)
	})
})
