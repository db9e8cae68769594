import { json, redirect, type ActionFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData } from '@remix-run/react'
import { limit } from '~/auth/rate-limit.server'
import { SignInRefused } from '~/components/sign-in-refused'
import { loadConfig } from '~/config.server'
import { callbackUrlFor, oidcClientFrom, startOidcSignIn, stateCookie } from '~/sso/oidc.server'
import { failureOf } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Sign in'))

/** Only the sign-in page's button starts a sign-in (a POST); opening the address goes there. */
export const loader = () => redirect('/signin')

/** "Sign in with …": remembers the sign-in, binds it to this browser and sends the browser to the provider. */
export async function action({ request, context }: ActionFunctionArgs) {
	const config = loadConfig()
	const oidc = oidcClientFrom(config)
	if (!oidc) throw new Response('Not found', { status: 404 })
	try {
		await limit('oidcStart', context.clientIp)
		const form = await request.formData()
		const returnTo = form.get('redirectTo')
		const { url, state } = await startOidcSignIn(oidc, { redirectUri: callbackUrlFor(config, request.url), returnTo: typeof returnTo === 'string' ? returnTo : null })
		return redirect(url, { status: 303, headers: { 'Set-Cookie': stateCookie(state, context.secure) } })
	} catch (error) {
		const { status, message, headers } = failureOf(error)
		return json({ problem: message }, { status, headers })
	}
}

export default function StartOidcSignIn() {
	return <SignInRefused problem={useActionData<typeof action>()?.problem ?? ''} />
}
