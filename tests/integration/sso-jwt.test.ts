import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { eq, sql } from 'drizzle-orm'
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose'
import { beforeEach, describe, expect, it } from 'vitest'
import { createAccount } from '../../app/accounts/accounts.server'
import { accountFormSchema } from '../../app/accounts/validation'
import { authenticate, insertUser, signUp } from '../../app/auth/users.server'
import { startSession, SUSPENDED } from '../../app/auth/session.server'
import { readSetting } from '../../app/settings/settings.server'
import { productLoginUrl } from '../../app/sso/config.server'
import { verifySsoToken } from '../../app/sso/jwt.server'
import { checkPasswordSignIn } from '../../app/settings/password-sign-in.server'
import { saveSsoSettings, signInPage, ssoOverview } from '../../app/sso/settings.server'
import { ssoSettingsSchema } from '../../app/sso/validation'
import { signInWithJwt } from '../../app/sso/sign-in.server'
import { asDomainError } from '../../app/utils/errors.server'
import { safeRedirect } from '../../app/utils/redirect'
import { db } from '../../db/client.server'
import { accounts, auditEvents, sessions, ssoTokenUses, users } from '../../db/schema'
import { person } from '../support/factories'
import { giveHistory, historyAccounts } from '../support/history'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'

const SECRET = 'a-shared-secret-of-at-least-32-characters!'
const secretKey = new TextEncoder().encode(SECRET)
// Every token is checked at this instant, so the tests never depend on the machine's clock.
const NOW = new Date('2026-11-30T09:00:00Z')
const at = (secondsFromNow: number) => Math.floor(NOW.getTime() / 1000) + secondsFromNow

type Claims = Record<string, unknown>
const baseClaims = (overrides: Claims = {}): Claims => ({ sub: 'product-user-1', email: 'aiko@customer.test', name: 'Aiko Tanaka', jti: crypto.randomUUID(), iat: at(0), exp: at(300), ...overrides })

/** A token as the product signs it; `undefined` in `claims` leaves that claim out. */
async function hs256(overrides: Claims = {}, options: { alg?: string; key?: Uint8Array; typ?: string } = {}) {
	const claims = Object.fromEntries(Object.entries(baseClaims(overrides)).filter(([, value]) => value !== undefined))
	return new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? 'HS256', ...(options.typ ? { typ: options.typ } : {}) }).sign(options.key ?? secretKey)
}

const keys = { secret: SECRET }
// This community's origin, which a token's `aud` must name when it has one.
const SITE = 'https://community.example.test'
const signIn = (token: string, config: { secret?: string; jwksUrl?: string } = keys, now = NOW) => signInWithJwt(token, config, { fallbackLocale: 'en', audience: SITE }, now)
const userRow = async (id: string) => (await db.select().from(users).where(eq(users.id, id)))[0]!
const reasonOf = async (promise: Promise<unknown>) => {
	const error = await refusal(promise)
	expect(error.status).toBeLessThan(500)
	return error.message
}
const countOf = async (table: typeof users | typeof ssoTokenUses | typeof accounts) => (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n

const accountIdOf = async (externalId: string) => (await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.externalId, externalId)))[0]?.id ?? null

