import { json, redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { serialize } from 'cookie'
import { useTranslation } from 'react-i18next'
import { limit } from '~/auth/rate-limit.server'
import { endSession, startSession } from '~/auth/session.server'
import { FormError } from '~/components/form'
import { LOCALE_COOKIE } from '~/i18n/locales'
import { loadConfig } from '~/config.server'
import { communityOrigin, productLoginUrl, ssoConfig } from '~/sso/config.server'
import { MAX_TOKEN_LENGTH } from '~/sso/jwt.server'
import { signInWithJwt } from '~/sso/sign-in.server'
import { asDomainError } from '~/utils/errors.server'
import { refusalHeaders } from '~/utils/http.server'
import { safeRedirect } from '~/utils/redirect'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Sign in'))

/**
 * The product's link into the community: `?token=<JWT>&return_to=/path`. Signed in,
 * the person goes to `return_to` (a path on this site; anything else is `/`). A
 * refusal is a page naming the reason, with status 400 (429 when rate limited, 503
 * when the product's keys cannot be fetched), and starts no session.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
	const params = new URL(request.url).searchParams
	const returnTo = safeRedirect(params.get('return_to'))
	const config = ssoConfig()
	try {
		// Verifying costs CPU and may fetch the product's keys: counted before any of it.
		await limit('ssoAddress', context.clientIp)
		const token = (params.get('token') ?? '').slice(0, MAX_TOKEN_LENGTH + 1)
		const audience = communityOrigin(loadConfig().KIZUNA_PUBLIC_URL, request.url)
		const signedIn = await signInWithJwt(token, config, { fallbackLocale: context.locale, audience })
		const headers = new Headers()
		headers.append('Set-Cookie', await startSession(signedIn.userId, context.secure))
		// Whoever was signed in on this browser before is signed out: the product says who is here now.
		if (context.authVia === 'session') await endSession(request.headers.get('cookie'), context.secure)
		if (signedIn.locale) {
			headers.append('Set-Cookie', serialize(LOCALE_COOKIE, signedIn.locale, { path: '/', sameSite: 'lax', secure: context.secure, maxAge: 60 * 60 * 24 * 365 }))
		}
		return redirect(returnTo, { status: 303, headers })
	} catch (error) {
		const refusal = asDomainError(error)
		if (!refusal) throw error
		const status = refusal.code === 'rate_limited' || refusal.code === 'unavailable' ? refusal.status : 400
		return json({ reason: refusal.message, retryUrl: config.loginUrl ? productLoginUrl(config.loginUrl, returnTo) : null }, { status, headers: refusalHeaders(refusal) })
	}
}

export default function SsoRefused() {
	const { t } = useTranslation()
	const { reason, retryUrl } = useLoaderData<typeof loader>()
	return (
		<section className="narrow card">
			<h1>{t('We could not sign you in')}</h1>
			<FormError errors={[reason]} />
			<p>
				{retryUrl ? (
					<a href={retryUrl} className="button primary">
						{t('Sign in again from the product')}
					</a>
				) : null}{' '}
				<Link to="/">{t('Go to the home page')}</Link>
			</p>
			{retryUrl ? (
				<p className="hint">
					<Link to="/signin?staff=1">{t('Staff sign in')}</Link>
				</p>
			) : null}
		</section>
	)
}
