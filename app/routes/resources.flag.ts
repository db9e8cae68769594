import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { flagPost } from '~/moderation/flags.server'
import { flagSchema } from '~/moderation/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { asDomainError } from '~/utils/errors.server'
import { parseForm } from '~/utils/form'
import { formAction } from '~/utils/http.server'
import { safeRedirect } from '~/utils/redirect'

/**
 * The flag form on the question page: for the page's fetcher, refusals come back
 * beside its fields and success as `{ flagged: true }`. A browser without
 * JavaScript posts the form itself: it goes back to the post, whose flag control
 * then says the flag was sent (`flagged`) or opens the form again saying it was not
 * (`flagRefused`), instead of showing JSON.
 */
export async function action({ request, context }: ActionFunctionArgs) {
	const form = await request.formData()
	// Remix's fetchers ask for `_data`; a plain form post from a browser asks for a page.
	const fetched = !request.headers.get('accept')?.includes('text/html') || new URL(request.url).searchParams.has('_data')
	if (fetched) {
		return formAction(parseForm(form, flagSchema), async (input) => {
			await flagPost(context.actor, input)
			return json({ flagged: true as const })
		})
	}
	const parsed = flagSchema.safeParse(Object.fromEntries(form))
	let outcome: 'flagged' | 'flagRefused' = 'flagRefused'
	if (parsed.success) {
		try {
			await flagPost(context.actor, parsed.data)
			outcome = 'flagged'
		} catch (error) {
			if (!asDomainError(error)) throw error
		}
	}
	const back = new URL(safeRedirect(form.get('redirectTo')), 'http://kizuna.invalid')
	const key = flagKey(form)
	back.searchParams.delete('flagged')
	back.searchParams.delete('flagRefused')
	if (key) back.searchParams.set(outcome, key)
	// Answers carry their id as an anchor on the page; the question is at its top.
	back.hash = key.startsWith('answer-') ? key : ''
	return redirect(`${back.pathname}${back.search}${back.hash}`, 303)
}

/** The post a refused plain form was about, as the flag control names it; only well-formed names go back into the address. */
function flagKey(form: FormData): string {
	const key = `${String(form.get('targetType'))}-${String(form.get('targetId'))}`
	return /^(question|answer)-\d{1,10}$/.test(key) ? key : ''
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
