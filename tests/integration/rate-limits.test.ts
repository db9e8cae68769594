import type { AddressInfo } from 'node:net'
import express from 'express'
import postgres from 'postgres'
import { RateLimiterRes } from 'rate-limiter-flexible'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createRateLimiter } from '../../app/auth/rate-limit.server'
import { addMeToo, createQuestion, vote } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { loadConfig, rateLimitDefaults } from '../../app/config.server'
import { recordFeedback } from '../../app/knowledge/feedback.server'
import { feedbackSchema } from '../../app/knowledge/validation'
import { action as feedbackApi } from '../../app/routes/api.v1.feedback'
import { action as signIn } from '../../app/routes/signin'
import { action as signUpForm } from '../../app/routes/signup'
import type { RequestContext } from '../../app/server/context'
import { errorHandler, refuseKnownOverLimit } from '../../app/server/guards'
import { closeSearchApiServers, searchApiServer } from '../support/search-api'
import { signUp } from '../../app/auth/users.server'
import { person } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'
import { siteSettingDefinitions, writeSetting } from '../../app/settings/settings.server'
import { db } from '../../db/client.server'

// The limits under test are the defaults, except search (300 a minute by default) kept small to stay quick.
vi.hoisted(() => {
	process.env.KIZUNA_RATE_LIMITS = 'search=5/1m'
})

const context = (clientIp: string, extra: Partial<RequestContext> = {}): RequestContext => ({
	actor: null,
	authVia: null,
	visitorId: crypto.randomUUID(),
	locale: 'en',
	secure: false,
	clientIp,
	cspNonce: '',
	...extra,
})

function signInAttempt(clientIp: string, email: string, password = 'wrong password') {
	const request = new Request('http://localhost/signin', { method: 'POST', body: new URLSearchParams({ email, password, redirectTo: '/' }) })
	return signIn({ request, context: context(clientIp), params: {} }) as Promise<Response>
}

/** The search API behind Express, as app/server/main.ts serves it, trusting the proxies given. */
async function searchServer(trustedProxies: string) {
	const config = loadConfig({ KIZUNA_TRUSTED_PROXIES: trustedProxies })
	const base = await searchApiServer((req) => context(req.ip ?? 'unknown'), config.KIZUNA_TRUSTED_PROXIES)
	return (forwardedFor: string) => fetch(`${base}/api/v1/search?q=invoice`, { headers: { 'X-Forwarded-For': forwardedFor } })
}

const servers: Array<ReturnType<ReturnType<typeof express>['listen']>> = []

