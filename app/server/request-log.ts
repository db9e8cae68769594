import type { ServerBuild } from '@remix-run/node'
import { matchRoutes } from '@remix-run/react'
import type { Request, RequestHandler } from 'express'
import { inLogScope, levelOfStatus, log, requestIdFor } from '~/utils/log.server'
import { httpDuration } from '~/utils/metrics.server'

type TrustProxy = (address: string, hop: number) => boolean

/** Whether the connection is from a proxy in KIZUNA_TRUSTED_PROXIES (Express's compiled `trust proxy`). */
const fromTrustedProxy = (req: Request) => {
	const trust = req.app.get('trust proxy fn') as TrustProxy | undefined
	return Boolean(trust && req.socket.remoteAddress && trust(req.socket.remoteAddress, 0))
}

/** Scrapes and health checks come every few seconds: their lines would drown the rest at `info`. */
const quietRoutes = new Set(['healthz', 'metrics'])
const methods = new Set(['GET', 'HEAD', 'POST'])
const PATH_IN_LOG = 300

/**
 * First on every request: gives it an id (X-Request-Id, echoed in the response),
 * runs the rest of its handling in a log scope that puts the id on every line, and
 * when it ends writes one summary line (method, path without the query, route,
 * status, milliseconds; no stack, whatever the status) and observes its duration
 * under its route label (`res.locals.route`, set where the request is routed;
 * `none` for static files and refusals answered before routing).
 */
export const observeRequests: RequestHandler = (req, res, next) => {
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
		const line = { requestId, method: req.method, path: req.originalUrl.split('?')[0]!.slice(0, PATH_IN_LOG), route, status, ms: Math.round(seconds * 10_000) / 10, ip: req.ip, ...(res.writableFinished ? {} : { aborted: true }) }
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

/**
 * The Remix route that answers a path (its id, e.g. `routes/questions.$id.$slug`),
 * for the metrics' route label: raw paths would make a series per question. Data
 * requests (`/questions/1/x.data`, `/_root.data`) are labelled as their page. Paths
 * are matched once and remembered; the memory is dropped whole when full.
 */
export function remixRouteLabeller(build: ServerBuild): (pathname: string) => string {
	const children = (parentId: string | undefined): RouteObject[] =>
		Object.values(build.routes)
			.filter((route) => route.parentId === parentId)
			.map((route) =>
				route.index ? { id: route.id, path: route.path, index: true, caseSensitive: route.caseSensitive } : { id: route.id, path: route.path, caseSensitive: route.caseSensitive, children: children(route.id) },
			)
	const routes = children(undefined)
	const known = new Map<string, string>()
	return (pathname) => {
		const page = pathname === '/_root.data' ? '/' : pathname.replace(/\.data$/, '')
		const cached = known.get(page)
		if (cached !== undefined) return cached
		const label: string = matchRoutes(routes, page)?.at(-1)?.route.id ?? 'unmatched'
		if (known.size >= LABEL_CACHE) known.clear()
		known.set(page, label)
		return label
	}
}
