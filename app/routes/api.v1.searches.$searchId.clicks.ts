import type { ActionFunctionArgs } from '@remix-run/node'
import { recordSearchClick } from '~/knowledge/feedback.server'
import { searchClickSchema } from '~/knowledge/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse, parseInput, readJsonBody } from '~/utils/http.server'

export async function action({ request, params, context }: ActionFunctionArgs) {
	return apiResponse(async () => {
		if (request.method !== 'POST') return methodNotAllowed('POST')
		const input = parseInput(searchClickSchema, await readJsonBody(request))
		await recordSearchClick(context, params.searchId ?? '', input)
		return new Response(null, { status: 204 })
	})
}

export const loader = () => methodNotAllowed('POST')
