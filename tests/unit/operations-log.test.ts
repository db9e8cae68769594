import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { metricsEndpoint, scrapeAllowed } from '../../app/server/metrics'
import { observeRequests, remixRouteLabeller, unroutedPath, type RouteOf } from '../../app/server/request-log'
import { inLogScope, log, logTo, requestIdFor } from '../../app/utils/log.server'
import { DomainError } from '../../app/utils/errors.server'
import { failureOf } from '../../app/utils/http.server'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** The JSON lines logged while `run` runs. */
async function linesOf(run: () => unknown | Promise<unknown>): Promise<Array<Record<string, unknown>>> {
	const lines: string[] = []
	logTo({ write: (line: string) => void lines.push(line) })
	try {
		await run()
	} finally {
		logTo(1)
	}
	return lines.map((line) => JSON.parse(line) as Record<string, unknown>)
}

describe('JSON logs', () => {
	afterEach(() => logTo(1))

	it('puts the request id on every line written in its scope, awaited work included', async () => {
		const lines = await linesOf(() =>
			inLogScope({ requestId: 'req-1' }, async () => {
				log.info('first')
				await new Promise((resolve) => setImmediate(resolve))
				log.warn({ queue: 'mail' }, 'second')
			}),
		)
		expect(lines).toEqual([expect.objectContaining({ level: 'info', msg: 'first', requestId: 'req-1' }), expect.objectContaining({ level: 'warn', msg: 'second', requestId: 'req-1', queue: 'mail' })])
		expect(lines[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT/)
		const outside = await linesOf(() => log.info('outside'))
		expect(outside[0]).not.toHaveProperty('requestId')
	})

	it('logs a failure with its stack, and a refusal not at all', async () => {
		const lines = await linesOf(() => {
			expect(failureOf(new DomainError('not_found', 'Question not found')).status).toBe(404)
			expect(failureOf(new Error('boom')).status).toBe(500)
		})
		expect(lines).toHaveLength(1)
		expect(lines[0]).toMatchObject({ level: 'error', msg: 'Request failed', err: { type: 'Error', message: 'boom', stack: expect.stringContaining('operations-log.test.ts') } })
	})

	it('keeps an X-Request-Id only from a trusted proxy and only when well formed', () => {
		expect(requestIdFor('lb-7f3a9c', true)).toBe('lb-7f3a9c')
		expect(requestIdFor('Root=1-67891233-abcdef012345678912345678', true)).toBe('Root=1-67891233-abcdef012345678912345678')
		expect(requestIdFor('lb-7f3a9c', false)).toMatch(UUID)
		for (const bad of ['', 'has space', 'quote"', 'x'.repeat(129), 'line\nbreak']) expect(requestIdFor(bad, true)).toMatch(UUID)
		expect(requestIdFor(undefined, true)).toMatch(UUID)
	})
})

describe('who may scrape /metrics', () => {
	const direct = { authorization: undefined, proxied: false }
	it('without a token: this machine, connected directly', () => {
		expect(scrapeAllowed({ ...direct, token: undefined, remoteAddress: '127.0.0.1' })).toBe(true)
		expect(scrapeAllowed({ ...direct, token: undefined, remoteAddress: '::1' })).toBe(true)
		expect(scrapeAllowed({ ...direct, token: undefined, remoteAddress: '::ffff:127.0.0.1' })).toBe(true)
		expect(scrapeAllowed({ ...direct, token: undefined, remoteAddress: '10.0.0.8' })).toBe(false)
		// A proxy on this machine forwards everyone's requests from loopback.
		expect(scrapeAllowed({ token: undefined, authorization: undefined, remoteAddress: '127.0.0.1', proxied: true })).toBe(false)
	})
	/** GET /metrics from this machine without a token, served as app/server/main.ts does, with these trusted proxies. */
	async function scrapeStatus(trustedProxies: string[], headers: Record<string, string> = {}) {
		const app = express()
		app.set('trust proxy', trustedProxies)
		app.get('/metrics', metricsEndpoint(undefined))
		app.use((_req, res) => void res.status(404).send('Not found'))
		const server = app.listen(0, '127.0.0.1')
		await new Promise((resolve) => server.once('listening', resolve))
		try {
			const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, { headers })
			await response.text()
			return response.status
		} finally {
			server.close()
		}
	}
	it('without a token: refuses a request through a proxy on this machine, whichever headers it sends', async () => {
		expect(await scrapeStatus([])).toBe(200)
		// nginx's plain proxy_pass: no X-Forwarded-For, but the address it was configured to pass, or a Via.
		expect(await scrapeStatus([], { 'X-Real-IP': '203.0.113.7' })).toBe(404)
		expect(await scrapeStatus([], { Via: '1.1 edge' })).toBe(404)
		expect(await scrapeStatus([], { 'X-Forwarded-For': '203.0.113.7' })).toBe(404)
		expect(await scrapeStatus([], { Forwarded: 'for=203.0.113.7' })).toBe(404)
		// A proxy named in KIZUNA_TRUSTED_PROXIES that sends no header at all.
		expect(await scrapeStatus(['loopback'])).toBe(404)
	})
	it('with a token: whoever sends it as a Bearer token, and nobody else, not even this machine', () => {
		const token = 'scrape-token-0123456789'
		expect(scrapeAllowed({ token, authorization: `Bearer ${token}`, remoteAddress: '203.0.113.5', proxied: true })).toBe(true)
		expect(scrapeAllowed({ token, authorization: `Bearer ${token}x`, remoteAddress: '203.0.113.5', proxied: false })).toBe(false)
		expect(scrapeAllowed({ token, authorization: token, remoteAddress: '127.0.0.1', proxied: false })).toBe(false)
		expect(scrapeAllowed({ token, authorization: undefined, remoteAddress: '127.0.0.1', proxied: false })).toBe(false)
	})
})

