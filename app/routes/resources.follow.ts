import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { setQuestionFollowing, setTagFollowing } from '~/notifications/following.server'
import { followForm } from '~/notifications/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { formResponse, parseInput } from '~/utils/http.server'
import { safeRedirect } from '~/utils/redirect'

/** The follow buttons' endpoint: JSON for the page's fetcher, a redirect back for a plain form post. */
export async function action({ request, context }: ActionFunctionArgs) {
	return formResponse(async () => {
		const input = parseInput(followForm, Object.fromEntries(await request.formData()))
		const following = input.following === 'true'
		const result = await (input.kind === 'question' ? setQuestionFollowing(context.actor, input.questionId ?? 0, following) : setTagFollowing(context.actor, input.tag ?? '', following))
		// Remix's fetchers send this header; a browser without JavaScript does not.
		if (request.headers.get('accept')?.includes('text/html') && !new URL(request.url).searchParams.has('_data')) return redirect(safeRedirect(input.redirectTo))
		return json(result)
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
