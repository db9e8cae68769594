import { serialize } from 'cookie'
import { and, eq, isNull, lt, sql } from 'drizzle-orm'
import * as client from 'openid-client'
import { db } from '#db/client.server'
import { oidcSignIns, users } from '#db/schema'
import { startSession } from '~/auth/session.server'
import type { Config } from '~/config.server'
import { isSecureOrLoopback } from '~/utils/urls'
import { DomainError } from '~/utils/errors.server'
import { safeRedirect } from '~/utils/redirect'
import { log } from '~/utils/log.server'

/** The client Kizuna is at the staff's identity provider (KIZUNA_OIDC_*), passed in so tests bring their own provider. */
export type OidcClient = { issuer: string; clientId: string; clientSecret: string }

/** A sign-in started longer ago is refused: the person took a detour, or someone replays an old link. */
export const SIGN_IN_TTL_MS = 10 * 60 * 1000

/** Where the provider sends the browser back; registered at the provider as the redirect URI. */
export const CALLBACK_PATH = '/auth/oidc/callback'

/**
 * Binds a sign-in to the browser that started it: a callback with a state this
 * browser did not ask for (someone else's code pushed to the victim, login CSRF)
 * is refused. Lax, so the top-level redirect back from the provider carries it.
 * Over https it is a `__Host-` cookie (Secure, Path=/, no Domain): a sibling
 * subdomain cannot set one for this site and so cannot plant its own state.
 */
export const stateCookieName = (secure: boolean) => (secure ? '__Host-kz_oidc_state' : 'kz_oidc_state')

export const INVALID_STATE = 'This sign-in link is not valid: start again from the sign-in page.'
export const EXPIRED_STATE = 'This sign-in took too long: start again from the sign-in page.'
export const PROVIDER_REFUSED = 'The sign-in provider did not sign you in: start again from the sign-in page.'
export const UNCHECKED_ANSWER = "The sign-in provider's answer could not be verified: start again from the sign-in page."
export const UNVERIFIED_EMAIL = 'Your sign-in provider has not verified your email address, so it cannot sign you in here.'
export const UNKNOWN_PERSON = 'No one in this community has this email address: ask an admin to invite you.'
const UNREACHABLE = 'The sign-in provider cannot be reached right now: please try again in a minute.'

/**
 * Discovery costs a round trip to the provider (and its keys another), so each
 * client's configuration is fetched once per process; a failed discovery is
 * forgotten so the next sign-in asks again.
 */
const configurations = new Map<string, Promise<client.Configuration>>()

function configuration(oidc: OidcClient): Promise<client.Configuration> {
	const key = JSON.stringify([oidc.issuer, oidc.clientId, oidc.clientSecret])
	let found = configurations.get(key)
	if (!found) {
		const issuer = new URL(oidc.issuer)
		// Plain http only for a provider on this machine (the tests'); openid-client refuses any other http issuer itself.
		const insecure = issuer.protocol === 'http:' && isSecureOrLoopback(issuer)
		found = client.discovery(issuer, oidc.clientId, undefined, client.ClientSecretBasic(oidc.clientSecret), insecure ? { execute: [client.allowInsecureRequests] } : undefined)
		configurations.set(key, found)
		found.catch(() => configurations.delete(key))
	}
	return found.catch((error: unknown) => {
		log.error({ err: error, issuer: oidc.issuer }, 'OpenID Connect discovery failed')
		throw new DomainError('unavailable', UNREACHABLE)
	})
}

/**
 * Begins a sign-in: remembers what the callback must check (state, nonce) and
 * prove (the PKCE verifier), and returns where to send the browser and the state
 * to bind to it. Old unfinished sign-ins are removed on the way: the table only
 * ever holds the last minutes' (and starts are rate limited), so this stays small.
 */
export async function startOidcSignIn(oidc: OidcClient, input: { redirectUri: string; returnTo: string | null; now?: Date }): Promise<{ url: string; state: string }> {
	const now = input.now ?? new Date()
	const config = await configuration(oidc)
	const state = client.randomState()
	const nonce = client.randomNonce()
	const codeVerifier = client.randomPKCECodeVerifier()
	await db.delete(oidcSignIns).where(lt(oidcSignIns.createdAt, new Date(now.getTime() - SIGN_IN_TTL_MS)))
	await db.insert(oidcSignIns).values({ state, nonce, codeVerifier, returnTo: safeRedirect(input.returnTo), createdAt: now })
	const url = client.buildAuthorizationUrl(config, {
		redirect_uri: input.redirectUri,
		scope: 'openid email profile',
		state,
		nonce,
		code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
		code_challenge_method: 'S256',
	})
	return { url: url.href, state }
}

type Claims = Record<string, unknown>

