import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { searchContent } from '#search/query.server'
import { searchParamsFrom } from '#search/request'
import { limit } from '~/auth/rate-limit.server'
import { DomainError } from '~/utils/errors.server'
import { refusalHeaders } from '~/utils/http.server'

/**
 * As-you-type suggestions: for the header search box, with scope=answers for
 * the ask form (only FAQs, tutorials and solved threads), and with scope=originals
 * for closing a duplicate (questions and FAQs only: the index holds no closed
 * duplicate and no draft, which cannot be originals). Not recorded as searches.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
	const url = new URL(request.url)
	const parsed = searchParamsFrom(url)
	if (!parsed.success || !parsed.data.q) return json({ q: '', hits: [], degraded: false })
	try {
		await limit('search', context.clientIp)
	} catch (error) {
		// The search box then simply shows no suggestions; the reason is for API-style clients.
		if (!(error instanceof DomainError)) throw error
		return json({ q: parsed.data.q, hits: [], error: error.message }, { status: error.status, headers: refusalHeaders(error) })
	}
	const scope = url.searchParams.get('scope')
	const answersOnly = scope === 'answers'
	const originals = scope === 'originals'
	const result = await searchContent(
		// Every language, the reader's first, each article once in the reader's version: a few letters say little about the language wanted.
		{ q: parsed.data.q, limit: answersOnly ? 5 : originals ? 8 : 6, answersOnly, facets: false, preferLanguage: context.locale },
		{ userId: context.actor?.id ?? null, visitorId: context.visitorId, record: false },
	)
	const hits = originals ? result.hits.filter((hit) => hit.type !== 'tutorial') : result.hits
	return json({ q: parsed.data.q, hits, degraded: result.degraded })
}
