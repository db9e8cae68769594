import { spawn } from 'node:child_process'
import http from 'node:http'
import net from 'node:net'
import { type Page } from '@playwright/test'
import { apiToken, createUser, expect, signIn, test, unique } from './support'

const base = () => process.env.E2E_BASE_URL!
const auth = (token: string) => ({ Authorization: `Bearer ${token}` })

/** Sends `bytes` of body (chunked, or with a Content-Length) and resolves when the status arrives. */
function postBytes(path: string, bytes: number, options: { chunked: boolean; contentType: string }): Promise<{ status: number; ms: number; body: string }> {
	return new Promise((resolve, reject) => {
		const started = Date.now()
		const headers: Record<string, string> = { 'Content-Type': options.contentType, Origin: base() }
		if (options.chunked) headers['Transfer-Encoding'] = 'chunked'
		else headers['Content-Length'] = String(bytes)
		const req = http.request(new URL(path, base()), { method: 'POST', headers }, (res) => {
			let body = ''
			res.setEncoding('utf8')
			res.on('data', (chunk: string) => (body += chunk))
			res.on('end', () => resolve({ status: res.statusCode!, ms: Date.now() - started, body }))
		})
		// The server closes the connection once it has refused the body, so writing may fail after the answer.
		req.on('error', (error) => setTimeout(() => reject(error), 1000))
		const chunk = Buffer.alloc(64 * 1024, 'a')
		let sent = 0
		const pump = () => {
			while (sent < bytes) {
				sent += chunk.length
				if (!req.write(chunk)) return void req.once('drain', pump)
			}
			req.end()
		}
		pump()
	})
}

function cspViolations(page: Page): string[] {
	const found: string[] = []
	page.on('console', (message) => {
		if (/Content Security Policy/i.test(message.text())) found.push(message.text())
	})
	return found
}

test.describe('hostile input is refused with a reason', () => {
	test('a NUL or control character in API fields, form fields and URLs is a 4xx naming the field', async ({ page, request }) => {
		const member = await createUser('member')
		const token = await apiToken(member)
		const question = await request.post('/api/v1/questions', { headers: auth(token), data: { title: 'Exporting\u0000 boards to CSV', body: 'How do I export a board?' } })
		expect(question.status()).toBe(400)
		expect(await question.json()).toEqual({ error: 'title: Contains an invisible control character; remove it and try again' })
		const created = await request.post('/api/v1/questions', { headers: auth(token), data: { title: `Exporting boards ${unique('q')}`, body: 'How do I export a board?' } })
		const { id } = (await created.json()) as { id: number }
		const answer = await request.post(`/api/v1/questions/${id}/answers`, { headers: auth(token), data: { body: 'Use the menu\u0000 then Export.' } })
		expect(answer.status()).toBe(400)
		expect((await answer.json()).error).toMatch(/^body: Contains an invisible control character/)
		const feedback = await request.post('/api/v1/feedback', { headers: auth(token), data: { targetType: 'question', targetId: id, helpful: false, reason: 'other', comment: 'no\u0000pe' } })
		expect(feedback.status()).toBe(400)
		expect((await request.get('/admin/accounts/acme%00')).status()).toBe(404)
		expect((await request.get('/questions?tag=%00')).status()).toBe(200)

		// Pages show the reason next to the field.
		await signIn(page, member)
		await page.goto('/questions/ask')
		await page.getByLabel('Title').fill('A question with a hidden bell')
		await page.getByLabel('Details').fill('There is a bell \u0007 in this text.')
		await page.getByRole('button', { name: 'Post your question' }).click()
		// The field's message (the preview, once it answers, says it too).
		await expect(page.getByRole('alert').filter({ hasText: 'Contains an invisible control character; remove it and try again' })).toBeVisible()

		const admin = await createUser('admin')
		const adminPage = await (await page.context().browser()!.newContext()).newPage()
		await signIn(adminPage, admin)
		const webhook = await adminPage.request.post('/admin/webhooks', {
			headers: { Origin: base() },
			form: { intent: 'create', url: 'https://hooks.example.com/\u0000x', secret: '', events: 'question.created' },
		})
		expect(webhook.status()).toBe(400)
		expect(await webhook.text()).toContain('Contains an invisible control character')
	})

	test('out-of-range dates and ids are refused, not 500s', async ({ request }) => {
		const staff = await createUser('cs')
		const token = await apiToken(staff)
		const summary = await request.get('/api/v1/insights/summary?from=9999-12-31', { headers: auth(token) })
		expect(summary.status()).toBe(400)
		expect(await summary.json()).toEqual({ error: 'from: from must be between 2000-01-01 and 2100-12-31' })
		const api = await request.get('/api/v1/questions/99999999999')
		expect(api.status()).toBe(404)
		expect((await request.get('/questions/99999999999')).status()).toBe(404)
		expect((await request.get('/faq/99999999999')).status()).toBe(404)
	})

	test('oversized bodies get 413 at once, chunked or with a Content-Length', async ({ request }) => {
		const overLimit = 4 * 1024 * 1024
		for (const chunked of [true, false]) {
			const form = await postBytes('/signin', overLimit, { chunked, contentType: 'application/x-www-form-urlencoded' })
			expect(form.status).toBe(413)
			expect(form.body).toContain('The request body is too large (at most 512 KB)')
			expect(form.ms).toBeLessThan(3000)
			const api = await postBytes('/api/v1/questions', overLimit, { chunked, contentType: 'application/json' })
			expect(api.status).toBe(413)
			expect(JSON.parse(api.body)).toEqual({ error: 'The request body is too large (at most 512 KB)' })
		}
		// The server is still answering normally.
		expect((await request.get('/healthz')).status()).toBe(200)
	})

	test('non-form bodies sent to form actions and foreign-origin posts are refused', async ({ request }) => {
		const json = await request.post('/signin', { headers: { 'Content-Type': 'application/json', Origin: base() }, data: { email: 'a@example.com', password: 'x' } })
		expect(json.status()).toBe(415)
		expect(await json.text()).toContain('Forms must be sent as application/x-www-form-urlencoded')
		const multipart = await request.post('/signup', { headers: { Origin: base() }, multipart: { email: 'a@example.com', password: 'correct horse', displayName: 'A' } })
		expect(multipart.status()).toBe(415)
		const foreign = await request.post('/signin', { headers: { Origin: 'https://evil.example' }, form: { email: 'a@example.com', password: 'correct horse' } })
		expect(foreign.status()).toBe(403)
		expect(await foreign.json()).toEqual({ error: 'Cross-site request refused' })
		const nullOrigin = await request.post('/signin', { headers: { Origin: 'null' }, form: { email: 'a@example.com', password: 'correct horse' } })
		expect(nullOrigin.status()).toBe(403)
	})

	test('an unreadable session cookie is a signed-out visitor and the cookie is cleared', async ({ page, request }) => {
		const response = await request.get('/', { headers: { Cookie: 'kz_session=%00' } })
		expect(response.status()).toBe(200)
		expect(response.headers()['set-cookie']).toMatch(/kz_session=; Max-Age=0/)
		const html = await response.text()
		expect(html).not.toMatch(/select|\.ts:\d|node_modules/i)

		await page.context().addCookies([{ name: 'kz_session', value: '%00', url: base() }])
		await page.goto('/questions')
		await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible()
	})
})