/**
 * Finishes a sign-in at the callback: the state must be one this browser started
 * (its cookie), unused and recent; the code is exchanged with the PKCE verifier
 * and the ID token's nonce checked. The person is the Kizuna person with the
 * email the provider verified; nobody is created and roles stay as given in
 * Kizuna. Returns the session cookie and where to go.
 */
export async function finishOidcSignIn(
	oidc: OidcClient,
	input: { redirectUri: string; query: URLSearchParams; browserState: string | null; secure: boolean; now?: Date },
): Promise<{ sessionCookie: string; returnTo: string }> {
	const now = input.now ?? new Date()
	const state = input.query.get('state')
	// Ours are base64url (randomState): anything else was made elsewhere and is not worth a query.
	if (!state || !/^[\w-]{1,200}$/.test(state) || input.browserState !== state) throw new DomainError('invalid', INVALID_STATE)
	// Deleted as it is read: a second callback with the same state finds nothing.
	const [signIn] = await db.delete(oidcSignIns).where(eq(oidcSignIns.state, state)).returning()
	if (!signIn) throw new DomainError('invalid', INVALID_STATE)
	if (now.getTime() - signIn.createdAt.getTime() > SIGN_IN_TTL_MS) throw new DomainError('invalid', EXPIRED_STATE)
	if (input.query.has('error')) throw new DomainError('invalid', PROVIDER_REFUSED)

	const config = await configuration(oidc)
	const callbackUrl = new URL(input.redirectUri)
	callbackUrl.search = input.query.toString()
	let claims: Claims
	try {
		const tokens = await client.authorizationCodeGrant(config, callbackUrl, { expectedState: state, expectedNonce: signIn.nonce, pkceCodeVerifier: signIn.codeVerifier })
		const idToken = tokens.claims()!
		// Providers may keep the address, or only whether it is verified, for the userinfo endpoint (OpenID Connect Core 5.4).
		const complete = typeof idToken.email === 'string' && (idToken.email_verified !== undefined || idToken.xms_edov !== undefined)
		claims = complete ? idToken : await client.fetchUserInfo(config, tokens.access_token, idToken.sub)
	} catch (error) {
		if (error instanceof DomainError) throw error
		// A provider that does not answer is an outage; anything it answered that fails the checks is a refusal.
		if (error instanceof TypeError && /fetch failed/i.test(error.message)) {
			log.error({ err: error }, 'OpenID Connect token request failed')
			throw new DomainError('unavailable', UNREACHABLE)
		}
		log.warn({ reason: (error as Error).message }, 'OpenID Connect sign-in refused')
		throw new DomainError('invalid', UNCHECKED_ANSWER)
	}
	// Entra ID sends no email_verified; its optional claim xms_edov says the address's domain is one the tenant proved it owns.
	if (typeof claims.email !== 'string' || (claims.email_verified !== true && claims.xms_edov !== true)) throw new DomainError('invalid', UNVERIFIED_EMAIL)
	const email = claims.email
	const [person] = await db
		.select({ id: users.id })
		.from(users)
		.where(and(sql`lower(${users.email}) = lower(${email})`, eq(users.isSystem, false)))
	if (!person) throw new DomainError('invalid', UNKNOWN_PERSON)
	// Refuses a suspended person before anything of theirs changes.
	const sessionCookie = await startSession(person.id, input.secure)
	// The provider has just proved this person reads mail at this address.
	await db.update(users).set({ emailVerifiedAt: now }).where(and(eq(users.id, person.id), isNull(users.emailVerifiedAt)))
	return { sessionCookie, returnTo: signIn.returnTo }
}

/** The configured provider, or null when staff sign in with passwords only. */
export function oidcClientFrom(config: Config): OidcClient | null {
	if (!config.KIZUNA_OIDC_ISSUER || !config.KIZUNA_OIDC_CLIENT_ID || !config.KIZUNA_OIDC_CLIENT_SECRET) return null
	return { issuer: config.KIZUNA_OIDC_ISSUER, clientId: config.KIZUNA_OIDC_CLIENT_ID, clientSecret: config.KIZUNA_OIDC_CLIENT_SECRET }
}

/** The redirect URI on this site: at KIZUNA_PUBLIC_URL when set (behind a proxy the request's own origin may be an internal one). */
export function callbackUrlFor(config: Config, requestUrl: string): string {
	return new URL(CALLBACK_PATH, config.KIZUNA_PUBLIC_URL ?? new URL(requestUrl).origin).href
}

/** The cookie binding a sign-in to this browser; an empty value clears it. */
export function stateCookie(state: string, secure: boolean): string {
	return serialize(stateCookieName(secure), state, { path: secure ? '/' : '/auth/oidc', httpOnly: true, sameSite: 'lax', secure, maxAge: state ? SIGN_IN_TTL_MS / 1000 : 0 })
}
