import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose'
import { z } from 'zod'
import { externalIdSchema } from '~/accounts/validation'
import { isLocale, type Locale } from '~/i18n/locales'
import { DomainError } from '~/utils/errors.server'
import { log } from '~/utils/log.server'

/** The keys the product signs with: an HS256 secret, a JWKS URL for RS256/ES256, or both. */
export type JwtKeys = { secret?: string; jwksUrl?: string }

/** Real tokens are a few hundred bytes; anything far longer is refused before any crypto or parsing. */
export const MAX_TOKEN_LENGTH = 8192
/** How far apart the product's clock and ours may be, for `exp` and `iat` alike. */
export const CLOCK_TOLERANCE_SECONDS = 30
/** A token is a one-time link from the product to here, not a credential to keep: it may live at most this long. */
export const MAX_LIFETIME_SECONDS = 600

// Each kind of key accepts exactly these algorithms; anything else (none, HS512, an RSA token against the secret) is refused.
const SECRET_ALGORITHMS = ['HS256']
const JWKS_ALGORITHMS = ['RS256', 'ES256']

const refuse = (reason: string) => new DomainError('invalid', reason)

const accountText = () => z.string({ invalid_type_error: 'The account name and plan in the sign-in token must be text' }).trim()

/** What the product says about the person; sizes bounded as the rest of Kizuna bounds them. */
const claimsSchema = z.object({
	sub: z
		.string({ required_error: 'The sign-in token does not say who the person is (sub)', invalid_type_error: 'The sign-in token does not say who the person is (sub)' })
		.min(1, 'The sign-in token does not say who the person is (sub)')
		.max(255, "The person's id in the sign-in token (sub) can have at most 255 characters"),
	email: z
		.string({ required_error: 'The sign-in token has no email address (email)', invalid_type_error: 'The sign-in token has no email address (email)' })
		.trim()
		.max(254, 'The email address in the sign-in token is not valid')
		.email('The email address in the sign-in token is not valid'),
	// Longer names are cut to what a display name may be rather than refused: the product's rules are its own.
	name: z
		.string({ invalid_type_error: 'The name in the sign-in token must be text' })
		.max(1000, 'The name in the sign-in token can have at most 1000 characters')
		.optional()
		.transform((name) => name?.trim().slice(0, 60) || undefined),
	// "ja-JP" is Japanese; a language the site does not speak leaves the person's language as it is.
	locale: z
		.string({ invalid_type_error: 'The locale in the sign-in token must be text' })
		.max(35, 'The locale in the sign-in token can have at most 35 characters')
		.optional()
		.transform((locale): Locale | undefined => {
			const primary = locale?.split(/[-_]/)[0]?.toLowerCase()
			return isLocale(primary) ? primary : undefined
		}),
	account: z
		.object(
			{
				externalId: externalIdSchema,
				name: accountText().max(200, 'The account name in the sign-in token can have at most 200 characters').optional(),
				plan: accountText().max(100, 'The account plan in the sign-in token can have at most 100 characters').optional(),
			},
			{ invalid_type_error: 'The account in the sign-in token must be an object with an externalId' },
		)
		.optional(),
	jti: z
		.string({ required_error: 'The sign-in token has no id (jti), so it could be used twice', invalid_type_error: 'The sign-in token has no id (jti), so it could be used twice' })
		.min(1, 'The sign-in token has no id (jti), so it could be used twice')
		.max(255, 'The id of the sign-in token (jti) can have at most 255 characters'),
	exp: z.number(),
})
export type SsoClaims = z.infer<typeof claimsSchema>

const jwksByUrl = new Map<string, ReturnType<typeof createRemoteJWKSet>>()

/**
 * One key set per URL for the life of the process: jose caches the fetched keys and
 * fetches again only for a key id it does not know (at most every 30 s), so a flood of
 * tokens with made-up key ids cannot make us hammer the product.
 */
function remoteKeys(url: string) {
	let keys = jwksByUrl.get(url)
	if (!keys) {
		keys = createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 })
		jwksByUrl.set(url, keys)
	}
	return keys
}

/** The header's algorithm, shown in a refusal: only a short plain name, never whatever the sender put there. */
const shownAlgorithm = (alg: unknown) => (typeof alg === 'string' && /^[A-Za-z0-9+_-]{1,20}$/.test(alg) ? alg : '?')

