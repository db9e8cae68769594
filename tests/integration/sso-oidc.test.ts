import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { db } from '../../db/client.server'
import { oidcSignIns, sessions, users } from '../../db/schema'
import { resolveActor } from '../../app/auth/session.server'
import {
	EXPIRED_STATE,
	finishOidcSignIn,
	INVALID_STATE,
	PROVIDER_REFUSED,
	SIGN_IN_TTL_MS,
	startOidcSignIn,
	stateCookie,
	stateCookieName,
	UNCHECKED_ANSWER,
	UNKNOWN_PERSON,
	UNVERIFIED_EMAIL,
	type OidcClient,
} from '../../app/sso/oidc.server'
import { SUSPENDED } from '../../app/auth/session.server'
import { person } from '../support/factories'
import { signInAtProvider, startOidcProvider } from '../support/oidc-provider'
import { resetData } from '../support/reset'

const redirectUri = 'http://kizuna.test/auth/oidc/callback'
let provider: Awaited<ReturnType<typeof startOidcProvider>>
let oidc: OidcClient

beforeAll(async () => {
	provider = await startOidcProvider({ clientId: 'kizuna', clientSecret: 'provider-secret-for-kizuna', redirectUri })
	oidc = { issuer: provider.issuer, clientId: 'kizuna', clientSecret: 'provider-secret-for-kizuna' }
})
afterAll(() => provider.stop())

/** Starts a sign-in, signs in at the provider as `login`, and returns what the browser brings back to Kizuna. */
async function throughProvider(login: string, returnTo: string | null = '/questions') {
	const { url, state } = await startOidcSignIn(oidc, { redirectUri, returnTo })
	const callback = await signInAtProvider(url, redirectUri, login)
	return { state, query: callback.searchParams }
}

const finish = (query: URLSearchParams, browserState: string | null, now?: Date) => finishOidcSignIn(oidc, { redirectUri, query, browserState, secure: false, now })

async function refusal(promise: Promise<unknown>) {
	const error = (await promise.then(() => null, (e: unknown) => e)) as { status?: number; message?: string } | null
	expect(error, 'expected a refusal').not.toBeNull()
	return { status: error!.status, message: error!.message }
}

const sessionsOf = async (userId: string) => (await db.select().from(sessions).where(eq(sessions.userId, userId))).length

