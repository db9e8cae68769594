import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { flagPost } from '~/moderation/flags.server'
import { flagSchema } from '~/moderation/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { parseForm } from '~/utils/form'
import { formAction } from '~/utils/http.server'

/** The flag form on the question page: refusals come back beside its fields, success as `{ flagged: true }`. */
export async function action({ request, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), flagSchema), async (input) => {
		await flagPost(context.actor, input)
		return json({ flagged: true as const })
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
