import { loadConfig, type Config } from '~/config.server'
import { singleton } from '~/utils/singleton.server'
import type { JwtKeys } from './jwt.server'

export type SsoConfig = JwtKeys & { loginUrl?: string }

/** Single sign-on as the environment sets it up (KIZUNA_SSO_*), read once per process. */
export const ssoConfig = (): SsoConfig => singleton('sso-config', () => ssoConfigOf(loadConfig()))

export const ssoConfigOf = (config: Pick<Config, 'KIZUNA_SSO_SECRET' | 'KIZUNA_SSO_JWKS_URL' | 'KIZUNA_SSO_LOGIN_URL'>): SsoConfig => ({
	secret: config.KIZUNA_SSO_SECRET,
	jwksUrl: config.KIZUNA_SSO_JWKS_URL,
	loginUrl: config.KIZUNA_SSO_LOGIN_URL,
})

/**
 * This community's origin, which a sign-in token's `aud` must name when it has one:
 * KIZUNA_PUBLIC_URL's when set (behind a proxy the request's own may be an internal one).
 */
export const communityOrigin = (publicUrl: string | undefined, requestUrl: string): string => new URL(publicUrl ?? requestUrl).origin

/** The query parameter of the product's login URL that carries the path here to come back to. */
export const RETURN_TO_PARAM = 'return_to'

/** The product's login page, told where to send the person back (a path on this site, which it passes on as `return_to`). */
export function productLoginUrl(loginUrl: string, returnTo: string): string {
	const url = new URL(loginUrl)
	url.searchParams.set(RETURN_TO_PARAM, returnTo)
	return url.toString()
}
