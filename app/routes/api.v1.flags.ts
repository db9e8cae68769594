import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { requireApiActor } from '~/auth/api.server'
import { flagPost } from '~/moderation/flags.server'
import { flagSchema } from '~/moderation/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse, parseInput, readJsonBody } from '~/utils/http.server'

/** `POST /api/v1/flags`: one flag on someone else's question or answer → `201 {"id"}`; a second one → 409. */
export async function action({ request, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') return methodNotAllowed(context, 'POST')
		const actor = requireApiActor(context)
		const input = parseInput(flagSchema, await readJsonBody(request))
		const { id } = await flagPost(actor, input)
		return json({ id }, { status: 201 })
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
