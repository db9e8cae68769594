import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { requireApiActor } from '~/auth/api.server'
import { setQuestionFollowing } from '~/notifications/following.server'
import { methodNotAllowed } from '~/utils/api.server'
import { notFound } from '~/utils/errors.server'
import { apiResponse, idParam } from '~/utils/http.server'

/** `POST` follows the question, `DELETE` unfollows it: `{"following": true|false}`. */
export async function action({ request, params, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST' && request.method !== 'DELETE') return methodNotAllowed(context, 'POST, DELETE')
		const id = idParam.safeParse(params.id)
		if (!id.success) throw notFound('Question')
		return json(await setQuestionFollowing(requireApiActor(context), id.data, request.method === 'POST'))
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST, DELETE')
