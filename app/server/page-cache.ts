import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { sql } from 'drizzle-orm'
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from 'express'
import { isbot } from 'isbot'
import { changeVersion } from '#db/changes.server'
import { db } from '#db/client.server'
import { recordQuestionView } from '~/community/questions.server'
import { recordContentView } from '~/insights/events.server'
import { recordFaqView } from '~/knowledge/faqs.server'
import { log } from '~/utils/log.server'
import { pageCacheRequests } from '~/utils/metrics.server'
import { collectingViews, type RecordedView } from '~/utils/recorded-views.server'
import type { RequestContext } from './context'
import type { RouteOf } from './request-log'

/**
 * The anonymous page cache (as Discourse's): a page rendered for one visitor without a
 * session is served to the next ones for up to `ttlSeconds`, from this process's
 * memory or from the `page_cache` table every web process shares (UNLOGGED, migration
 * 0019). Measured with `npm run bench:pages`: a rendered page cost 7–24 ms of server
 * CPU, one from the cache 0.4–1.5 ms, most of it recording its views (README, "Page cache").
 *
 * - **What.** GET and HEAD of the public pages below, by visitors with neither a session
 *   cookie nor an Authorization header, whose HTML is the same for every visitor
 *   (checked loader by loader: the onboarding checklist, tutorial progress, votes and
 *   follows depend on a person, and visitors have none; "Did this solve your problem?"
 *   reads the visitor's own vote in the browser). Only a 200 without Set-Cookie and
 *   without `noindex` (a draft, a hidden post) is kept.
 * - **Key.** The address the request came to (links are absolute from it when
 *   KIZUNA_PUBLIC_URL is unset), the language the request resolved to, whether it is
 *   a crawler (React waits for the whole page then), and path and query. A query
 *   parameter the pages do not read (a search id, anything made up) is not cached, and
 *   the ones they read must look like theirs, so made-up addresses cannot fill the table.
 * - **Changes.** Every entry carries the `pages` version of the change signal
 *   (db/changes.server.ts) read when its render started, and is served only while
 *   the version is the same: a render that raced a change is never served. The TTL
 *   bounds what is not announced as a change: view counts and "3 minutes ago".
 * - **Scripts.** A rendered page allows its inline scripts by the response's nonce. A
 *   cached page is served with the SHA-256 hashes of its inline scripts in
 *   `script-src` instead of a nonce, and without the nonce it was rendered with (a
 *   nonce handed to every reader would be no secret). Why not a fresh nonce put into
 *   the body on each hit: the body would differ per response, so every hit to a browser
 *   would be compressed again, and gzip of a 60 KB page measured 6 ms of CPU on this
 *   machine under load (replacing the nonce 0.2 ms), more than the rest of a hit; with
 *   hashes the body never changes, and is compressed once per process and entry.
 * - **Events.** The views a page's loaders recorded (recorded-views.server.ts) are kept
 *   with the entry and recorded again, through the same functions, for each visitor
 *   it is served to: view counts and insights count cached pages as rendered ones.
 */

const cacheableRoutes = new Set([
	'routes/_index',
	'routes/questions._index',
	'routes/questions.$id.($slug)',
	'routes/faq._index',
	'routes/faq.c.$slug',
	'routes/faq.$id.($slug)',
	'routes/tutorials._index',
	'routes/tutorials.$id.($slug)',
	'routes/tags._index',
])

/** The query parameters those pages read, and what a real value looks like. */
const queryParameters: Record<string, RegExp> = {
	lang: /^(en|ja|all)$/,
	page: /^[1-9][0-9]{0,3}$/,
	sort: /^[a-z]{1,20}$/,
	tag: /^.{1,50}$/u,
	from: /^ask$/,
}

const MAX_URL = 300
const MEMORY_ENTRIES = 500
const MEMORY_BYTES = 64 * 1024 * 1024

type Entry = {
	version: string
	headers: Array<[string, string]>
	/** The `script-src` sources allowing its inline scripts: their hashes. */
	scripts: string
	views: RecordedView[]
	body: string
	/** The body gzipped, made by the first hit that accepts it. */
	gzipped?: Buffer
	expiresAt: number
}

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/g

/**
 * The page without its nonce and the hashes of its inline scripts, or null when a
 * hash could not be trusted to match: browsers hash the script text after turning CR
 * LF into LF, and the nonce must not be left anywhere in the page.
 */
