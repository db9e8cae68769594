import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { requireApiActor } from '~/auth/api.server'
import { authorize } from '~/auth/permissions.server'
import { findPeople } from '~/people/admin.server'
import { peopleQuerySchema } from '~/people/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse, parseInput } from '~/utils/http.server'

/** Admins look people up by exact address and/or account external id (at most PEOPLE_API_LIMIT). */
export async function loader({ request, context }: LoaderFunctionArgs) {
	return apiResponse(context, async () => {
		const actor = requireApiActor(context)
		// A caller who may not manage people learns that before anything about their input.
		authorize(actor, 'people:manage')
		const filters = parseInput(peopleQuerySchema, Object.fromEntries(new URL(request.url).searchParams))
		return json({ people: await findPeople(actor, filters) })
	})
}

export const action = ({ context }: ActionFunctionArgs) => methodNotAllowed(context, 'GET')
