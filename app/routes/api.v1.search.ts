import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { searchContent } from '#search/query.server'
import { searchParamsFrom } from '#search/request'
import { recordEvent } from '~/insights/events.server'
import { methodNotAllowed } from '~/utils/api.server'
import { DomainError } from '~/utils/errors.server'
import { apiResponse } from '~/utils/http.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
	return apiResponse(async () => {
		const parsed = searchParamsFrom(new URL(request.url))
		if (!parsed.success) throw new DomainError('invalid', parsed.error.issues[0]?.message ?? 'Invalid search parameters')
		const { q, type, tag, status, limit } = parsed.data
		const result = await searchContent({ q, type, tag, status, limit }, { userId: context.actor?.id ?? null, visitorId: context.visitorId, record: true })
		if (result.searchId) recordEvent(context, { type: 'search', searchId: result.searchId, query: q, resultCount: result.total })
		return json({
			searchId: result.searchId,
			total: result.total,
			hits: result.hits.map(({ id, type: hitType, title, url, snippet, externalId, tags, solved }) => ({ id, type: hitType, title, url, snippet, externalId, tags, solved })),
			facets: result.facets,
		})
	})
}

export const action = () => methodNotAllowed('GET')
