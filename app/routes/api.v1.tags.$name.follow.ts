import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { requireApiActor } from '~/auth/api.server'
import { setTagFollowing } from '~/notifications/following.server'
import { tagName } from '~/notifications/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { notFound } from '~/utils/errors.server'
import { apiResponse } from '~/utils/http.server'

/** `POST` follows the tag, `DELETE` unfollows it: `{"following": true|false}`. */
export async function action({ request, params, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST' && request.method !== 'DELETE') return methodNotAllowed(context, 'POST, DELETE')
		const name = tagName.safeParse(params.name)
		if (!name.success) throw notFound('Tag')
		return json(await setTagFollowing(requireApiActor(context), name.data, request.method === 'POST'))
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST, DELETE')
