import type { RequestHandler } from 'express'
import { widgetSettings } from '~/widget/settings.server'

/**
 * The path a request reaches in Remix: it parses `req.originalUrl` with the WHATWG
 * URL parser, which resolves dot segments, percent-encoded ones too
 * (`/widget/%2e%2e/settings` is /settings). Express's own path is the raw text, so a
 * check on it alone is a check on a different page than the one answered.
 */
export function routedPath(originalUrl: string): string | null {
	try {
		return new URL(`http://host.invalid${originalUrl}`).pathname
	} catch {
		return null
	}
}

/**
 * The help panel (`/widget`, exactly) may be framed by this site and by the origins
 * an admin allowed at /admin/widget; every other page keeps `frame-ancestors 'none'`
 * and `X-Frame-Options: DENY`. Read on each panel request (one primary-key lookup),
 * so a change applies at once in every process.
 */
export const frameWidgetPanel: RequestHandler = async (req, res, next) => {
	if (routedPath(req.originalUrl) !== '/widget') return next()
	try {
		const { allowedOrigins } = await widgetSettings()
		const policy = String(res.getHeader('Content-Security-Policy') ?? '')
		res.setHeader('Content-Security-Policy', policy.replace("frame-ancestors 'none'", `frame-ancestors ${["'self'", ...allowedOrigins].join(' ')}`))
		// Browsers that know frame-ancestors ignore X-Frame-Options when both are set; older ones know only DENY/SAMEORIGIN.
		res.removeHeader('X-Frame-Options')
		next()
	} catch (error) {
		next(error)
	}
}

/**
 * What a panel session (`Bearer kzp_…`) may call: the panel's own endpoints, the
 * search it runs and the clicks on its results, nothing else. It is made for a product's page without the person
 * typing a password, so it must not be their key to the API or the site.
 */
export function panelSessionMayUse(method: string, originalUrl: string): boolean {
	const path = routedPath(originalUrl)
	if (path === null) return false
	if (path.startsWith('/api/v1/widget/')) return true
	if (method === 'POST' && /^\/api\/v1\/searches\/[^/]+\/clicks$/.test(path)) return true
	return path === '/api/v1/search' && (method === 'GET' || method === 'HEAD')
}
