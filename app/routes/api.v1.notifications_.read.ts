import { type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { requireApiActor } from '~/auth/api.server'
import { markNotificationsRead } from '~/notifications/notifications.server'
import { markReadBody } from '~/notifications/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse, parseInput, readJsonBody } from '~/utils/http.server'

export async function action({ request, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') return methodNotAllowed(context, 'POST')
		const actor = requireApiActor(context)
		const { ids } = parseInput(markReadBody, await readJsonBody(request))
		await markNotificationsRead(actor, ids ?? 'all')
		return new Response(null, { status: 204 })
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