describe('rate limits', () => {
	beforeEach(resetData)
	afterEach(async () => {
		await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
		await closeSearchApiServers()
	})

	it('does not let a client escape a limit by sending a new X-Forwarded-For each time', async () => {
		const search = await searchServer('')
		for (let n = 1; n <= 5; n++) expect((await search(`198.51.100.${n}`)).status).toBe(200)
		const refused = await search('198.51.100.99')
		expect(refused.status).toBe(429)
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
		expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60)
		expect(await refused.json()).toEqual({ error: expect.stringMatching(/^Too many searches from your network\. Try again in \d+ seconds?\.$|^Too many searches from your network\. Try again in 1 minute\.$/) })
	})

	it('believes the X-Forwarded-For of a trusted proxy, so clients behind it are counted apart', async () => {
		const search = await searchServer('10.0.0.0/8, 127.0.0.1/32')
		for (let n = 1; n <= 6; n++) expect((await search(`198.51.100.${n}`)).status).toBe(200)
		for (let n = 1; n <= 4; n++) expect((await search('198.51.100.1')).status).toBe(200)
		expect((await search('198.51.100.1')).status).toBe(429)
		expect((await search('198.51.100.2')).status).toBe(200)
	})

	it('refuses proxy settings that are not addresses, ranges or known names', () => {
		expect(() => loadConfig({ KIZUNA_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/KIZUNA_TRUSTED_PROXIES: "10.0.0.0\/33" is not an IP address/)
		expect(() => loadConfig({ KIZUNA_TRUSTED_PROXIES: 'true' })).toThrow(/KIZUNA_TRUSTED_PROXIES/)
		expect(loadConfig({ KIZUNA_TRUSTED_PROXIES: 'loopback, 2001:db8::/32' }).KIZUNA_TRUSTED_PROXIES).toEqual(['loopback', '2001:db8::/32'])
		expect(() => loadConfig({ KIZUNA_RATE_LIMITS: 'signIn=5/1m' })).toThrow(/KIZUNA_RATE_LIMITS: "signIn=5\/1m" is not/)
		expect(loadConfig({ KIZUNA_RATE_LIMITS: 'signInAccount=5/2h' }).KIZUNA_RATE_LIMITS).toMatchObject({ signInAccount: { points: 5, seconds: 7200 }, signUp: rateLimitDefaults.signUp })
	})

	it('shares one count between limiters of different processes through PostgreSQL', async () => {
		const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
		try {
			const rule = { points: 3, seconds: 60 }
			const here = createRateLimiter('signUp', rule)
			const there = createRateLimiter('signUp', rule, () => other)
			await here.consume('203.0.113.7')
			await there.consume('203.0.113.7')
			await here.consume('203.0.113.7')
			const refused = await there.consume('203.0.113.7').catch((error: unknown) => error)
			expect(refused).toBeInstanceOf(RateLimiterRes)
			expect(await here.consume('203.0.113.8')).toMatchObject({ remainingPoints: 2 })
		} finally {
			await other.end()
		}
	})

	it('refuses a client already over its limit without asking PostgreSQL again, until its window ends', async () => {
		let queries = 0
		const counted = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
		try {
			const limiter = createRateLimiter('signUp', { points: 2, seconds: 60 }, () => {
				queries++
				return counted
			})
			await limiter.consume('203.0.113.9')
			await limiter.consume('203.0.113.9')
			const asked = queries
			for (let n = 0; n < 5; n++) {
				const refused = await limiter.consume('203.0.113.9').catch((error: unknown) => error)
				expect(refused).toBeInstanceOf(RateLimiterRes)
				expect((refused as RateLimiterRes).msBeforeNext).toBeGreaterThan(0)
				expect((refused as RateLimiterRes).msBeforeNext).toBeLessThanOrEqual(60_000)
			}
			expect(queries).toBe(asked)
			expect(await limiter.consume('203.0.113.10')).toMatchObject({ remainingPoints: 1 })
			expect(queries).toBeGreaterThan(asked)
		} finally {
			await counted.end()
		}
	})

	it('refuses password spraying across many emails from one address, with the reason on the form', async () => {
		await signUp({ email: 'target@example.test', password: 'right password', displayName: 'Target' })
		const { points } = rateLimitDefaults.signInAddress
		for (let n = 0; n < points; n++) expect((await signInAttempt('203.0.113.5', `someone-${n}@example.test`)).status).toBe(400)
		const refused = await signInAttempt('203.0.113.5', 'target@example.test', 'right password')
		expect(refused.status).toBe(429)
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60)
		const { result } = await refused.json()
		expect(result.error['']).toEqual([expect.stringMatching(/^Too many sign-in attempts from your network\. Try again in 15 minutes\.$/)])
		// The form gets the email back to show, never the password.
		expect(result.initialValue).toMatchObject({ email: 'target@example.test' })
		expect(result.initialValue).not.toHaveProperty('password')
		// Another address (another person) is not locked out.
		expect((await signInAttempt('203.0.113.6', 'target@example.test', 'right password')).status).toBe(302)
	})

	it('answers a sprayer this process already refuses before the sign-in page runs again, a moment later', async () => {
		const routeRan: string[] = []
		const app = express()
		app.use((req, res, next) => {
			res.locals.context = context(String(req.headers['x-client']))
			next()
		})
		app.post('/signin', refuseKnownOverLimit('signInAddress', (c) => c.clientIp, 300), (req, res) => {
			routeRan.push(String(req.headers['x-client']))
			res.status(400).json({ ok: false })
		})
		app.use(errorHandler)
		const server = app.listen(0, '127.0.0.1')
		await new Promise((resolve) => server.once('listening', resolve))
		servers.push(server)
		const post = (client: string) => fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/signin`, { method: 'POST', headers: { 'X-Client': client } })

		expect((await post('203.0.113.7')).status).toBe(400)
		for (let n = 0; n <= rateLimitDefaults.signInAddress.points; n++) await signInAttempt('203.0.113.7', `someone-${n}@example.test`)
		const sent = performance.now()
		const refused = await post('203.0.113.7')
		expect(refused.status).toBe(429)
		// Held back, so a client that keeps sending cannot keep the server busy.
		expect(performance.now() - sent).toBeGreaterThanOrEqual(290)
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60)
		expect(await refused.text()).toContain('Too many sign-in attempts from your network.')
		expect((await post('203.0.113.8')).status).toBe(400)
		expect(routeRan).toEqual(['203.0.113.7', '203.0.113.8'])
	})

	it('limits guessing one account from many addresses', async () => {
		const { points } = rateLimitDefaults.signInAccount
		for (let n = 0; n < points; n++) expect((await signInAttempt(`198.51.100.${n + 1}`, 'Victim@example.test')).status).toBe(400)
		const refused = await signInAttempt('198.51.100.200', 'victim@example.test')
		expect(refused.status).toBe(429)
		expect((await refused.json()).result.error['']).toEqual([expect.stringMatching(/^Too many sign-in attempts for this account\./)])
	})

	it('limits votes from a client that sends no cookie, per address, with a JSON reason', async () => {
		const { id } = await createQuestion(await person(), questionSchema.parse({ title: 'Slack channel gets no notifications', body: 'Nothing arrives since Monday.' }))
		const input = feedbackSchema.parse({ targetType: 'question', targetId: id, helpful: true })
		// Without a cookie, every request gets a new visitor id (app/server/main.ts).
		for (let n = 0; n < rateLimitDefaults.feedbackAddress.points; n++) await recordFeedback(context('203.0.113.20'), input)
		const request = new Request('http://localhost/api/v1/feedback', {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ targetType: 'question', targetId: id, helpful: true }),
		})
		const refused = (await feedbackApi({ request, context: context('203.0.113.20'), params: {} })) as Response
		expect(refused.status).toBe(429)
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
		expect(await refused.json()).toEqual({ error: expect.stringMatching(/^Too many votes from your network in a short time\. Try again in \d+ minutes?\.$/) })
		// A signed-in person on the same network is counted as themselves.
		await recordFeedback(context('203.0.113.20', { actor: await person() }), input)
	})

	it('limits votes and "me too" per person', async () => {
		const [asker, voter] = [await person(), await person()]
		const { id } = await createQuestion(asker, questionSchema.parse({ title: 'Slack channel gets no notifications', body: 'Nothing arrives since Monday.' }))
		for (let n = 0; n < rateLimitDefaults.vote.points - 1; n++) await vote(voter, 'question', id, n % 2 === 0 ? 'up' : 'none')
		await addMeToo(voter, id)
		expect(await refusal(vote(voter, 'question', id, 'up'))).toMatchObject({ status: 429, message: expect.stringMatching(/^Too many votes in a short time\./) })
		await vote(await person(), 'question', id, 'up')
	})

	it('limits sign-ups from one address', async () => {
		const attempt = (n: number, clientIp: string) => {
			const body = new URLSearchParams({ displayName: `Person ${n}`, email: `person-${n}@example.test`, password: 'correct horse battery' })
			return signUpForm({ request: new Request('http://localhost/signup', { method: 'POST', body }), context: context(clientIp), params: {} }) as Promise<Response>
		}
		for (let n = 0; n < rateLimitDefaults.signUp.points; n++) expect((await attempt(n, '203.0.113.30')).status).toBe(302)
		const refused = await attempt(-1, '203.0.113.30')
		expect(refused.status).toBe(429)
		expect((await refused.json()).result.error['']).toEqual([expect.stringMatching(/^Too many accounts created from your network\. Try again in 60 minutes\.$/)])
		expect((await attempt(-2, '203.0.113.31')).status).toBe(302)
	})

	it('limits how much one person posts', async () => {
		// The trust levels' hourly limits (tests/integration/moderation-holds.test.ts) would refuse first.
		await writeSetting(db, 'moderation', { ...siteSettingDefinitions.moderation.defaults, postsPerHour: { new: 1000, basic: 1000, trusted: 1000 } })
		const author = await person()
		const ask = (n: number) => createQuestion(author, questionSchema.parse({ title: `Question number ${n} about exports`, body: 'Details of the problem.' }))
		for (let n = 0; n < rateLimitDefaults.post.points; n++) await ask(n)
		const refused = await refusal(ask(-1))
		expect(refused).toMatchObject({ status: 429, message: expect.stringMatching(/^You have posted a lot in a short time\./) })
		expect(refused.retryAfter).toBeGreaterThan(0)
		await createQuestion(await person(), questionSchema.parse({ title: 'Someone else can still ask', body: 'Details of the problem.' }))
	})
})