function withoutNonce(body: string, nonce: string): { body: string; scripts: string } | null {
	const stripped = body.replaceAll(` nonce="${nonce}"`, '')
	if (stripped.includes(nonce)) return null
	const hashes = new Set<string>()
	for (const [, attributes, text] of stripped.matchAll(INLINE_SCRIPT)) {
		if (/\ssrc=/.test(attributes!)) continue
		if (text!.includes('\r')) return null
		hashes.add(`'sha256-${createHash('sha256').update(text!, 'utf8').digest('base64')}'`)
	}
	return { body: stripped, scripts: [...hashes].join(' ') }
}

export type PageCacheOptions = {
	ttlSeconds: number
	routeOf: RouteOf
	/** Renders the request with Remix. */
	render: (req: ExpressRequest, res: ExpressResponse) => Promise<Response>
	/** Sends a response that is not cached as main.ts sends every page. */
	send: (req: ExpressRequest, res: ExpressResponse, response: Response) => Promise<void>
}

function acceptableQuery(search: URLSearchParams): boolean {
	for (const [name, value] of search) {
		const shape = queryParameters[name]
		if (!shape || !shape.test(value)) return false
	}
	return true
}

/** The cache key of a request the cache may answer, else null. */
function cacheKey(req: ExpressRequest, res: ExpressResponse, routeOf: RouteOf): string | null {
	if (req.method !== 'GET' && req.method !== 'HEAD') return null
	if (req.originalUrl.length > MAX_URL || req.path.endsWith('.data')) return null
	const context = res.locals.context as RequestContext | undefined
	if (!context || context.actor || context.authVia || context.suspended) return null
	if (req.headers.authorization !== undefined || /(?:^|;\s*)kz_session=/.test(req.headers.cookie ?? '')) return null
	if (!cacheableRoutes.has(routeOf(req.path).route)) return null
	const query = req.originalUrl.indexOf('?')
	if (query !== -1 && !acceptableQuery(new URLSearchParams(req.originalUrl.slice(query + 1)))) return null
	const host = `${req.protocol}://${req.get('x-forwarded-host') ?? ''}|${req.get('host') ?? ''}`
	if (host.length > 300) return null
	return `${host}|${context.locale}|${isbot(req.get('user-agent') ?? '') ? 'bot' : ''}|${req.originalUrl}`
}

