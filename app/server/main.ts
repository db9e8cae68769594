// First: decides NODE_ENV before React is loaded.
import './production-mode'
import crypto from 'node:crypto'
import path from 'node:path'
// The adapter's own request/response conversion (exported by its module, not its index, in the pinned 2.17.5):
// the request handler below gives Remix the body readBody has already bounded.
import { createRemixRequest, sendRemixResponse } from '@remix-run/express/dist/server.js'
import { createRequestHandler, type ServerBuild } from '@remix-run/node'
import compression from 'compression'
import { parse, serialize } from 'cookie'
import express from 'express'
import { digest } from '~/auth/api-tokens.server'
import { knownRefusal, limit } from '~/auth/rate-limit.server'
import { resolveActor, SUSPENDED } from '~/auth/session.server'
import { loadConfig } from '~/config.server'
import { seedDemoContent } from '~/demo/seed.server'
import { translateRefusal } from '~/i18n/i18n'
import { isLocale, LOCALE_COOKIE } from '~/i18n/locales'
import { startWorker } from '~/jobs/worker.server'
import { loader as healthz } from '~/routes/healthz'
import type { RequestContext } from './context'
import { PREVIEW_PATH } from '~/community/preview.server'
import { ATTACHMENT_UPLOAD_PATH } from '~/attachments/rules'
import { errorHandler, readBody, refuseAnonymousPreview, refuseKnownOverLimit, refuseLater, refuseUploadEarly, refuseControlCharactersInPath, requestLocale, securityHeaders, sendFailure } from './guards'
import { listenForCommands } from './command-socket'
import { metricsEndpoint, registerScrapedMetrics } from './metrics'
import { observeRequests, reenterRequestScope, remixRouteLabeller, routeLabel, unroutedPath } from './request-log'
import { pageCache } from './page-cache'
import { log } from '~/utils/log.server'
import { DataDirInUse, startRuntime } from './runtime.server'
import { searchApi } from './search-api'
import { frameWidgetPanel, panelSessionMayUse } from './widget-framing'

const VISITOR_COOKIE = 'kz_vid'
const PANEL_VISITOR_HEADER = 'x-kizuna-visitor'
const dev = process.argv.includes('--dev')
const config = loadConfig()
// Decided by configuration, not by a header any client can send (X-Forwarded-Proto).
const https = config.KIZUNA_PUBLIC_URL?.startsWith('https:') ?? false

const runtime = await startRuntime(config).catch((error: unknown) => {
	// A second `npm start` on the same data dir: say so in one line rather than crash with a stack.
	if (!(error instanceof DataDirInUse)) throw error
	log.error(
		{ owner: error.owner, dataDir: error.dataDir },
		`Kizuna is already running on this data dir (pid ${error.owner}): stop it first, give this one its own KIZUNA_DATA_DIR, or point both at PostgreSQL with DATABASE_URL`,
	)
	process.exit(1)
})
// With the embedded database only this process can open it: the CLI sends its commands here.
const commands = config.DATABASE_URL ? null : await listenForCommands(config.dataDir)
const role = config.KIZUNA_ROLE
if (role !== 'worker' && config.KIZUNA_DEMO_CONTENT === 'on') await seedDemoContent()
const worker = await startWorker(role)

const viteDevServer = dev && role !== 'worker'
	? await import('vite').then((vite) => vite.createServer({ server: { middlewareMode: true } }))
	: undefined

const buildDir = path.resolve(process.env.KIZUNA_BUILD_DIR ?? 'build')

const build = viteDevServer
	? () => viteDevServer.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
	: role === 'worker'
		? () => Promise.reject(new Error('A worker serves no pages'))
		: ((await import(path.join(buildDir, 'server/index.js'))) as ServerBuild)

// Vite's dev build changes under the server: its requests are labelled `remix` as a whole.
const routeOf = typeof build === 'function' ? unroutedPath : remixRouteLabeller(build)

const app = express()
app.disable('x-powered-by')
// Express's own ETags only cover its JSON answers (search results, refusals), which differ every time.
app.disable('etag')
// Only the configured proxies' X-Forwarded-For is believed: otherwise any client
// could name a new address on each request and escape every per-address limit.
app.set('trust proxy', config.KIZUNA_TRUSTED_PROXIES)
app.use(observeRequests(routeOf))
app.use(securityHeaders({ https, dev, formTargets: config.KIZUNA_OIDC_ISSUER ? [new URL(config.KIZUNA_OIDC_ISSUER).origin] : [] }))
app.use(compression())
app.use(refuseControlCharactersInPath)
// Before the session: a scraper's Bearer token is not an API token.
registerScrapedMetrics()
app.get('/metrics', metricsEndpoint(config.KIZUNA_METRICS_TOKEN))
// A worker serves no pages: only its health, for the orchestrator that runs it.
if (role === 'worker') app.use(healthOnly)
// Mounted on every path, not on '/widget': Express matches the raw prefix, which
// `/widget/%2e%2e/settings` has while Remix answers /settings (see routedPath).
app.use(frameWidgetPanel)

