import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { and, eq, sql } from 'drizzle-orm'
import express from 'express'
import postgres from 'postgres'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resolveActor } from '../../app/auth/session.server'
import { createAnswer, updateQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { moderatePost } from '../../app/moderation/moderation.server'
import { loader as threadLoader } from '../../app/routes/questions.$id.($slug)'
import type { RequestContext } from '../../app/server/context'
import { securityHeaders } from '../../app/server/guards'
import { pageCache } from '../../app/server/page-cache'
import { pageCacheRequests } from '../../app/utils/metrics.server'
import { announceChange, changeVersion } from '../../db/changes.server'
import { db } from '../../db/client.server'
import { events, questions } from '../../db/schema'
import { person, question, sessionCookie } from '../support/factories'
import { resetData } from '../support/reset'

/**
 * The page cache as app/server/main.ts mounts it: the real security headers (a nonce per
 * response), the session read from the cookie, the thread page's real loader (views,
 * visibility, events) rendered into a small page with an inline script carrying the
 * nonce, as Remix renders its scripts. The full Remix page is covered by
 * tests/e2e/page-cache.spec.ts.
 */
const THREAD = /^\/questions\/(\d+)\/([^/]+)$/
const servers: Array<ReturnType<ReturnType<typeof express>['listen']>> = []

async function pageServer(): Promise<string> {
	const app = express()
	app.use(securityHeaders({ https: false, dev: false }))
	app.use(async (req, res, next) => {
		const cookies = Object.fromEntries((req.headers.cookie ?? '').split(/;\s*/).filter(Boolean).map((pair) => pair.split('=') as [string, string]))
		const session = await resolveActor({ authorization: req.headers.authorization, cookie: req.headers.cookie }, false)
		const context: RequestContext = { actor: session.actor, authVia: session.via, visitorId: cookies.kz_vid ?? crypto.randomUUID(), locale: 'en', secure: false, clientIp: '127.0.0.1', cspNonce: res.locals.cspNonce as string }
		res.locals.context = context
		next()
	})
	const routeOf = (pathname: string) => ({ route: THREAD.test(pathname) ? 'routes/questions.$id.($slug)' : 'routes/$', path: pathname })
	const render = async (req: express.Request, res: express.Response) => {
		const [, id, slug] = THREAD.exec(req.path) ?? []
		const context = res.locals.context as RequestContext
		try {
			const data = await threadLoader({ request: new Request(`http://127.0.0.1${req.originalUrl}`), params: { id, slug }, context })
			const { question: thread, signedIn } = data as Exclude<Awaited<ReturnType<typeof threadLoader>>, Response>
			const body = `<!DOCTYPE html><html><head><title>${thread.title}</title></head><body><h1>${thread.title}</h1>${thread.bodyHtml}${thread.answers.map((answer) => `<p class="answer">${answer.bodyHtml}</p>`).join('')}<p>${signedIn ? 'signed in' : 'visitor'}</p><script nonce="${context.cspNonce}">window.ready = true</script></body></html>`
			return new Response(body, { headers: { 'Content-Type': 'text/html; charset=utf-8' } })
		} catch (error) {
			if (error instanceof Response) return error
			throw error
		}
	}
	const send = async (_req: express.Request, res: express.Response, response: Response) => {
		res.status(response.status).type('html').send(await response.text())
	}
	app.use(pageCache({ ttlSeconds: 30, routeOf, render, send }))
	app.get('*', async (req, res) => send(req, res, await render(req, res)))
	const server = app.listen(0, '127.0.0.1')
	await new Promise((resolve) => server.once('listening', resolve))
	servers.push(server)
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

type Page = { status: number; cache: string | null; policy: string; nonce: string | null; body: string }

/** A GET for the site's address (one Host, whichever process the connection reaches, as behind a load balancer). */
async function get(url: string, cookie?: string): Promise<Page> {
	return new Promise((resolve, reject) => {
		const request = http.get(url, { headers: { host: 'community.test', ...(cookie ? { cookie } : {}) } }, (response) => {
			let body = ''
			response.setEncoding('utf8')
			response.on('data', (chunk: string) => (body += chunk))
			response.on('end', () => {
				const policy = String(response.headers['content-security-policy'] ?? '')
				const cache = response.headers['x-page-cache']
				resolve({ status: response.statusCode ?? 0, cache: typeof cache === 'string' ? cache : null, policy, nonce: /'nonce-([^']+)'/.exec(policy)?.[1] ?? null, body })
			})
		})
		request.on('error', reject)
	})
}

const scriptHash = `'sha256-${crypto.createHash('sha256').update('window.ready = true').digest('base64')}'`
/** The page cache's counter in /metrics, by result. */
async function counted() {
	const values = (await pageCacheRequests.get()).values
	const of = (result: string) => values.find((value) => value.labels.result === result)?.value ?? 0
	return { miss: of('miss'), memory: of('memory'), shared: of('shared') }
}

const visitor = () => `kz_vid=${crypto.randomUUID()}`

async function thread() {
	const asker = await person('member', 'Asker')
	const posted = await question(asker, { title: 'How do I export a board to CSV?', body: 'I need the cards in a spreadsheet.' })
	await notified()
	return { asker, id: posted.id, path: posted.url }
}

/**
 * Waits until this process has heard every change announced so far: notifications
 * arrive in commit order, so once a marker sent now is the version, the earlier ones
 * (the test's own writes, whose notifications move the version again) are in.
 */
async function notified() {
	const marker = crypto.randomUUID()
	await db.execute(sql`select pg_notify('kizuna_changes', ${`pages:${marker}`})`)
	await eventually(async () => changeVersion('pages') === marker)
}

/** Polls (no sleeping test): another process's change arrives by notification. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000) {
	const deadline = Date.now() + timeoutMs
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error('Not within the deadline')
		await new Promise((resolve) => setTimeout(resolve, 20))
	}
}

describe('anonymous page cache', () => {
	beforeEach(resetData)
	afterEach(async () => {
		await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
	})

	it('serves the second anonymous request of a page from the cache, its scripts allowed by their hashes and no nonce handed on', async () => {
		const { path } = await thread()
		const base = await pageServer()
		const before = await counted()
		const first = await get(base + path, visitor())
		const second = await get(base + path, visitor())
		expect([first.status, first.cache, second.status, second.cache]).toEqual([200, 'miss', 200, 'memory'])
		expect(second.body).toContain('How do I export a board to CSV?')
		// The page as rendered: its scripts carry the nonce of its own policy.
		expect(first.body.match(/nonce="([^"]+)"/g)).toEqual([`nonce="${first.nonce}"`])
		// From the cache: no nonce anywhere, the inline script's hash in script-src.
		expect([second.nonce, second.body.includes('nonce='), second.body.includes(first.nonce!)]).toEqual([null, false, false])
		expect(second.policy).toContain(`script-src 'self' ${scriptHash}`)
		const after = await counted()
		expect([after.miss - before.miss, after.memory - before.memory]).toEqual([1, 1])
	})

	it('shares pages between processes through PostgreSQL', async () => {
		const { path } = await thread()
		const [one, two] = [await pageServer(), await pageServer()]
		expect((await get(one + path, visitor())).cache).toBe('miss')
		const other = await get(two + path, visitor())
		expect([other.cache, other.policy.includes(scriptHash)]).toEqual(['shared', true])
	})

	it('never serves the cached page to someone signed in', async () => {
		const { path } = await thread()
		const base = await pageServer()
		await get(base + path, visitor())
		const member = await person('member', 'Reader')
		const signedIn = await get(base + path, `kz_session=${encodeURIComponent(await sessionCookie(member))}`)
		expect([signedIn.status, signedIn.cache]).toEqual([200, null])
		expect(signedIn.body).toContain('signed in')
		expect((await get(base + path, visitor())).body).toContain('visitor')
	})

	it('records the view of every visitor it serves, as the page does', async () => {
		const { id, path } = await thread()
		const base = await pageServer()
		const [first, second] = [crypto.randomUUID(), crypto.randomUUID()]
		expect((await get(base + path, `kz_vid=${first}`)).cache).toBe('miss')
		expect((await get(base + path, `kz_vid=${second}`)).cache).toBe('memory')
		const views = await db
			.select({ actorKey: events.actorKey })
			.from(events)
			.where(and(eq(events.type, 'content_view'), eq(events.targetType, 'question'), eq(events.targetId, id)))
		expect(views.map((view) => view.actorKey).sort()).toEqual([`visitor:${first}`, `visitor:${second}`].sort())
		const [row] = await db.select({ viewCount: questions.viewCount }).from(questions).where(eq(questions.id, id))
		expect(row!.viewCount).toBe(2)
	})

	it('shows an answer, an edit and a hidden answer at once to the next anonymous reader', async () => {
		const { asker, id, path } = await thread()
		const base = await pageServer()
		await get(base + path, visitor())
		const answerer = await person('member', 'Answerer')
		await createAnswer(answerer, id, 'Board menu → Export → CSV.')
		const answered = await get(base + path, visitor())
		expect([answered.cache, answered.body.includes('Board menu → Export → CSV.')]).toEqual(['miss', true])

		await updateQuestion(asker, id, questionSchema.parse({ title: 'How do I export a board to CSV?', body: 'I need the cards and their due dates in a spreadsheet.' }))
		expect((await get(base + path, visitor())).body).toContain('I need the cards and their due dates in a spreadsheet.')

		const cs = await person('cs', 'Moderator')
		const [answer] = await db.execute<{ id: number }>(`select id from answers where question_id = ${id}`)
		await get(base + path, visitor())
		await moderatePost(cs, { type: 'answer', id: answer!.id }, 'hide', 'Spam')
		const hidden = await get(base + path, visitor())
		expect([hidden.cache, hidden.body.includes('Board menu → Export → CSV.')]).toEqual(['miss', false])
	})

	it('never serves a hidden question from the cache', async () => {
		const { id, path } = await thread()
		const base = await pageServer()
		await get(base + path, visitor())
		expect((await get(base + path, visitor())).cache).toBe('memory')
		await moderatePost(await person('cs', 'Moderator'), { type: 'question', id }, 'hide', 'Private data')
		const after = await get(base + path, visitor())
		expect(after.status).toBe(404)
		expect(after.body).not.toContain('How do I export a board to CSV?')
		expect((await get(base + path, visitor())).status).toBe(404)
	})

	it('listens again after losing its connection, trusting nothing cached meanwhile', async () => {
		const { path } = await thread()
		const base = await pageServer()
		await get(base + path, visitor())
		await db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'kizuna-changes' and datname = current_database()`)
		// Until it listens again (within a second) it cannot know what changed: every read is a new version.
		await eventually(async () => changeVersion('pages') !== changeVersion('pages'))
		expect((await get(base + path, visitor())).cache).toBe('miss')
		// Listening again: versions hold still, and a change announced now arrives.
		await eventually(async () => changeVersion('pages') === changeVersion('pages'))
		await notified()
		await get(base + path, visitor())
		expect((await get(base + path, visitor())).cache).toBe('memory')
	})

	it('sends every change announced outside a transaction, not only the first', async () => {
		const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
		try {
			const heard: string[] = []
			await other.listen('kizuna_changes', (payload) => heard.push(payload))
			await announceChange(db, 'pages')
			await announceChange(db, 'pages')
			await eventually(async () => heard.length === 2)
		} finally {
			await other.end()
		}
	})

	it('shows a change made by another process once its notification arrives', async () => {
		const { id, path } = await thread()
		const base = await pageServer()
		await get(base + path, visitor())
		expect((await get(base + path, visitor())).cache).toBe('memory')
		// Another process: its own connection, its own transaction, announcing as announceChange does there.
		const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
		try {
			await other.begin(async (tx) => {
				await tx`update questions set title = 'Exporting a board (changed elsewhere)' where id = ${id}`
				await tx`select pg_notify('kizuna_changes', ${`pages:${crypto.randomUUID()}`})`
			})
		} finally {
			await other.end()
		}
		await eventually(async () => (await get(base + path, visitor())).body.includes('Exporting a board (changed elsewhere)'))
	})
})