/** `JWT` (or `application/jwt`, in any case) or none: other types (`at+jwt`, an access token) were issued for something else. */
const isJwtType = (typ: unknown) => typ === undefined || (typeof typ === 'string' && typ.toLowerCase().replace(/^application\//, '') === 'jwt')

function keyFor(token: string, keys: JwtKeys) {
	let alg: unknown
	let typ: unknown
	try {
		;({ alg, typ } = decodeProtectedHeader(token))
	} catch {
		throw refuse('The sign-in token is malformed')
	}
	if (!isJwtType(typ)) throw refuse('This is not a sign-in token (its type, typ, is not JWT): the product must sign one for this community')
	if (alg === 'none' || alg === undefined) throw refuse('Unsigned sign-in tokens (alg "none") are refused')
	if (keys.secret && SECRET_ALGORITHMS.includes(alg as string)) return { key: new TextEncoder().encode(keys.secret), algorithms: SECRET_ALGORITHMS }
	if (keys.jwksUrl && JWKS_ALGORITHMS.includes(alg as string)) return { key: remoteKeys(keys.jwksUrl), algorithms: JWKS_ALGORITHMS }
	throw refuse(`This community does not accept sign-in tokens signed with this algorithm: ${shownAlgorithm(alg)}`)
}

function joseRefusal(error: unknown): DomainError {
	if (error instanceof errors.JWTExpired) return refuse('This sign-in link has expired: sign in again from the product')
	if (error instanceof errors.JWSSignatureVerificationFailed) return refuse("The sign-in token's signature does not match this community's key")
	if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return refuse("No key the product publishes matches the sign-in token's key id (kid)")
	if (error instanceof errors.JOSEAlgNotAllowed) return refuse('This community does not accept sign-in tokens signed with this algorithm')
	if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') return refuse('The sign-in token is not valid yet (nbf)')
	if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)) {
		// The product's key set could not be fetched or read: nothing the person can fix, and worth a look in the log.
		return new DomainError('unavailable', "The product's signing keys could not be fetched: try again in a minute")
	}
	return refuse('The sign-in token is malformed')
}

/**
 * Whether the token's `aud`, when it has one, names this community (its origin, with
 * or without a trailing slash). Optional, as products written for the claims Kizuna
 * documents leave it out; present, it tells tokens meant for somewhere else (an
 * identity provider's access token, when the key set is the provider's) from ours.
 */
function isForUs(aud: unknown, audience: string): boolean {
	if (aud === undefined) return true
	const named = Array.isArray(aud) ? aud : [aud]
	return named.some((entry) => entry === audience || entry === `${audience}/`)
}

/**
 * Checks a token the product signed: its signature with the configured keys, then
 * `exp` (required, at most 10 minutes ahead), `iat` (not in the future), `aud` (this
 * community's origin, `audience`, if present), and the claims. Both clock checks allow
 * CLOCK_TOLERANCE_SECONDS of skew. Single use (`jti`) is checked where the sign-in is
 * written (sign-in.server.ts).
 */
export async function verifySsoToken(token: string, keys: JwtKeys, audience: string, now = new Date()): Promise<SsoClaims> {
	if (!keys.secret && !keys.jwksUrl) throw new DomainError('not_found', 'Single sign-on is not set up on this community')
	if (token.length === 0) throw refuse('The sign-in link has no token')
	if (token.length > MAX_TOKEN_LENGTH) throw refuse('The sign-in token is too long')
	const { key, algorithms } = keyFor(token, keys)
	let payload: JWTPayload
	try {
		payload = (await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], { algorithms, currentDate: now, clockTolerance: CLOCK_TOLERANCE_SECONDS })).payload
	} catch (error) {
		const refusal = joseRefusal(error)
		if (refusal.code === 'unavailable') log.error({ err: error }, 'Single sign-on: the JWKS could not be used')
		throw refusal
	}
	const seconds = now.getTime() / 1000
	if (payload.exp === undefined) throw refuse('The sign-in token has no expiry time (exp)')
	if (payload.exp > seconds + MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) throw refuse('The sign-in token is valid for more than 10 minutes (exp): it must be short-lived')
	if (payload.iat !== undefined && payload.iat > seconds + CLOCK_TOLERANCE_SECONDS) throw refuse("The sign-in token was issued in the future (iat): check the product's clock")
	if (!isForUs(payload.aud, audience)) throw refuse(`The sign-in token is meant for another site (aud); it must name this community: ${audience}`)
	const claims = claimsSchema.safeParse(payload)
	if (!claims.success) {
		const issue = claims.error.issues[0]!
		// The account's fields share their messages with the account form: the claim's path says where they apply.
		throw refuse(issue.path[0] === 'account' && issue.path.length > 1 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)
	}
	return claims.data
}
