import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { recordSearchClick, searchClickSchema } from '~/knowledge/feedback.server'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse, parseInput, readJsonBody } from '~/utils/http.server'

export async function action({ request, params, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') return methodNotAllowed(context, 'POST')
		const input = parseInput(searchClickSchema, await readJsonBody(request))
		await recordSearchClick(context, params.searchId ?? '', input)
		return new Response(null, { status: 204 })
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
