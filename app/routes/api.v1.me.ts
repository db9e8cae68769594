import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { requireApiActor } from '~/auth/api.server'
import { describeMe } from '~/people/admin.server'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse } from '~/utils/http.server'

/** Who the token (or the browser's session) belongs to. */
export async function loader({ context }: LoaderFunctionArgs) {
	return apiResponse(context, async () => json(await describeMe(requireApiActor(context))))
}

export const action = ({ context }: ActionFunctionArgs) => methodNotAllowed(context, 'GET')
