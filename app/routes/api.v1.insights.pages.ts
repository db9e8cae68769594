import { json, type LoaderFunctionArgs, type ActionFunctionArgs } from '@remix-run/node'
import { hostPages } from '~/insights/metrics.server'
import { insightsRequest } from '~/insights/range.server'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse } from '~/utils/http.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
	return apiResponse(context, async () => {
		const range = await insightsRequest(context.actor, new URL(request.url).searchParams)
		return json({ pages: await hostPages(range) })
	})
}

export const action = ({ context }: ActionFunctionArgs) => methodNotAllowed(context, 'GET')