test.describe('security headers', () => {
	test('pages carry a nonce CSP and their scripts still run: search suggestions and insights charts work', async ({ browser, page, request }) => {
		const violations = cspViolations(page)
		const member = await createUser('member')
		const marker = unique('csp').replace(/[^a-z0-9]/g, '')
		const title = `Nonce protected suggestions ${marker}`
		expect((await request.post('/api/v1/questions', { headers: auth(await apiToken(member)), data: { title, body: 'Checking that scripts run.' } })).status()).toBe(201)

		const response = await page.goto('/')
		const csp = response!.headers()['content-security-policy']!
		const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1]
		expect(nonce).toBeTruthy()
		expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/)
		expect(await page.locator(`script[nonce]`).count()).toBeGreaterThan(0)

		const box = page.getByRole('combobox', { name: 'Search' })
		await expect(async () => {
			await box.fill('')
			await box.fill(`nonce suggestions ${marker}`)
			await expect(page.getByRole('listbox').getByText(title)).toBeVisible({ timeout: 2000 })
		}).toPass({ timeout: 15_000 })

		const staff = await (await browser.newContext()).newPage()
		const staffViolations = cspViolations(staff)
		await signIn(staff, await createUser('cs'))
		await staff.goto('/insights')
		await expect(staff.locator('svg.recharts-surface').first()).toBeVisible()
		expect([...violations, ...staffViolations]).toEqual([])
	})

	test('nosniff and the frame policy are on JSON, CSV, static files and the search API', async ({ request }) => {
		const staff = await createUser('cs')
		const token = await apiToken(staff)
		const html = await request.get('/')
		const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(await html.text())?.[1] ?? /href="(\/assets\/[^"]+\.js)"/.exec(await html.text())?.[1]
		expect(script).toBeTruthy()
		for (const [path, headers] of [
			['/api/v1/search?q=export', {}],
			['/api/v1/questions/1', {}],
			['/insights/export/accounts.csv', auth(token)],
			['/favicon.svg', {}],
			[script!, {}],
			['/healthz', {}],
		] as const) {
			const response = await request.get(path, { headers })
			expect(response.headers()['x-content-type-options'], path).toBe('nosniff')
			expect(response.headers()['x-frame-options'], path).toBe('DENY')
			expect(response.headers()['content-security-policy'], path).toContain("frame-ancestors 'none'")
		}
		// Served over http here (no https KIZUNA_PUBLIC_URL): no HSTS, and cookies are not Secure whatever X-Forwarded-Proto says.
		const spoofed = await request.get('/', { headers: { 'X-Forwarded-Proto': 'https', Cookie: '' } })
		expect(spoofed.headers()['strict-transport-security']).toBeUndefined()
		expect(spoofed.headers()['set-cookie'] ?? '').not.toMatch(/Secure/)
	})
})