export function pageCache(options: PageCacheOptions): RequestHandler {
	const memory = new Map<string, Entry>()
	let memoryBytes = 0
	const rendering = new Map<string, Promise<Entry | null>>()

	const forget = (key: string) => {
		const entry = memory.get(key)
		if (!entry) return
		memory.delete(key)
		memoryBytes -= entry.body.length
	}
	const remember = (key: string, entry: Entry) => {
		forget(key)
		memory.set(key, entry)
		memoryBytes += entry.body.length
		// Oldest first: a Map iterates in the order entries were (re)stored.
		for (const oldest of memory.keys()) {
			if (memory.size <= MEMORY_ENTRIES && memoryBytes <= MEMORY_BYTES) break
			forget(oldest)
		}
	}

	async function shared(key: string, version: string): Promise<Entry | null> {
		const rows = await db.execute<{ version: string; entry: Omit<Entry, 'version' | 'body' | 'expiresAt'>; body: string; msLeft: number }>(
			sql`select version, entry, body, extract(epoch from expires_at - now()) * 1000 as "msLeft" from page_cache where key = ${key} and expires_at > now()`,
		)
		const row = rows[0]
		if (!row || row.version !== version) return null
		return { ...row.entry, version, body: row.body, expiresAt: Date.now() + Number(row.msLeft) }
	}

	/** Kept before the page is sent: once a reader has it, every process serves it. */
	async function store(key: string, entry: Entry) {
		remember(key, entry)
		const { version, body, expiresAt: _, gzipped: __, ...rest } = entry
		await db
			.execute(
				sql`insert into page_cache (key, version, entry, body, expires_at) values (${key}, ${version}, ${JSON.stringify(rest)}::jsonb, ${body}, now() + ${options.ttlSeconds} * interval '1 second')
				on conflict (key) do update set version = excluded.version, entry = excluded.entry, body = excluded.body, expires_at = excluded.expires_at`,
			)
			// The database's own reason: the query's message carries its parameters, the whole page among them.
			.catch((error: Error) => log.warn({ reason: ((error.cause as Error | undefined) ?? error).message }, 'Page cache: could not share a page'))
	}

	/** Renders the page; returns its entry when it may be cached (and sends it), else sends what Remix answered and returns null. */
	async function renderAndSend(req: ExpressRequest, res: ExpressResponse, key: string, version: string): Promise<Entry | null> {
		const context = res.locals.context as RequestContext
		const { result: response, views } = await collectingViews(() => options.render(req, res))
		const cacheable =
			response.status === 200 &&
			!context.refusal &&
			!response.headers.has('set-cookie') &&
			(response.headers.get('content-type') ?? '').startsWith('text/html')
		if (!cacheable) {
			await options.send(req, res, response)
			return null
		}
		const body = await response.text()
		const headers = [...response.headers.entries()]
		if (body.includes('<meta name="robots" content="noindex"')) {
			await options.send(req, res, new Response(body, { status: response.status, headers }))
			return null
		}
		const cached = withoutNonce(body, context.cspNonce)
		const entry: Entry | null = cached && { version, headers, scripts: cached.scripts, views, body: cached.body, expiresAt: Date.now() + options.ttlSeconds * 1000 }
		// Another change may have arrived while this rendered: then this page is already out of date, and not kept.
		if (entry && changeVersion('pages') === version) await store(key, entry)
		// This reader gets the page as rendered, with its own nonce.
		res.status(200)
		for (const [name, value] of headers) res.setHeader(name, value)
		res.setHeader('X-Page-Cache', 'miss')
		res.end(body)
		return entry
	}

	function send(req: ExpressRequest, res: ExpressResponse, entry: Entry, result: 'memory' | 'shared', head: boolean) {
		res.status(200)
		for (const [name, value] of entry.headers) res.setHeader(name, value)
		res.setHeader('X-Page-Cache', result)
		const policy = res.getHeader('Content-Security-Policy')
		if (typeof policy === 'string') res.setHeader('Content-Security-Policy', policy.replace(`'nonce-${res.locals.cspNonce as string}'`, entry.scripts))
		res.setHeader('Vary', 'Accept-Encoding')
		// Compressed once; the compression middleware leaves a response that has its encoding alone.
		if (req.acceptsEncodings('gzip') === 'gzip') {
			entry.gzipped ??= gzipSync(entry.body)
			res.setHeader('Content-Encoding', 'gzip')
			res.setHeader('Content-Length', entry.gzipped.length)
			if (head) res.end()
			else res.end(entry.gzipped)
			return
		}
		if (head) res.end()
		else res.end(entry.body)
	}

	async function recordViews(res: ExpressResponse, views: RecordedView[]) {
		const context = res.locals.context as RequestContext
		for (const view of views) {
			const options = { fromAskForm: view.fromAskForm }
			if (view.type === 'question') await recordQuestionView(view.id, context, options)
			else if (view.type === 'faq') await recordFaqView(view.id, context, options)
			else await recordContentView(context, { type: 'tutorial', id: view.id }, options)
		}
	}

	const cleanup = setInterval(() => {
		db.execute(sql`delete from page_cache where expires_at < now()`).catch((error: Error) => log.warn({ reason: error.message }, 'Page cache: could not remove expired pages'))
	}, options.ttlSeconds * 2000)
	cleanup.unref()

	return async (req, res, next) => {
		try {
			const key = cacheKey(req, res, options.routeOf)
			if (key === null) return next()
			res.locals.route = options.routeOf(req.path).route
			const head = req.method === 'HEAD'
			const version = changeVersion('pages')
			let entry = memory.get(key)
			let result: 'memory' | 'shared' = 'memory'
			if (entry && (entry.version !== version || entry.expiresAt <= Date.now())) {
				forget(key)
				entry = undefined
			}
			if (!entry) {
				const found = await shared(key, version)
				if (found) {
					remember(key, found)
					entry = found
					result = 'shared'
				}
			}
			// A HEAD has no body to keep: only pages already cached answer it.
			if (!entry && head) return next()
			if (!entry) {
				// One render per page and process at a time: the visitors asking meanwhile are served what it renders.
				const running = rendering.get(key)
				if (running) {
					// Not cacheable, or failed: this request renders on its own (and meets the failure itself).
					entry = (await running.catch(() => null)) ?? undefined
					if (!entry || entry.version !== version) return next()
				} else {
					pageCacheRequests.inc({ result: 'miss' })
					const render = renderAndSend(req, res, key, version)
					rendering.set(key, render)
					try {
						await render
					} finally {
						rendering.delete(key)
					}
					return
				}
			}
			pageCacheRequests.inc({ result })
			await recordViews(res, entry.views)
			send(req, res, entry, result, head)
		} catch (error) {
			next(error)
		}
	}
}