/** The unsigned token some libraries accept: built by hand, as no signing library makes one. */
function unsignedToken(claims: Claims) {
	const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
	return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`
}

describe('JWT single sign-on: refusals', () => {
	beforeEach(async () => {
		await resetData()
		await person('admin')
	})

	it('refuses expired, too long-lived, undated and future-issued tokens, allowing 30 s of clock skew', async () => {
		expect(await reasonOf(signIn(await hs256({ exp: at(-60) })))).toBe('This sign-in link has expired: sign in again from the product')
		expect(await reasonOf(signIn(await hs256({ exp: at(601 + 30) })))).toBe('The sign-in token is valid for more than 10 minutes (exp): it must be short-lived')
		expect(await reasonOf(signIn(await hs256({ exp: undefined })))).toBe('The sign-in token has no expiry time (exp)')
		expect(await reasonOf(signIn(await hs256({ iat: at(31) })))).toBe("The sign-in token was issued in the future (iat): check the product's clock")
		// Within the tolerance: a product clock 20 s ahead, a token just expired 20 s ago by ours.
		await signIn(await hs256({ iat: at(20), exp: at(620) }))
		await signIn(await hs256({ sub: 'other', email: 'other@customer.test', exp: at(-20) }))
		expect(await countOf(users)).toBe(3)
	})

	it('refuses a wrong key, alg none and algorithms not configured for the key', async () => {
		expect(await reasonOf(signIn(await hs256({}, { key: new TextEncoder().encode('another-secret-of-at-least-32-characters') })))).toBe(
			"The sign-in token's signature does not match this community's key",
		)
		expect(await reasonOf(signIn(unsignedToken(baseClaims())))).toBe('Unsigned sign-in tokens (alg "none") are refused')
		expect(await reasonOf(signIn(await hs256({}, { alg: 'HS512' })))).toBe('This community does not accept sign-in tokens signed with this algorithm: HS512')
		const { privateKey } = await generateKeyPair('RS256')
		const rsa = await new SignJWT(baseClaims()).setProtectedHeader({ alg: 'RS256' }).sign(privateKey)
		expect(await reasonOf(signIn(rsa))).toBe('This community does not accept sign-in tokens signed with this algorithm: RS256')
		// An HS256 token when only a key set is configured: the secret of someone else's setup must not open this one.
		expect(await reasonOf(signIn(await hs256(), { jwksUrl: 'http://127.0.0.1:9/jwks.json' }))).toBe('This community does not accept sign-in tokens signed with this algorithm: HS256')
		expect(await reasonOf(signIn('not.a.token'))).toBe('The sign-in token is malformed')
		expect(await reasonOf(signIn('x'.repeat(9000)))).toBe('The sign-in token is too long')
		expect(await reasonOf(signIn(''))).toBe('The sign-in link has no token')
		expect((await refusal(signIn(await hs256(), {}))).status).toBe(404)
		expect(await countOf(users)).toBe(1)
		expect(await countOf(ssoTokenUses)).toBe(0)
	})

	it('refuses a token meant for another site (aud) or of another type (typ)', async () => {
		expect(await reasonOf(signIn(await hs256({ aud: 'other' })))).toBe(
			'The sign-in token is meant for another site (aud); it must name this community: https://community.example.test',
		)
		expect(await reasonOf(signIn(await hs256({ aud: ['https://idp.example.test', 'api://default'] })))).toContain('(aud)')
		expect(await reasonOf(signIn(await hs256({ aud: 'https://community.example.test.evil.test' })))).toContain('(aud)')
		expect(await reasonOf(signIn(await hs256({}, { typ: 'at+jwt' })))).toBe(
			'This is not a sign-in token (its type, typ, is not JWT): the product must sign one for this community',
		)
		expect(await countOf(users)).toBe(1)
		// Naming this community, alone or among others, or leaving `aud` out as most products do, is fine.
		await signIn(await hs256({ aud: SITE }, { typ: 'JWT' }))
		await signIn(await hs256({ aud: [`${SITE}/`, 'https://elsewhere.test'] }, { typ: 'application/jwt' }))
		await signIn(await hs256())
		expect(await countOf(users)).toBe(2)
	})

	it('refuses a replayed token id and a token without one', async () => {
		const token = await hs256({ jti: 'once-only' })
		await signIn(token)
		expect(await reasonOf(signIn(token))).toBe('This sign-in link was already used: sign in again from the product')
		expect(await reasonOf(signIn(await hs256({ jti: undefined })))).toBe('The sign-in token has no id (jti), so it could be used twice')
		// Presented twice at once (a double click, a replay racing the person): one sign-in, one refusal.
		const raced = await hs256({ sub: 'racer', email: 'racer@customer.test' })
		const outcomes = await Promise.allSettled([signIn(raced), signIn(raced), signIn(raced)])
		expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected', 'rejected'])
		expect(await db.select({ id: users.id }).from(users).where(eq(users.ssoSubject, 'racer'))).toHaveLength(1)
		// Two links of one new product user at once (two tabs): both sign in, as one person.
		const tabs = await Promise.all([signIn(await hs256({ sub: 'two-tabs', email: 'tabs@customer.test' })), signIn(await hs256({ sub: 'two-tabs', email: 'tabs@customer.test' }))])
		expect(tabs[0].userId).toBe(tabs[1].userId)
	})

	it('refuses missing or odd claims, writing nothing', async () => {
		expect(await reasonOf(signIn(await hs256({ sub: undefined })))).toBe('The sign-in token does not say who the person is (sub)')
		expect(await reasonOf(signIn(await hs256({ sub: 42 })))).toBe('The sign-in token does not say who the person is (sub)')
		expect(await reasonOf(signIn(await hs256({ sub: 's'.repeat(256) })))).toBe("The person's id in the sign-in token (sub) can have at most 255 characters")
		expect(await reasonOf(signIn(await hs256({ email: undefined })))).toBe('The sign-in token has no email address (email)')
		expect(await reasonOf(signIn(await hs256({ email: 'not an address' })))).toBe('The email address in the sign-in token is not valid')
		expect(await reasonOf(signIn(await hs256({ email: `${'a'.repeat(250)}@x.test` })))).toBe('The email address in the sign-in token is not valid')
		expect(await reasonOf(signIn(await hs256({ account: 'acme' })))).toBe('The account in the sign-in token must be an object with an externalId')
		expect(await reasonOf(signIn(await hs256({ account: { name: 'Acme' } })))).toBe('account.externalId: Enter the CRM id')
		expect(await reasonOf(signIn(await hs256({ account: { externalId: 'a/../b' } })))).toBe('account.externalId: The CRM id can only contain letters, numbers, dots, dashes, underscores and colons')
		expect(await reasonOf(signIn(await hs256({ account: { externalId: 'acme', name: 'n'.repeat(201) } })))).toBe(
			'account.name: The account name in the sign-in token can have at most 200 characters',
		)
		expect(await reasonOf(signIn(await hs256({ account: { externalId: 'acme', plan: 'p'.repeat(101) } })))).toBe(
			'account.plan: The account plan in the sign-in token can have at most 100 characters',
		)
		expect(await reasonOf(signIn(await hs256({ account: { externalId: 'acme', plan: 3 } })))).toBe('account.plan: The account name and plan in the sign-in token must be text')
		expect(await reasonOf(signIn(await hs256({ name: 'n'.repeat(1001) })))).toBe('The name in the sign-in token can have at most 1000 characters')
		expect(await reasonOf(signIn(await hs256({ locale: 'l'.repeat(36) })))).toBe('The locale in the sign-in token can have at most 35 characters')
		expect(await countOf(users)).toBe(1)
		expect(await countOf(accounts)).toBe(0)
	})

	it('sends people only to paths on this site', () => {
		for (const foreign of ['//evil.com', 'https://evil.com', '/\\evil.com', 'javascript:alert(1)', '/\t/evil.com', '', 'x'.repeat(3000)]) expect(safeRedirect(foreign)).toBe('/')
		expect(safeRedirect('/questions/12?tab=answers#a3')).toBe('/questions/12?tab=answers#a3')
	})

	it('refuses a suspended person, spending the token and changing nothing else', async () => {
		const first = await signIn(await hs256())
		await db.update(users).set({ suspendedAt: NOW }).where(eq(users.id, first.userId))
		const token = await hs256({ name: 'Renamed', email: 'renamed@customer.test', account: { externalId: 'acme' } })
		const error = await refusal(signIn(token))
		expect(error).toMatchObject({ status: 403, message: SUSPENDED })
		expect(await userRow(first.userId)).toMatchObject({ displayName: 'Aiko Tanaka', email: 'aiko@customer.test', accountId: null })
		expect(await countOf(accounts)).toBe(0)
		// Restored later, the person still cannot use that token again.
		await db.update(users).set({ suspendedAt: null }).where(eq(users.id, first.userId))
		expect(await reasonOf(signIn(token))).toBe('This sign-in link was already used: sign in again from the product')
	})

	it('refuses an email another person has, and staff addresses not linked yet', async () => {
		const linked = await signIn(await hs256())
		const other = await person('member', 'Other', { email: 'other@customer.test' })
		expect(await reasonOf(signIn(await hs256({ email: 'OTHER@customer.test' })))).toBe('Another person here already uses the email address in the sign-in token')
		expect((await userRow(linked.userId)).email).toBe('aiko@customer.test')

		const admin = await person('admin', 'Boss', { email: 'boss@company.test' })
		expect(await reasonOf(signIn(await hs256({ sub: 'attacker', email: 'boss@company.test' })))).toBe('This email address belongs to a staff account here: staff use the staff sign-in')
		expect((await userRow(admin.id)).ssoSubject).toBeNull()
		await db.update(users).set({ ssoSubject: 'someone-else' }).where(eq(users.id, other.id))
		expect(await reasonOf(signIn(await hs256({ sub: 'product-user-2', email: 'other@customer.test' })))).toBe(
			'This email address belongs to a person here who signs in as another user of the product',
		)
	})
})

describe('JWT single sign-on: who signs in', () => {
	beforeEach(async () => {
		await resetData()
		await person('admin')
	})

	it('creates a customer without a password, verified, in their language, and finds them by sub afterwards', async () => {
		const created = await signIn(await hs256({ locale: 'ja-JP' }))
		expect(created.locale).toBe('ja')
		const row = await userRow(created.userId)
		expect(row).toMatchObject({ email: 'aiko@customer.test', displayName: 'Aiko Tanaka', role: 'member', passwordHash: null, ssoSubject: 'product-user-1', locale: 'ja', handle: 'aiko_tanaka' })
		expect(row.emailVerifiedAt).toEqual(NOW)
		expect(await authenticate('aiko@customer.test', '')).toBeNull()

		// Name and email follow the product each time; found by sub whatever the email says now.
		const again = await signIn(await hs256({ name: 'Aiko Sato', email: 'aiko.sato@customer.test', locale: 'de' }))
		expect(again).toEqual({ userId: created.userId, locale: null })
		expect(await userRow(created.userId)).toMatchObject({ displayName: 'Aiko Sato', email: 'aiko.sato@customer.test', locale: 'ja' })
		expect(await countOf(users)).toBe(2)
	})

	it('finds a verified customer by email and links them; takes over an unconfirmed sign-up, ending its ways in', async () => {
		const verified = await person('member', 'Ben', { email: 'ben@customer.test' })
		const found = await signIn(await hs256({ sub: 'ben-in-product', email: 'BEN@customer.test', name: undefined }))
		expect(found.userId).toBe(verified.id)
		expect(await userRow(verified.id)).toMatchObject({ ssoSubject: 'ben-in-product', displayName: verified.displayName, email: 'BEN@customer.test' })

		// Someone registered this address here without proving it; the product vouches for its owner.
		const squatter = await signUp({ email: 'carla@customer.test', password: 'correct horse battery', displayName: 'Carla?' })
		await startSession(squatter.id, false)
		const taken = await signIn(await hs256({ sub: 'carla-in-product', email: 'carla@customer.test', name: 'Carla' }))
		expect(taken.userId).toBe(squatter.id)
		const row = await userRow(squatter.id)
		expect(row).toMatchObject({ passwordHash: null, displayName: 'Carla', ssoSubject: 'carla-in-product' })
		expect(row.emailVerifiedAt).toEqual(NOW)
		expect(await db.select().from(sessions).where(eq(sessions.userId, squatter.id))).toEqual([])
		expect(await authenticate('carla@customer.test', 'correct horse battery')).toBeNull()
	})

	it('puts the person in the account the token names, creating it, and moves what they did with them', async () => {
		const cs = await person('cs')
		// Without an account claim, the domain rule places a new customer as sign-up does.
		await createAccount(cs, accountFormSchema.parse({ externalId: 'by-domain', name: 'By Domain', phase: 'adoption', domains: 'customer.test' }))
		const first = await signIn(await hs256())
		const byDomain = await accountIdOf('by-domain')
		expect((await userRow(first.userId)).accountId).toBe(byDomain)
		await giveHistory(first.userId)
		expect((await historyAccounts(first.userId)).events).toEqual([byDomain])

		await signIn(await hs256({ account: { externalId: 'acme-42', name: 'Acme KK', plan: 'Enterprise' } }))
		const acme = (await db.select().from(accounts).where(eq(accounts.externalId, 'acme-42')))[0]!
		expect(acme).toMatchObject({ name: 'Acme KK', plan: 'Enterprise', phase: 'onboarding' })
		expect((await userRow(first.userId)).accountId).toBe(acme.id)
		expect(await historyAccounts(first.userId)).toEqual({ events: [acme.id], journeys: [acme.id] })

		// An existing account is joined as CS keep it (its name is not the product's to change); the name falls back to the id.
		await signIn(await hs256({ account: { externalId: 'acme-42', name: 'Renamed by product' } }))
		expect((await db.select().from(accounts).where(eq(accounts.externalId, 'acme-42')))[0]!.name).toBe('Acme KK')
		const second = await signIn(await hs256({ sub: 'p2', email: 'dan@gmail.test', account: { externalId: 'initech' } }))
		const initech = (await db.select().from(accounts).where(eq(accounts.externalId, 'initech')))[0]!
		expect(initech.name).toBe('initech')
		expect((await userRow(second.userId)).accountId).toBe(initech.id)
		// Without the claim next time, the person stays where they are.
		await signIn(await hs256({ sub: 'p2', email: 'dan@gmail.test' }))
		expect((await userRow(second.userId)).accountId).toBe(initech.id)
	})

	it('refuses a person linked to the product user who is staff now, writing nothing but the spent token', async () => {
		const first = await signIn(await hs256({ sub: 'staff-in-product', email: 'eve@company.test' }))
		await db.update(users).set({ role: 'cs' }).where(eq(users.id, first.userId))
		const before = await userRow(first.userId)
		const token = await hs256({ sub: 'staff-in-product', email: 'eve@company.test', name: 'Eve', account: { externalId: 'acme' }, jti: 'staff-try' })
		expect(await reasonOf(signIn(token))).toBe('This person is staff here: staff use the staff sign-in')
		expect(await userRow(first.userId)).toEqual(before)
		expect(await countOf(accounts)).toBe(0)
		expect(await db.select().from(sessions).where(eq(sessions.userId, first.userId))).toEqual([])
		expect(await db.select({ jti: ssoTokenUses.jti }).from(ssoTokenUses).where(eq(ssoTokenUses.jti, 'staff-try'))).toHaveLength(1)
	})

	it('ends a race for one new address as a refusal, never a failure', async () => {
		// Two product users with the same address arriving at once: one is created, the other is told why not.
		const outcomes = await Promise.allSettled([1, 2, 3].map(async (n) => signIn(await hs256({ sub: `racer-${n}`, email: 'shared@customer.test' }))))
		expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1)
		for (const outcome of outcomes) if (outcome.status === 'rejected') expect((outcome.reason as { status?: number }).status).toBeLessThan(500)
		expect(await db.select({ id: users.id }).from(users).where(eq(users.email, 'shared@customer.test'))).toHaveLength(1)
	})

	it('turns a product user linked twice at once (past the lock) into a conflict, not a failure', async () => {
		const twin = (email: string) => db.transaction((tx) => insertUser(tx, { email, password: null, displayName: 'Twin', role: 'member', verifiedAt: NOW, ssoSubject: 'twin' }))
		await twin('twin-1@customer.test')
		const error = await twin('twin-2@customer.test').then(() => null, (failure: unknown) => failure)
		expect(asDomainError(error)).toMatchObject({ status: 409, message: 'You were signed in from the product twice at the same moment: please try again' })
	})

	it('verifies RS256 and ES256 tokens against the product’s key set, and refuses unknown key ids', async () => {
		const rsa = await generateKeyPair('RS256')
		const ec = await generateKeyPair('ES256')
		const jwks = { keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256' }, { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256' }] as JWK[] }
		const server = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)))
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
		try {
			const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`
			const sign = (alg: string, kid: string, key: CryptoKey, claims: Claims = {}) => new SignJWT(baseClaims(claims)).setProtectedHeader({ alg, kid }).sign(key)
			const viaRsa = await signIn(await sign('RS256', 'rsa-1', rsa.privateKey), { jwksUrl })
			const viaEc = await signIn(await sign('ES256', 'ec-1', ec.privateKey), { jwksUrl })
			expect(viaEc.userId).toBe(viaRsa.userId)
			const stranger = await generateKeyPair('ES256')
			expect(await reasonOf(signIn(await sign('ES256', 'ec-1', stranger.privateKey), { jwksUrl }))).toBe("The sign-in token's signature does not match this community's key")
			expect(await reasonOf(signIn(await sign('ES256', 'ec-9', stranger.privateKey), { jwksUrl }))).toBe("No key the product publishes matches the sign-in token's key id (kid)")
			// Both configured: each algorithm goes to its own kind of key.
			await signIn(await hs256(), { secret: SECRET, jwksUrl })
			await signIn(await sign('RS256', 'rsa-1', rsa.privateKey), { secret: SECRET, jwksUrl })
		} finally {
			await new Promise((resolve) => server.close(resolve))
		}
		// A key set that cannot be fetched is an outage, not the person's fault.
		const { privateKey } = await generateKeyPair('RS256')
		const closed = http.createServer()
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
		const closedPort = (closed.address() as AddressInfo).port
		await new Promise((resolve) => closed.close(resolve))
		const down = await refusal(signIn(await new SignJWT(baseClaims()).setProtectedHeader({ alg: 'RS256', kid: 'k' }).sign(privateKey), { jwksUrl: `http://127.0.0.1:${closedPort}/jwks.json` }))
		expect(down).toMatchObject({ status: 503, message: "The product's signing keys could not be fetched: try again in a minute" })
	})

	it('forgets spent token ids once they have expired', async () => {
		await signIn(await hs256({ jti: 'old', exp: at(60) }))
		expect(await countOf(ssoTokenUses)).toBe(1)
		const later = new Date(NOW.getTime() + 10 * 60_000)
		await signIn(await hs256({ jti: 'new', iat: at(600), exp: at(900) }), keys, later)
		expect((await db.select({ jti: ssoTokenUses.jti }).from(ssoTokenUses)).map((row) => row.jti)).toEqual(['new'])
	})

	it('checks the claims alone, with the clock passed in', async () => {
		const claims = await verifySsoToken(await hs256({ account: { externalId: 'acme', plan: 'Pro' }, locale: 'en' }), keys, SITE, NOW)
		expect(claims).toMatchObject({ sub: 'product-user-1', email: 'aiko@customer.test', locale: 'en', account: { externalId: 'acme', plan: 'Pro' } })
		expect(await reasonOf(verifySsoToken(await hs256(), keys, SITE, new Date(NOW.getTime() + 3600_000)))).toBe('This sign-in link has expired: sign in again from the product')
	})
})

