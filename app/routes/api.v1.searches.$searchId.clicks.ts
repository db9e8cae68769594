import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { recordSearchClick } from '~/knowledge/feedback.server'
import { searchClickSchema } from '~/knowledge/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { placeFrom } from '~/utils/event-place'
import { apiResponse, parseInput, readJsonBody } from '~/utils/http.server'

export async function action({ request, params, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') return methodNotAllowed(context, 'POST')
		const input = parseInput(searchClickSchema, await readJsonBody(request))
		// `?channel=widget&page=` as on the search itself: a click in the help widget is the widget's, on that host page.
		const place = placeFrom(new URL(request.url).searchParams)
		await recordSearchClick({ actor: context.actor, visitorId: context.visitorId, place }, params.searchId ?? '', input)
		return new Response(null, { status: 204 })
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
