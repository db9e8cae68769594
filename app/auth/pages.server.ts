import { redirect, type AppLoadContext } from '@remix-run/node'
import { can, type Action, type Actor } from './permissions.server'

/**
 * For pages that need a signed-in person: others are sent to sign in and come
 * back here; with an action, people without that permission get a 403 page.
 */
export function requireSignedIn(context: AppLoadContext, request: Request, action?: Action): Actor {
	if (!context.actor) {
		const here = new URL(request.url)
		throw redirect(`/signin?redirectTo=${encodeURIComponent(`${here.pathname}${here.search}`)}`)
	}
	if (action && !can(context.actor, action)) throw new Response('You are not allowed to see this page', { status: 403 })
	return context.actor
}
