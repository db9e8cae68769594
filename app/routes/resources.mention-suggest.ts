import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { suggestPeople } from '~/notifications/mentions.server'
import { mentionQuery } from '~/notifications/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse, parseInput } from '~/utils/http.server'

/** The Markdown editor's `@` suggestions: `{"people": [{"handle", "displayName"}]}`. */
export async function loader({ request, context }: LoaderFunctionArgs) {
	return apiResponse(context, async () => {
		const { q } = parseInput(mentionQuery, { q: new URL(request.url).searchParams.get('q') ?? '' })
		return json({ people: await suggestPeople(context.actor, q) })
	})
}

export const action = ({ context }: ActionFunctionArgs) => methodNotAllowed(context, 'GET')
