import type { Request, Response } from 'express'
import { searchContent } from '#search/query.server'
import { apiSearchParamsFrom } from '#search/request'
import { limit as rateLimit } from '~/auth/rate-limit.server'
import { translateRefusal } from '~/i18n/i18n'
import { recordActivity } from '~/insights/events.server'
import { apiLanguageScope } from '~/utils/content-language'
import { DomainError } from '~/utils/errors.server'
import { apiFailure } from '~/utils/http.server'
import type { RequestContext } from './context'
import { requestLocale } from './guards'

/**
 * GET /api/v1/search. Served by Express itself rather than as a Remix resource
 * route: it is the busiest endpoint (integrations, help widgets, bots), and Remix's
 * pipeline (a Fetch Request per request, every route flattened and ranked on every
 * match) took about 40 % of a search's CPU time under load (`npm run bench:search`).
 */
export async function searchApi(req: Request, res: Response) {
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.status(405).set('Allow', 'GET').json({ error: translateRefusal(requestLocale(req), 'Method not allowed; use GET') })
		return
	}
	const context = res.locals.context as RequestContext
	try {
		await rateLimit('search', context.clientIp)
		const parsed = apiSearchParamsFrom(new URL(req.originalUrl, 'http://localhost'))
		if (!parsed.success) throw new DomainError('invalid', parsed.message)
		const { q, type, tag, category, status, answersOnly, limit, page, lang } = parsed.data
		// Without `lang` every language, as before content had one.
		const language = apiLanguageScope(lang).language ?? undefined
		const result = await searchContent({ q, type, tag, category, status, answersOnly, language, limit, offset: (page - 1) * limit }, { userId: context.actor?.id ?? null, visitorId: context.visitorId, record: true })
		if (result.searchId) await recordActivity({ actor: context.actor, visitorId: context.visitorId, place: parsed.place }, { type: 'search', searchId: result.searchId, query: q, resultCount: result.total })
		res.json({
			searchId: result.searchId,
			total: result.total,
			hits: result.hits.map(({ id, type: hitType, title, url, snippet, externalId, tags, solved, language: hitLanguage }) => ({ id, type: hitType, title, url, snippet, externalId, tags, solved, language: hitLanguage })),
			facets: result.facets,
			degraded: result.degraded,
		})
	} catch (error) {
		const failure = apiFailure(error, context.locale)
		res.status(failure.status).set(failure.headers).json(failure.body)
	}
}
