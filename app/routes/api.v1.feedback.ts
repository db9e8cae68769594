import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { feedbackSchema, recordFeedback } from '~/knowledge/feedback.server'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse, parseInput, readJsonBody } from '~/utils/http.server'

/** Anonymous feedback is allowed: visitors count once each through their cookie, and are limited per address. */
export async function action({ request, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') return methodNotAllowed(context, 'POST')
		const input = parseInput(feedbackSchema, await readJsonBody(request))
		const saved = await recordFeedback(context, input)
		return json(saved, { status: 201 })
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