describe('route labels and logged paths', () => {
	const route = (id: string, parentId: string | undefined, path: string | undefined, index = false) => ({ id, parentId, path, index, caseSensitive: undefined, module: {} })
	const build = {
		routes: {
			root: route('root', undefined, ''),
			'routes/_index': route('routes/_index', 'root', undefined, true),
			'routes/questions.$id.$slug': route('routes/questions.$id.$slug', 'root', 'questions/:id/:slug'),
			'routes/reset-password.$token': route('routes/reset-password.$token', 'root', 'reset-password/:token'),
			'routes/$': route('routes/$', 'root', '*'),
		},
	} as unknown as Parameters<typeof remixRouteLabeller>[0]
	it('names the route, never the path, for pages and their data requests', () => {
		const label = (pathname: string) => remixRouteLabeller(build)(pathname).route
		expect(label('/')).toBe('routes/_index')
		expect(label('/_root.data')).toBe('routes/_index')
		expect(label('/questions/12/export-a-board')).toBe('routes/questions.$id.$slug')
		expect(label('/questions/13/another-one.data')).toBe('routes/questions.$id.$slug')
		expect(label('/no/such/page')).toBe('routes/$')
	})

	/** The request lines logged for these requests, served behind observeRequests as app/server/main.ts does. */
	async function requestLines(routeOf: RouteOf, requests: Array<[method: string, path: string]>) {
		const app = express()
		app.use(observeRequests(routeOf))
		// Refused before routing, as a rate limit is.
		app.post('/reset-password/:token', (_req, res) => void res.status(429).json({ error: 'Too many attempts' }))
		app.all('*', (req, res) => {
			res.locals.route = routeOf(req.path).route
			res.send('page')
		})
		const server = app.listen(0, '127.0.0.1')
		await new Promise((resolve) => server.once('listening', resolve))
		const { port } = server.address() as AddressInfo
		const written: string[] = []
		logTo({ write: (line: string) => void written.push(line) })
		try {
			for (const [method, path] of requests) await (await fetch(`http://127.0.0.1:${port}${path}`, { method })).text()
			// A line is written when its response closes, just after the client has it.
			for (let wait = 0; wait < 100 && written.length < requests.length; wait++) await new Promise((resolve) => setTimeout(resolve, 10))
		} finally {
			logTo(1)
			server.close()
		}
		return written.map((line) => JSON.parse(line) as Record<string, unknown>)
	}

	it('logs a reset-password request without its token, routed or refused before routing', async () => {
		const token = 'Xk9_live-reset-token-3f2a'
		const lines = await requestLines(remixRouteLabeller(build), [
			['GET', `/reset-password/${token}`],
			['GET', `/reset-password/${token}.data?_data=x`],
			['POST', `/reset-password/${token}`],
			['GET', '/questions/12/export-a-board'],
		])
		expect(JSON.stringify(lines)).not.toContain(token)
		expect(lines.map((line) => [line.path, line.route, line.status])).toEqual([
			['/reset-password/[redacted]', 'routes/reset-password.$token', 200],
			['/reset-password/[redacted].data', 'routes/reset-password.$token', 200],
			['/reset-password/[redacted]', 'none', 429],
			['/questions/12/export-a-board', 'routes/questions.$id.$slug', 200],
		])
	})

	it('without the route table, logs a path only up to its first segment', async () => {
		const lines = await requestLines(unroutedPath, [['GET', '/reset-password/Xk9_live-reset-token-3f2a'], ['GET', '/healthz']])
		expect(lines.map((line) => line.path)).toEqual(['/reset-password/[redacted]', '/healthz'])
	})
})