if (viteDevServer) {
	app.use(viteDevServer.middlewares)
} else {
	app.use('/assets', labelledStatic(express.static(path.join(buildDir, 'client/assets'), { immutable: true, maxAge: '1y' })))
	const publicFiles = labelledStatic(express.static(path.join(buildDir, 'client'), { maxAge: '1h' }))
	// The API never serves files, and every file of public/ has an extension: a page's path
	// (`/`, `/questions/1/…`) skips the disk lookup, which failed with an error object each time.
	app.use((req, res, next) => (req.path.startsWith('/api/') || !/\.[^/]*$/.test(req.path) ? next() : publicFiles(req, res, next)))
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Cross-site request forgery: a state-changing request that carries our session
 * cookie must come from one of our own pages (Origin, or Referer as a fallback).
 * SameSite=Lax cookies already stop most of it; this closes the rest.
 */
function isSameOrigin(req: express.Request): boolean {
	const source = req.get('origin') ?? req.get('referer')
	if (!source) return false
	try {
		return new URL(source).host === siteHost(req)
	} catch {
		return false
	}
}

/** With a suspended person's session: the forms that still work, so the browser can be handed to someone else. */
const suspendedMayUse = (req: express.Request) => ['/signin', '/signin.data', '/signout', '/signout.data'].includes(req.path)

/** The host a browser addressed, as Remix reads it: its own check throws (a 500) on any other Origin. */
const siteHost = (req: express.Request) => req.get('x-forwarded-host')?.split(',')[0]?.trim() || req.get('host')

app.use(async (req, res, next) => {
	try {
		const secure = https
		const cookies = parse(req.headers.cookie ?? '')
		// The widget's panel is a cross-site iframe, where our cookies are not sent (SameSite=Lax, and
		// browsers that block third-party cookies): it keeps the visitor id it was given in memory and sends it back.
		let visitorId = cookies[VISITOR_COOKIE] ?? req.get(PANEL_VISITOR_HEADER)
		const setCookies: string[] = []
		if (!visitorId || !/^[0-9a-f-]{36}$/.test(visitorId)) {
			visitorId = crypto.randomUUID()
			setCookies.push(serialize(VISITOR_COOKIE, visitorId, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 60 * 60 * 24 * 365 }))
		}
		const session = await resolveActor({ authorization: req.headers.authorization, cookie: req.headers.cookie }, secure)
		setCookies.push(...session.setCookies)
		// With our cookie, a write must show where it came from; without it, a foreign Origin is still refused.
		const unsafe = !safeMethods.has(req.method) && session.via !== 'token'
		if (unsafe && (cookies.kz_session ? !isSameOrigin(req) : req.get('origin') !== undefined && !isSameOrigin(req))) {
			res.status(403).json({ error: translateRefusal(requestLocale(req), 'Cross-site request refused') })
			return
		}
		// An API token is no key to the site's own forms (minting tokens, managing people): only to the API.
		if (session.via === 'token' && !safeMethods.has(req.method) && !req.path.startsWith('/api/')) {
			res.status(403).json({ error: translateRefusal(requestLocale(req), 'API tokens work with /api/v1 only') })
			return
		}
		if (session.via === 'token' && session.suspended) {
			res.status(403).json({ error: translateRefusal(requestLocale(req), SUSPENDED) })
			return
		}
		// A language chosen in this browser comes first; otherwise a signed-in person's own
		// (settings, the header switch, which set both) follows them to every device.
		const locale = isLocale(cookies[LOCALE_COOKIE]) ? cookies[LOCALE_COOKIE] : (session.locale ?? requestLocale(req))
		// A suspended person's browser is told why, rather than just looking signed out: pages
		// send it to the sign-in page, which says so (app/root.tsx); the API and every write
		// refuse with the reason. Signing in (as someone else) and signing out stay open.
		const suspendedPage = session.via === 'session' && session.suspended === true && !req.path.startsWith('/api/') && (req.method === 'GET' || req.method === 'HEAD')
		if (session.via === 'session' && session.suspended && !suspendedPage && !suspendedMayUse(req)) {
			res.status(403).json({ error: translateRefusal(locale, SUSPENDED) })
			return
		}
		if (session.panel && !panelSessionMayUse(req.method, req.originalUrl)) {
			res.status(403).json({ error: translateRefusal(requestLocale(req), 'A help panel session works in the help panel only') })
			return
		}
		if (session.panelRefusal) {
			res.status(403).json({ error: translateRefusal(requestLocale(req), session.panelRefusal) })
			return
		}
		if (session.via === 'token' && !session.actor) {
			res.status(401).json({ error: translateRefusal(requestLocale(req), 'Invalid API token') })
			return
		}
		if (session.via === 'token') {
			// Counted by the token's hash: the table must not hold usable tokens.
			const token = digest(req.headers.authorization ?? '')
			const known = knownRefusal('apiToken', token)
			if (known) return refuseLater(next, known)
			await limit('apiToken', token)
		}
		if (setCookies.length > 0) res.append('Set-Cookie', setCookies)
		const context: RequestContext = {
			actor: session.actor,
			authVia: session.via,
			visitorId,
			...(suspendedPage ? { suspended: true as const } : {}),
			locale,
			secure,
			clientIp: req.ip ?? 'unknown',
			cspNonce: res.locals.cspNonce as string,
		}
		res.locals.context = context
		next()
	} catch (error) {
		next(error)
	}
})

