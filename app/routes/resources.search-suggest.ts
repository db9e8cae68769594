import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { searchContent } from '#search/query.server'
import { searchParamsFrom } from '#search/request'

/** As-you-type suggestions for the header search box; not recorded as searches. */
export async function loader({ request, context }: LoaderFunctionArgs) {
	const parsed = searchParamsFrom(new URL(request.url))
	if (!parsed.success || !parsed.data.q) return json({ q: '', hits: [] })
	const result = await searchContent({ q: parsed.data.q, limit: 6 }, { userId: context.actor?.id ?? null, visitorId: context.visitorId, record: false })
	return json({ q: parsed.data.q, hits: result.hits })
}