test('signing in with a crafted redirectTo stays on the site', async ({ page }) => {
	const member = await createUser('member')
	for (const target of ['/%09/evil.example/x', '/%5Cevil.example', '//evil.example']) {
		await page.context().clearCookies()
		await page.goto(`/signin?redirectTo=${encodeURIComponent(decodeURIComponent(target))}`)
		await page.getByLabel('Email').fill(member.email)
		await page.getByLabel('Password').fill(member.password)
		await page.getByRole('button', { name: 'Sign in' }).click()
		await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
		expect(new URL(page.url()).origin).toBe(base())
	}
	// Signed in, the same link is refused again.
	await page.goto('/signin?redirectTo=%2F%09%2Fevil.example%2Fx')
	expect(new URL(page.url()).origin).toBe(base())
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
})

/** A TCP relay to PostgreSQL that the test can cut, as an outage would. */
async function cuttableDatabase(databaseUrl: string) {
	const target = new URL(databaseUrl)
	const sockets = new Set<net.Socket>()
	const relay = net.createServer((client) => {
		const upstream = net.connect(Number(target.port || 5432), target.hostname)
		for (const socket of [client, upstream]) {
			sockets.add(socket)
			socket.on('error', () => undefined)
			socket.on('close', () => sockets.delete(socket))
		}
		client.pipe(upstream).pipe(client)
	})
	await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
	const proxied = new URL(databaseUrl)
	proxied.hostname = '127.0.0.1'
	proxied.port = String((relay.address() as net.AddressInfo).port)
	return {
		url: proxied.toString(),
		cut: () => {
			relay.close()
			for (const socket of sockets) socket.destroy()
		},
	}
}

test('a database outage answers 503: JSON on the API, a friendly page elsewhere, never a stack trace', async () => {
	test.setTimeout(90_000)
	const database = await cuttableDatabase(process.env.DATABASE_URL!)
	const port = await new Promise<number>((resolve) => {
		const probe = net.createServer().listen(0, '127.0.0.1', () => {
			const { port: free } = probe.address() as net.AddressInfo
			probe.close(() => resolve(free))
		})
	})
	const server = spawn(process.execPath, ['--import', 'tsx', 'app/server/main.ts'], {
		env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', KIZUNA_DEMO_CONTENT: 'off', NODE_ENV: 'production' },
		stdio: ['ignore', 'pipe', 'pipe'],
	})
	try {
		await new Promise<void>((resolve, reject) => {
			server.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('Kizuna is ready') && resolve())
			server.once('exit', (code) => reject(new Error(`the server exited with ${code}`)))
		})
		const url = (path: string) => `http://127.0.0.1:${port}${path}`
		expect((await fetch(url('/questions'))).status).toBe(200)
		database.cut()

		const api = await fetch(url('/api/v1/questions/1'))
		expect(api.status).toBe(503)
		expect(await api.json()).toEqual({ error: 'The database is unavailable; please try again in a minute' })
		const tokenCall = await fetch(url('/api/v1/questions'), { headers: { Authorization: 'Bearer kz_whatever' } })
		expect(tokenCall.status).toBe(503)
		expect(tokenCall.headers.get('content-type')).toMatch(/^application\/json/)

		const page = await fetch(url('/questions'), { headers: { 'Accept-Language': 'ja' } })
		expect(page.status).toBe(503)
		const html = await page.text()
		expect(html).toContain('Kizuna は一時的に利用できません')
		expect(html).not.toMatch(/ECONNREFUSED|CONNECTION|select |\.ts:\d|node_modules/)
		const signedIn = await fetch(url('/'), { headers: { Cookie: `kz_session=${'a'.repeat(40)}` } })
		expect(signedIn.status).toBe(503)
		expect(await signedIn.text()).toContain('Kizuna is temporarily unavailable')
	} finally {
		server.kill('SIGTERM')
		database.cut()
	}
})
