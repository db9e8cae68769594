import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { hostPageSchema } from '~/utils/event-place'
import { apiResponse, parseInput } from '~/utils/http.server'
import { widgetSuggestions } from '~/widget/suggestions.server'

const params = z.object({
	page: hostPageSchema,
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
		return json({ hits: await widgetSuggestions(input.page, input.lang ?? context.locale) }, { headers: { 'Cache-Control': 'private, no-store' } })
	})
}
