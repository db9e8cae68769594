import { json, redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { readCookie } from '~/auth/session.server'
import { SignInRefused } from '~/components/sign-in-refused'
import { loadConfig } from '~/config.server'
import { welcomeCookie } from '~/people/welcome.server'
import { callbackUrlFor, finishOidcSignIn, oidcClientFrom, stateCookie, stateCookieName } from '~/sso/oidc.server'
import { failureOf } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Sign in'))

/** Where the provider sends the browser back: signed in and on to the page they asked for, or the reason why not. */
export async function loader({ request, context }: LoaderFunctionArgs) {
	const config = loadConfig()
	const oidc = oidcClientFrom(config)
	if (!oidc) throw new Response('Not found', { status: 404 })
	const headers = new Headers({ 'Set-Cookie': stateCookie('', context.secure), 'Cache-Control': 'no-store' })
	try {
		const { sessionCookie, returnTo } = await finishOidcSignIn(oidc, {
			redirectUri: callbackUrlFor(config, request.url),
			query: new URL(request.url).searchParams,
			browserState: readCookie(request.headers.get('cookie'), stateCookieName(context.secure)),
			secure: context.secure,
		})
		headers.append('Set-Cookie', sessionCookie)
		headers.append('Set-Cookie', welcomeCookie('back', context.secure))
		return redirect(returnTo, { status: 303, headers })
	} catch (error) {
		const failure = failureOf(error)
		for (const [name, value] of Object.entries(failure.headers)) headers.set(name, value)
		return json({ problem: failure.message }, { status: failure.status, headers })
	}
}

export default function OidcCallback() {
	return <SignInRefused problem={useLoaderData<typeof loader>().problem} />
}
