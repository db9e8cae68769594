import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { generateKeyPair, SignJWT } from 'jose'
import { expect, startServer, test, unique } from './support'

/**
 * Operations on running processes: JSON log lines with a request id, and /metrics
 * for a web and a worker process. Both are started here on this worker's database
 * (the fixture's server stays as it is), with a scrape token and loopback as a
 * trusted proxy, and their log output is read.
 */
const TOKEN = 'e2e-metrics-token-0123456789'

/** A process on this worker's database and Meilisearch, with a data dir of its own. */
const onThisWorker = (dataDir: string) => ({
	DATABASE_URL: process.env.DATABASE_URL,
	MEILI_URL: process.env.MEILI_URL,
	MEILI_MASTER_KEY: process.env.MEILI_MASTER_KEY,
	MEILI_INDEX_PREFIX: process.env.MEILI_INDEX_PREFIX,
	KIZUNA_BUILD_DIR: process.env.KIZUNA_BUILD_DIR,
	KIZUNA_DATA_DIR: dataDir,
	KIZUNA_DEMO_CONTENT: 'off',
})

async function start(role: 'web' | 'worker', extra: Record<string, string> = {}) {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kizuna-ops-${role}-`))
	const server = await startServer({
		...onThisWorker(dataDir),
		KIZUNA_ROLE: role,
		KIZUNA_METRICS_TOKEN: TOKEN,
		KIZUNA_TRUSTED_PROXIES: 'loopback',
		...extra,
	})
	let output = ''
	server.process.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
	return {
		url: server.url,
		lines: () => output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>),
		stop: async () => {
			await server.stop()
			fs.rmSync(dataDir, { recursive: true, force: true })
		},
	}
}

const scrape = (url: string, token = TOKEN) => fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${token}` } })

/** The sum of a series' samples over all label sets that contain `labels`. */
function total(text: string, name: string, labels: Record<string, string> = {}): number {
	return text
		.split('\n')
		.filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
		.filter((line) => Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
		.reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0)
}

