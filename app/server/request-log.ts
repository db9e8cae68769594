import type { ServerBuild } from '@remix-run/node'
import { matchRoutes } from '@remix-run/react'
import type { Request, RequestHandler } from 'express'
import { inLogScope, levelOfStatus, log, requestIdFor } from '~/utils/log.server'
import { httpDuration } from '~/utils/metrics.server'

type TrustProxy = (address: string, hop: number) => boolean

/** Whether the connection is from a proxy in KIZUNA_TRUSTED_PROXIES (Express's compiled `trust proxy`). */
export const fromTrustedProxy = (req: Request) => {
	const trust = req.app.get('trust proxy fn') as TrustProxy | undefined
	return Boolean(trust && req.socket.remoteAddress && trust(req.socket.remoteAddress, 0))
}

/** Scrapes and health checks come every few seconds: their lines would drown the rest at `info`. */
const quietRoutes = new Set(['healthz', 'metrics'])
const methods = new Set(['GET', 'HEAD', 'POST'])
const PATH_IN_LOG = 300

/** A route and the path to log for a request's path: `path` has the segments that are credentials replaced. */
export type RouteOf = (pathname: string) => { route: string; path: string }

/** The path as Remix reads it (app/server/main.ts hands it `req.originalUrl`), so it is matched to the same route. */
function pathnameOf(originalUrl: string): string {
	try {
		return new URL(`http://localhost${originalUrl}`).pathname
	} catch {
		return '[unparsable]'
	}
}

/**
 * First on every request: gives it an id (X-Request-Id, echoed in the response),
 * runs the rest of its handling in a log scope that puts the id on every line, and
 * when it ends writes one summary line (method, path without the query and with
 * its credentials redacted by `routeOf`, route, status, milliseconds; no stack,
 * whatever the status) and observes its duration under its route label
 * (`res.locals.route`, set where the request is routed; `none` for static files
 * and refusals answered before routing). The path is redacted whether or not the
 * request was routed: a refusal before routing (a rate limit) has the token in it too.
 */
export const observeRequests =
	(routeOf: RouteOf): RequestHandler =>
	(req, res, next) => {
		const started = process.hrtime.bigint()
		const requestId = requestIdFor(req.get('x-request-id'), fromTrustedProxy(req))
		res.locals.requestId = requestId
		res.setHeader('X-Request-Id', requestId)
		res.once('close', () => {
			const seconds = Number(process.hrtime.bigint() - started) / 1e9
			const route = (res.locals.route as string | undefined) ?? 'none'
			const status = res.statusCode
			httpDuration.observe({ route, method: methods.has(req.method) ? req.method : 'other', status_class: `${Math.floor(status / 100)}xx` }, seconds)
			const level = quietRoutes.has(route) && status < 500 ? 'debug' : levelOfStatus(status)
			if (!log.isLevelEnabled(level)) return
			const line = { requestId, method: req.method, path: routeOf(pathnameOf(req.originalUrl)).path.slice(0, PATH_IN_LOG), route, status, ms: Math.round(seconds * 10_000) / 10, ip: req.ip, ...(res.writableFinished ? {} : { aborted: true }) }
			log[level](line, 'request')
		})
		inLogScope({ requestId }, next)
	}

/**
 * A body streamed in through events runs its callback outside the request's scope
 * (Node's stream events belong to the connection): handlers after the body is read
 * are put back into it.
 */
export const reenterRequestScope: RequestHandler = (_req, res, next) => {
	const requestId = res.locals.requestId as string | undefined
	if (requestId) inLogScope({ requestId }, next)
	else next()
}

/** Labels the request for the duration histogram and the log with a fixed name. */
export const routeLabel =
	(route: string): RequestHandler =>
	(_req, res, next) => {
		res.locals.route = route
		next()
	}

type RouteObject = Parameters<typeof matchRoutes>[0][number]

const LABEL_CACHE = 2000
const REDACTED = '[redacted]'

/** Route params that are credentials (`reset-password.$token`, `unsubscribe.$token`): a log line must not carry them. */
const SECRET_PARAM = /token|secret/i

const decoded = (segment: string) => {
	try {
		return decodeURIComponent(segment)
	} catch {
		return segment
	}
}

/**
 * The Remix route that answers a path (its id, e.g. `routes/questions.$id.$slug`),
 * for the metrics' route label: raw paths would make a series per question. Data
 * requests (`/questions/1/x.data`, `/_root.data`) are labelled as their page. With
 * it, the path to log: the segments that hold a credential param of the matched
 * route replaced by `[redacted]`. Paths are matched once and remembered; the memory
 * is dropped whole when full.
 */
export function remixRouteLabeller(build: ServerBuild): RouteOf {
	const children = (parentId: string | undefined): RouteObject[] =>
		Object.values(build.routes)
			.filter((route) => route.parentId === parentId)
			.map((route) =>
				route.index ? { id: route.id, path: route.path, index: true, caseSensitive: route.caseSensitive } : { id: route.id, path: route.path, caseSensitive: route.caseSensitive, children: children(route.id) },
			)
	const routes = children(undefined)
	const known = new Map<string, { route: string; path: string }>()
	return (pathname) => {
		const cached = known.get(pathname)
		if (cached !== undefined) return cached
		const page = pathname === '/_root.data' ? '/' : pathname.replace(/\.data$/, '')
		const match = matchRoutes(routes, page)?.at(-1)
		const secrets = new Set(Object.entries(match?.params ?? {}).flatMap(([name, value]) => (SECRET_PARAM.test(name) && value ? [value] : [])))
		const path = secrets.size === 0 ? pathname : page.split('/').map((segment) => (secrets.has(decoded(segment)) ? REDACTED : segment)).join('/') + pathname.slice(page.length)
		const described = { route: match?.route.id ?? 'unmatched', path }
		if (known.size >= LABEL_CACHE) known.clear()
		known.set(pathname, described)
		return described
	}
}

/**
 * Without the route table (Vite's dev build changes under the server, a worker has
 * none): one `remix` label, and the path logged only up to its first segment, as
 * any later one may be a credential.
 */
export const unroutedPath: RouteOf = (pathname) => {
	const [first, ...rest] = pathname.split('/').slice(1)
	return { route: 'remix', path: `/${first ?? ''}${rest.length > 0 ? `/${REDACTED}` : ''}` }
}