describe('Sign-in with the product’s login page', () => {
	const config = { secret: SECRET, loginUrl: 'https://app.product.test/login?from=community' }

	beforeEach(async () => {
		await resetData()
	})

	it('sends customers to the product with the path to come back to, and staff to their form while the admin allows it', async () => {
		expect(await signInPage({ secret: SECRET }, { staff: false, returnTo: '/faq' })).toEqual({ form: 'everyone' })
		expect(await signInPage(config, { staff: false, returnTo: '/questions/3?x=1' })).toEqual({
			redirect: 'https://app.product.test/login?from=community&return_to=%2Fquestions%2F3%3Fx%3D1',
		})
		expect(productLoginUrl(config.loginUrl, '/')).toBe('https://app.product.test/login?from=community&return_to=%2F')
		expect(await signInPage(config, { staff: true, returnTo: '/' })).toEqual({ form: 'staff' })

		const admin = await person('admin')
		const member = await person('member')
		await checkPasswordSignIn(member.role, undefined)
		expect((await refusal(checkPasswordSignIn(member.role, config.loginUrl))).message).toBe('Customers sign in through the product: use "Sign in" there')
		await checkPasswordSignIn(admin.role, config.loginUrl)

		const refused = await refusal(saveSsoSettings(admin, ssoSettingsSchema.parse({}), { staffSignInElsewhere: false }))
		expect(refused.message).toBe('Staff would have no way to sign in: set up OpenID Connect for staff before turning passwords off')
		expect(await readSetting(db, 'sso')).toEqual({ staffPasswords: true })
		await saveSsoSettings(admin, ssoSettingsSchema.parse({}), { staffSignInElsewhere: true })
		expect(await signInPage(config, { staff: true, returnTo: '/' })).toEqual({ form: 'closed' })
		expect((await refusal(checkPasswordSignIn(admin.role, config.loginUrl))).message).toBe('Password sign-in is turned off for staff: use the staff sign-in of your company')
		await saveSsoSettings(admin, ssoSettingsSchema.parse({ staffPasswords: 'on' }), { staffSignInElsewhere: false })
		await saveSsoSettings(admin, ssoSettingsSchema.parse({ staffPasswords: 'on' }), { staffSignInElsewhere: false })
		await checkPasswordSignIn(admin.role, config.loginUrl)

		// Each change is audited once, with what it was and became; saving the same value again is no change.
		const audit = await db.select().from(auditEvents).orderBy(auditEvents.id)
		expect(audit.map((entry) => [entry.action, entry.actorId, entry.details])).toEqual([
			['sso.settings_changed', admin.id, { staffPasswords: { from: true, to: false } }],
			['sso.settings_changed', admin.id, { staffPasswords: { from: false, to: true } }],
		])
	})

	it('shows admins what is set up, never the secret, and nobody else', async () => {
		const admin = await person('admin')
		const overview = await ssoOverview(admin, { ...config, jwksUrl: 'https://app.product.test/jwks.json' })
		expect(overview).toEqual({ secretSet: true, jwksUrl: 'https://app.product.test/jwks.json', loginUrl: config.loginUrl, settings: { staffPasswords: true } })
		expect(JSON.stringify(overview)).not.toContain(SECRET)
		expect((await refusal(ssoOverview(await person('cs'), config))).status).toBe(403)
		expect((await refusal(saveSsoSettings(null, { staffPasswords: true }, { staffSignInElsewhere: true }))).status).toBe(401)
		expect((await refusal(saveSsoSettings(await person('cs'), { staffPasswords: false }, { staffSignInElsewhere: true }))).status).toBe(403)
	})
})
