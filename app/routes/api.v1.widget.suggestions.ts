import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { DomainError } from '~/utils/errors.server'
import { pagePath } from '~/utils/event-place'
import { apiResponse, parseInput } from '~/utils/http.server'
import { widgetSuggestions } from '~/widget/suggestions.server'

const params = z.object({
	page: z.string({ required_error: 'page is required: the path of the host page' }).max(2000, 'page can have at most 2000 characters'),
	lang: z
		.enum(['en', 'ja'], {
			errorMap: () => ({ message: 'lang must be one of: en, ja' }),
		})
		.optional(),
})

/** `GET /api/v1/widget/suggestions?page=PATH&lang=` → `{"hits": [{"id", "type", "title", "url"}]}`. */
export async function loader({ request, context }: LoaderFunctionArgs) {
	return apiResponse(context, async () => {
		const input = parseInput(params, Object.fromEntries(new URL(request.url).searchParams))
		const page = pagePath(input.page)
		if (page === null) throw new DomainError('invalid', 'page must be a path such as /settings/billing')
		return json({ hits: await widgetSuggestions(page, input.lang ?? context.locale) }, { headers: { 'Cache-Control': 'private, no-store' } })
	})
}