test('a web process logs JSON lines with the request id, and its metrics move with requests', async ({ baseURL }) => {
	test.setTimeout(120_000)
	// Single sign-on keys published on a closed port: signing in fails inside a Remix route, as an outage.
	const web = await start('web', { KIZUNA_SSO_JWKS_URL: 'http://127.0.0.1:9/jwks.json', KIZUNA_ALLOW_PRIVATE_URLS: 'true' })
	try {
		// Refused scrapes look like any unknown address.
		const refusedHeaders: Array<Record<string, string>> = [{}, { Authorization: 'Bearer wrong-token-0123456789' }]
		for (const headers of refusedHeaders) {
			const refused = await fetch(`${web.url}/metrics`, { headers })
			expect(refused.status).toBe(404)
			expect(refused.headers.get('content-type')).toMatch(/^text\/html/)
			expect(await refused.text()).not.toContain('kizuna_')
		}
		const before = await (await scrape(web.url)).text()

		// A proxy we trust passes its request id on; it is echoed and on every line of the request, which for a 404 is one line without a stack.
		const traceId = unique('trace')
		const missing = await fetch(`${web.url}/no-such-page-${traceId}?secret=1`, { headers: { 'X-Request-Id': traceId } })
		expect(missing.status).toBe(404)
		expect(missing.headers.get('x-request-id')).toBe(traceId)
		const query = unique('metrics')
		// Bodies read to the end, so each request has ended (and been counted) before the scrape.
		for (let i = 0; i < 2; i++) await fetch(`${web.url}/api/v1/search?q=${query}`).then(async (response) => (await response.text(), expect(response.status).toBe(200)))
		await fetch(`${web.url}/questions`).then(async (response) => (await response.text(), expect(response.status).toBe(200)))
		await missing.text()

		await expect.poll(() => web.lines().filter((line) => line.requestId === traceId).length).toBe(1)
		const [line] = web.lines().filter((entry) => entry.requestId === traceId)
		expect(line).toMatchObject({ level: 'info', msg: 'request', method: 'GET', path: `/no-such-page-${traceId}`, status: 404, route: 'routes/$' })
		expect(JSON.stringify(line)).not.toMatch(/stack|secret/)
		// A request id made here is a fresh UUID, on the response and the request's line.
		await expect.poll(() => web.lines().some((entry) => entry.path === '/questions')).toBe(true)
		expect(web.lines().find((entry) => entry.path === '/questions')).toMatchObject({ route: 'routes/questions._index', status: 200, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) })

		// A failure in domain code is logged with its stack, under the id of the request it happened in.
		const { privateKey } = await generateKeyPair('RS256')
		const token = await new SignJWT({ email: 'ops@example.test' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('ops-1').setIssuedAt().setExpirationTime('5m').sign(privateKey)
		const ssoId = unique('sso')
		const outage = await fetch(`${web.url}/sso/jwt?token=${token}`, { headers: { 'X-Request-Id': ssoId } })
		expect(outage.status).toBe(503)
		await outage.text()
		await expect.poll(() => web.lines().filter((entry) => entry.requestId === ssoId).map((entry) => entry.msg)).toEqual(['Single sign-on: the JWKS could not be used', 'request'])
		const failure = web.lines().find((entry) => entry.requestId === ssoId && entry.level === 'error')!
		expect(failure.err).toMatchObject({ stack: expect.stringContaining('\n    at ') })

		const after = await (await scrape(web.url)).text()
		expect(after).toContain('# TYPE kizuna_http_request_duration_seconds histogram')
		const grew = (name: string, labels: Record<string, string>) => total(after, name, labels) - total(before, name, labels)
		expect(grew('kizuna_http_request_duration_seconds_count', { route: 'api/v1/search', status_class: '2xx' })).toBe(2)
		expect(grew('kizuna_http_request_duration_seconds_count', { route: 'routes/$', status_class: '4xx' })).toBe(1)
		expect(grew('kizuna_http_request_duration_seconds_count', { route: 'routes/questions._index' })).toBe(1)
		expect(grew('kizuna_search_duration_seconds_count', {})).toBe(2)
		expect(grew('kizuna_search_cache_requests_total', {})).toBe(2)
		// Routes, never raw paths, so a series per question or typo cannot appear.
		expect(after).not.toContain(traceId)
		expect(total(after, 'kizuna_meilisearch_up')).toBe(1)
	} finally {
		await web.stop()
	}

	// The site's own server trusts no proxy: a client's X-Request-Id is replaced.
	const client = await fetch(`${baseURL}/`, { headers: { 'X-Request-Id': 'chosen-by-the-client' } })
	expect(client.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
})

test('a worker serves /metrics on its health port', async () => {
	test.setTimeout(120_000)
	const worker = await start('worker')
	try {
		expect((await fetch(`${worker.url}/metrics`)).status).toBe(404)
		expect((await fetch(`${worker.url}/questions`)).status).toBe(404)
		const first = await (await scrape(worker.url)).text()
		const second = await (await scrape(worker.url)).text()
		expect(total(second, 'kizuna_http_request_duration_seconds_count', { route: 'metrics' }) - total(first, 'kizuna_http_request_duration_seconds_count', { route: 'metrics' })).toBe(1)
		expect(second).toContain('# TYPE kizuna_jobs gauge')
		expect(second).toContain('# TYPE kizuna_jobs_total counter')
		expect(total(second, 'process_resident_memory_bytes')).toBeGreaterThan(0)
	} finally {
		await worker.stop()
	}
})

test('a second server on the same embedded data dir says so and exits, without a stack trace', async () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-ops-datadir-'))
	// This test's own process stands for the Kizuna that has the data dir open.
	fs.writeFileSync(path.join(dataDir, 'kizuna.pid'), String(process.pid))
	try {
		const refused = await startServer({ ...onThisWorker(dataDir), DATABASE_URL: undefined }, { quiet: true }).then(
			() => null,
			(error: Error) => error.message,
		)
		expect(refused).toContain('The server exited with 1')
		expect(refused).toContain(`Kizuna is already running on this data dir (pid ${process.pid})`)
		expect(refused).not.toMatch(/\n\s+at /)
	} finally {
		fs.rmSync(dataDir, { recursive: true, force: true })
	}
})

test('a server started on a port already in use says so and exits, without a stack trace', async () => {
	const taken = net.createServer()
	await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
	const port = (taken.address() as net.AddressInfo).port
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-ops-port-'))
	try {
		const refused = await startServer({ ...onThisWorker(dataDir), PORT: String(port) }, { quiet: true }).then(
			() => null,
			(error: Error) => error.message,
		)
		expect(refused).toContain('The server exited with 1')
		expect(refused).toContain(`Port ${port} is already in use: stop the program using it, or start Kizuna with another PORT`)
		expect(refused).not.toContain('setupListenHandle')
	} finally {
		taken.close()
		fs.rmSync(dataDir, { recursive: true, force: true })
	}
})