describe('OpenID Connect sign-in for staff', () => {
	beforeEach(resetData)

	it('signs in the Kizuna person with the email the provider verified, whatever its case, and goes where they asked', async () => {
		const cs = await person('cs', 'CS', { email: 'kenji@example.test' })
		await db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, cs.id))
		const { state, query } = await throughProvider('Kenji@Example.test', '/insights')
		const { sessionCookie, returnTo } = await finish(query, state)
		expect(returnTo).toBe('/insights')
		const session = await resolveActor({ cookie: sessionCookie.split(';')[0] }, false)
		expect(session.actor).toMatchObject({ id: cs.id, role: 'cs' })
		// The provider proved the address.
		const [row] = await db.select({ verified: users.emailVerifiedAt }).from(users).where(eq(users.id, cs.id))
		expect(row!.verified).not.toBeNull()
		expect(await db.select().from(oidcSignIns)).toEqual([])
	})

	it("takes Entra ID's word that the tenant owns the address's domain (xms_edov) for a verified address", async () => {
		const cs = await person('cs', 'CS', { email: 'haru@example.test' })
		const { state, query } = await throughProvider('entra:haru@example.test')
		const { sessionCookie } = await finish(query, state)
		expect((await resolveActor({ cookie: sessionCookie.split(';')[0] }, false)).actor?.id).toBe(cs.id)
	})

	it('reads the address from the ID token when the provider puts it there', async () => {
		const google = await startOidcProvider({ clientId: 'kizuna', clientSecret: 'provider-secret-for-kizuna', redirectUri }, { claimsInIdToken: true })
		try {
			const client = { ...oidc, issuer: google.issuer }
			const cs = await person('cs', 'CS', { email: 'sora@example.test' })
			const { url, state } = await startOidcSignIn(client, { redirectUri, returnTo: '/' })
			const callback = await signInAtProvider(url, redirectUri, 'sora@example.test')
			const { sessionCookie } = await finishOidcSignIn(client, { redirectUri, query: callback.searchParams, browserState: state, secure: false })
			expect((await resolveActor({ cookie: sessionCookie.split(';')[0] }, false)).actor?.id).toBe(cs.id)
		} finally {
			await google.stop()
		}
	})

	it('sends a foreign return address home', async () => {
		await person('admin', 'Admin', { email: 'aiko@example.test' })
		const { state, query } = await throughProvider('aiko@example.test', '//evil.example/')
		expect((await finish(query, state)).returnTo).toBe('/')
	})

	it('refuses a callback this browser did not start, an unknown state and a replayed one', async () => {
		const cs = await person('cs', 'CS', { email: 'mika@example.test' })
		const { state, query } = await throughProvider('mika@example.test')
		expect(await refusal(finish(query, null))).toEqual({ status: 400, message: INVALID_STATE })
		expect(await refusal(finish(query, 'another-browsers-state'))).toEqual({ status: 400, message: INVALID_STATE })
		const forged = new URLSearchParams(query)
		forged.set('state', 'made-up')
		expect(await refusal(finish(forged, 'made-up'))).toEqual({ status: 400, message: INVALID_STATE })
		forged.set('state', 'nul\u0000byte')
		expect(await refusal(finish(forged, 'nul\u0000byte'))).toEqual({ status: 400, message: INVALID_STATE })
		await finish(query, state)
		expect(await refusal(finish(query, state))).toEqual({ status: 400, message: INVALID_STATE })
		expect(await sessionsOf(cs.id)).toBe(1)
	})

	it('refuses a sign-in finished more than ten minutes after it started', async () => {
		const cs = await person('cs', 'CS', { email: 'late@example.test' })
		const { state, query } = await throughProvider('late@example.test')
		expect(await refusal(finish(query, state, new Date(Date.now() + SIGN_IN_TTL_MS + 60_000)))).toEqual({ status: 400, message: EXPIRED_STATE })
		expect(await sessionsOf(cs.id)).toBe(0)
	})

	it("refuses an ID token whose nonce is not the one this sign-in sent", async () => {
		const cs = await person('cs', 'CS', { email: 'nonce@example.test' })
		const { state, query } = await throughProvider('nonce@example.test')
		await db.update(oidcSignIns).set({ nonce: 'another-sign-ins-nonce' }).where(eq(oidcSignIns.state, state))
		expect(await refusal(finish(query, state))).toEqual({ status: 400, message: UNCHECKED_ANSWER })
		expect(await sessionsOf(cs.id)).toBe(0)
	})

	it('refuses a code exchanged without this sign-in’s PKCE verifier', async () => {
		await person('cs', 'CS', { email: 'pkce@example.test' })
		const { state, query } = await throughProvider('pkce@example.test')
		await db.update(oidcSignIns).set({ codeVerifier: 'x'.repeat(43) }).where(eq(oidcSignIns.state, state))
		expect(await refusal(finish(query, state))).toEqual({ status: 400, message: UNCHECKED_ANSWER })
	})

	it('refuses when the provider reports an error', async () => {
		const { state } = await startOidcSignIn(oidc, { redirectUri, returnTo: '/' })
		const query = new URLSearchParams({ state, error: 'access_denied' })
		expect(await refusal(finish(query, state))).toEqual({ status: 400, message: PROVIDER_REFUSED })
	})

	it('refuses an address the provider has not verified, an unknown one and a suspended person', async () => {
		const cs = await person('cs', 'CS', { email: 'sho@example.test' })
		const unverified = await throughProvider('unverified:sho@example.test')
		expect(await refusal(finish(unverified.query, unverified.state))).toEqual({ status: 400, message: UNVERIFIED_EMAIL })

		const stranger = await throughProvider('stranger@example.test')
		expect(await refusal(finish(stranger.query, stranger.state))).toEqual({ status: 400, message: UNKNOWN_PERSON })

		await db.update(users).set({ suspendedAt: new Date() }).where(eq(users.id, cs.id))
		const suspended = await throughProvider('sho@example.test')
		expect(await refusal(finish(suspended.query, suspended.state))).toEqual({ status: 403, message: SUSPENDED })
		expect(await sessionsOf(cs.id)).toBe(0)
	})

	it('binds a sign-in to the browser with a __Host- cookie over https, which a sibling subdomain cannot set', () => {
		const secure = stateCookie('s1', true).split('; ')
		expect(stateCookieName(true)).toBe('__Host-kz_oidc_state')
		expect(secure[0]).toBe('__Host-kz_oidc_state=s1')
		expect(secure).toEqual(expect.arrayContaining(['Path=/', 'Secure', 'HttpOnly', 'SameSite=Lax', 'Max-Age=600']))
		expect(secure.some((part) => /^domain=/i.test(part))).toBe(false)
		// Over plain http (a browser ignores a __Host- cookie without Secure) it keeps its own name and path.
		const plain = stateCookie('s1', false).split('; ')
		expect(stateCookieName(false)).toBe('kz_oidc_state')
		expect(plain[0]).toBe('kz_oidc_state=s1')
		expect(plain).toEqual(expect.arrayContaining(['Path=/auth/oidc', 'HttpOnly', 'SameSite=Lax']))
		expect(plain).not.toContain('Secure')
		expect(stateCookie('', true).split('; ')).toEqual(expect.arrayContaining(['__Host-kz_oidc_state=', 'Max-Age=0', 'Path=/', 'Secure']))
	})

	it('removes sign-ins left unfinished for longer than ten minutes when the next one starts', async () => {
		const long = new Date(Date.now() - SIGN_IN_TTL_MS - 1000)
		await db.insert(oidcSignIns).values({ state: 'abandoned', nonce: 'n', codeVerifier: 'v', returnTo: '/', createdAt: long })
		const { state } = await startOidcSignIn(oidc, { redirectUri, returnTo: '/' })
		expect((await db.select({ state: oidcSignIns.state }).from(oidcSignIns)).map((row) => row.state)).toEqual([state])
	})
})
