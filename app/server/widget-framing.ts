import type { RequestHandler } from 'express'
import { widgetSettings } from '~/widget/settings.server'

/**
 * The help panel (`/widget`, `/widget/…`) may be framed by this site and by the
 * origins an admin allowed at /admin/widget; every other page keeps `frame-ancestors
 * 'none'` and `X-Frame-Options: DENY`. Read on each request (one primary-key lookup),
 * so a change applies at once in every process.
 */
export const frameWidgetPanel: RequestHandler = async (_req, res, next) => {
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