app.post(PREVIEW_PATH, refuseAnonymousPreview, refuseKnownOverLimit('preview', (c) => c.actor?.id ?? null))
app.post('/signin', refuseKnownOverLimit('signInAddress', (c) => c.clientIp))
app.post('/auth/oidc', refuseKnownOverLimit('oidcStart', (c) => c.clientIp))
app.post('/signup', refuseKnownOverLimit('signUp', (c) => c.clientIp))
app.post(['/forgot-password', '/reset-password/:token', '/invitations/:token'], refuseKnownOverLimit('passwordResetAddress', (c) => c.clientIp))
app.post('/verify-email', refuseKnownOverLimit('verificationMail', (c) => c.actor?.id ?? null))
app.post(['/api/v1/questions', '/api/v1/questions/:id/answers'], refuseKnownOverLimit('post', (c) => c.actor?.id ?? null))
app.post(ATTACHMENT_UPLOAD_PATH, refuseUploadEarly)
app.use(readBody)
app.use(reenterRequestScope)
app.get('/api/v1/search', refuseKnownOverLimit('search', (c) => c.clientIp))
app.all('/api/v1/search', routeLabel('api/v1/search'), searchApi)

const remix = createRequestHandler(build, dev ? 'development' : 'production')
const renderPage = (req: express.Request, res: express.Response) => {
	const streamed = createRemixRequest(req, res)
	const body = res.locals.body as Buffer | undefined
	// readBody has already read and bounded the body; Remix gets those bytes.
	const request = body ? new Request(streamed, { body, duplex: 'half' } as RequestInit) : streamed
	return remix(request, res.locals.context as RequestContext)
}
const sendPage = async (req: express.Request, res: express.Response, response: Response) => {
	const context = res.locals.context as RequestContext
	if (context.refusal && response.status >= 500) {
		await response.body?.cancel()
		sendFailure(req, res, context.refusal)
		return
	}
	// A response with its own policy (an attachment's sandbox) replaces the page's rather than adding a second one.
	for (const name of ['content-security-policy', 'x-content-type-options']) if (response.headers.has(name)) res.removeHeader(name)
	await sendRemixResponse(res, response)
}
// Vite's dev build has no route table, and its scripts carry no nonce: pages are rendered every time there.
if (config.KIZUNA_PAGE_CACHE === 'on' && !viteDevServer) app.use(pageCache({ ttlSeconds: config.KIZUNA_PAGE_CACHE_TTL, routeOf, render: renderPage, send: sendPage }))
app.all('*', async (req, res, next) => {
	res.locals.route = routeOf(req.path).route
	try {
		await sendPage(req, res, await renderPage(req, res))
	} catch (error) {
		next(error)
	}
})
app.use(errorHandler)

const server = app.listen(config.PORT, config.HOST, () => {
	const address = server.address()
	const port = typeof address === 'object' && address ? address.port : config.PORT
	log.info({ role, port }, `Kizuna is ready on http://localhost:${port}`)
})
// A second `npm start`, or another program on the port: say so, and stop what was started (Meilisearch, the database) rather than crash with a stack.
server.on('error', (error: NodeJS.ErrnoException) => {
	const reason = error.code === 'EADDRINUSE' ? `Port ${config.PORT} is already in use: stop the program using it, or start Kizuna with another PORT` : `Kizuna cannot listen on ${config.HOST}:${config.PORT}: ${error.message}`
	log.error({ port: config.PORT, host: config.HOST, code: error.code }, reason)
	void shutdown('listen error', 1)
})

/** A file served is labelled `static`; a path with no file goes on unlabelled. */
function labelledStatic(serve: express.RequestHandler): express.RequestHandler {
	return (req, res, next) => {
		res.locals.route = 'static'
		serve(req, res, (error?: unknown) => {
			res.locals.route = undefined
			next(error)
		})
	}
}

async function healthOnly(req: express.Request, res: express.Response) {
	res.locals.route = req.path === '/healthz' ? 'healthz' : 'none'
	if (req.path !== '/healthz') {
		res.status(404).json({ error: 'Not found' })
		return
	}
	const response = await healthz()
	res.status(response.status).set('Cache-Control', 'no-store').json(await response.json())
}

let stopping = false
async function shutdown(signal: string, exitCode = 0) {
	if (stopping) return
	stopping = true
	log.info({ signal }, 'Stopping Kizuna…')
	const force = setTimeout(() => process.exit(1), 15_000)
	force.unref()
	server.close()
	server.closeAllConnections()
	await viteDevServer?.close()
	await commands?.close()
	await worker?.stop()
	await runtime.stop()
	process.exit(exitCode)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
