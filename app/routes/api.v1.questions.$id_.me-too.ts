import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { addMeToo } from '~/community/questions.server'
import { methodNotAllowed } from '~/utils/api.server'
import { requireApiActor } from '~/auth/api.server'
import { notFound } from '~/utils/errors.server'
import { apiResponse, idParam } from '~/utils/http.server'

export async function action({ request, params, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') return methodNotAllowed(context, 'POST')
		const id = idParam.safeParse(params.id)
		if (!id.success) throw notFound('Question')
		requireApiActor(context)
		const { count } = await addMeToo(context.actor, id.data)
		return json({ count })
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
