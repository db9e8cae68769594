import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { requireApiActor } from '~/auth/api.server'
import { authorize } from '~/auth/permissions.server'
import { changePerson } from '~/people/admin.server'
import { personPatchSchema } from '~/people/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { notFound } from '~/utils/errors.server'
import { apiResponse, parseInput, readJsonBody } from '~/utils/http.server'

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'PATCH')

/** `PATCH {"role"?, "suspended"?}`: each change audited; the answer is the person as the list shows them. */
export async function action({ request, params, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'PATCH') return methodNotAllowed(context, 'PATCH')
		const actor = requireApiActor(context)
		// A caller who may not manage people learns that before anything about their input.
		authorize(actor, 'people:manage')
		const id = params.id ?? ''
		if (id.length > 100) throw notFound('Person')
		const change = parseInput(personPatchSchema, await readJsonBody(request))
		return json(await changePerson(actor, id, change))
	})
}
