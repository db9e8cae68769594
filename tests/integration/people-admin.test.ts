import { and, desc, eq, sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { auditLog } from '../../app/audit/log.server'
import { actorForApiToken } from '../../app/auth/api-tokens.server'
import type { Actor } from '../../app/auth/permissions.server'
import { resolveActor, startSession, SUSPENDED } from '../../app/auth/session.server'
import { authenticate, signUp } from '../../app/auth/users.server'
import { changePerson, describeMe, searchPeople } from '../../app/people/admin.server'
import { createApiTokenFromCli, createOwnApiToken, listOwnApiTokens, revokeOwnApiToken, signOutEverywhere } from '../../app/people/api-tokens.server'
import { acceptInvitation, invitationFor, invitePerson } from '../../app/people/invitations.server'
import { requestPasswordReset, resetPassword } from '../../app/people/recovery.server'
import { signUpPerson } from '../../app/people/verification.server'
import { writeSetting } from '../../app/settings/settings.server'
import { loader as meApi } from '../../app/routes/api.v1.me'
import { action as personApi, loader as personApiGet } from '../../app/routes/api.v1.people.$id'
import { loader as peopleApi } from '../../app/routes/api.v1.people'
import { deleteWebhook, registerWebhook, setWebhookActive, webhookSchema } from '../../app/webhooks/webhooks.server'
import type { Lookup } from '../../app/utils/outbound.server'
import { db } from '../../db/client.server'
import { accounts, apiTokens, auditEvents, mails, sessions, users } from '../../db/schema'
import { apiToken, person, sessionCookie, unique } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'

const DAY = 24 * 60 * 60 * 1000

const auditRows = () => db.select().from(auditEvents).orderBy(desc(auditEvents.id))
const sessionsOf = async (who: { id: string }) => (await db.select().from(sessions).where(eq(sessions.userId, who.id))).length

async function inAccount(who: { id: string }, externalId: string, name: string) {
	const [account] = await db.insert(accounts).values({ externalId, name }).onConflictDoNothing().returning({ id: accounts.id })
	const id = account?.id ?? (await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.externalId, externalId)))[0]!.id
	await db.update(users).set({ accountId: id }).where(eq(users.id, who.id))
}

/** An API call as a route gets it from app/server/main.ts. */
const call = async (handler: (args: never) => Promise<Response> | Response, actor: Actor | null, url: string, init: RequestInit = {}, params: Record<string, string> = {}) => {
	const response = await handler({ request: new Request(`http://kizuna.test${url}`, init), context: { actor, locale: 'en' }, params } as never)
	return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}
const patch = (body: unknown) => ({ method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })

describe('people administration', () => {
	beforeEach(resetData)

	it('finds people by name, email, account name or account id, with a role filter, and never system people', async () => {
		const admin = await person('admin')
		const hanako = await person('member', 'member', { displayName: 'Hanako Sato', email: `${unique('hanako')}@acme.example` })
		const taro = await person('cs', 'cs', { displayName: 'Taro Cs' })
		await inAccount(hanako, 'crm-acme', 'Acme Corporation')
		await db.update(users).set({ isSystem: true }).where(eq(users.id, (await person('member', 'member', { displayName: 'Hanako Import' })).id))
		const names = async (filters: Parameters<typeof searchPeople>[1]) => (await searchPeople(admin, filters)).people.map((p) => p.displayName)
		expect(await names({ q: 'hanako' })).toEqual(['Hanako Sato'])
		expect(await names({ q: 'acme.example' })).toEqual(['Hanako Sato'])
		expect(await names({ q: 'Acme Corp' })).toEqual(['Hanako Sato'])
		expect(await names({ q: 'crm-acme' })).toEqual(['Hanako Sato'])
		expect(await names({ role: 'cs' })).toEqual([taro.displayName])
		// LIKE's wildcards are taken literally.
		expect(await names({ q: '%' })).toEqual([])
		const [found] = (await searchPeople(admin, { q: 'hanako' })).people
		expect(found).toEqual({ id: hanako.id, email: hanako.email, displayName: 'Hanako Sato', role: 'member', suspended: false, verified: true, signsInThroughProduct: false, account: { externalId: 'crm-acme', name: 'Acme Corporation' } })
	})

	it('gives staff roles only to a confirmed address, and shows who is unconfirmed or signs in through the product', async () => {
		const admin = await person('admin')
		// Someone registered the address of a colleague about to be hired, before the admin invited them.
		const squatter = await signUp({ email: `newhire-${unique('x')}@corp.example`, password: 'squatter password', displayName: 'New Hire' })
		await db.update(users).set({ ssoSubject: unique('product-user') }).where(eq(users.id, squatter.id))
		const invited = await refusal(invitePerson(admin, { email: squatter.email, displayName: 'New Hire', role: 'admin' }, { showLink: true }))
		expect(invited).toMatchObject({ status: 409, message: 'Someone signed up with this address but has not confirmed it: they must confirm it before they can become staff' })
		for (const role of ['cs', 'product', 'admin'] as const) {
			expect(await refusal(changePerson(admin, squatter.id, { role }))).toMatchObject({ status: 409, message: 'This person has not confirmed their email address: they must confirm it before they can become staff' })
		}
		expect((await db.select({ role: users.role }).from(users).where(eq(users.id, squatter.id)))[0]!.role).toBe('member')
		expect(await auditRows()).toEqual([])
		expect((await searchPeople(admin, { q: 'New Hire' })).people[0]).toMatchObject({ verified: false, signsInThroughProduct: true })
		// Once they confirm the address it is theirs, and they may become staff.
		await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, squatter.id))
		expect((await changePerson(admin, squatter.id, { role: 'cs' })).role).toBe('cs')
	})

	it('lets cs look but not change anything, and members not even look', async () => {
		const cs = await person('cs')
		const member = await person('member')
		expect((await searchPeople(cs, {})).people.length).toBe(2)
		expect((await refusal(searchPeople(member, {}))).status).toBe(403)
		expect((await refusal(changePerson(cs, member.id, { role: 'cs' }))).status).toBe(403)
		expect((await refusal(changePerson(cs, member.id, { suspended: true }))).status).toBe(403)
		expect((await refusal(invitePerson(cs, { email: 'new@example.test', displayName: 'New', role: 'cs' }, { showLink: true }))).status).toBe(403)
		expect(await auditRows()).toEqual([])
	})

	it('changes a role with its audit entry, from and to, in the same transaction', async () => {
		const admin = await person('admin')
		const member = await person('member')
		const changed = await changePerson(admin, member.id, { role: 'cs' })
		expect(changed.role).toBe('cs')
		const [entry] = await auditRows()
		expect(entry).toMatchObject({ actorId: admin.id, actorName: admin.displayName, action: 'person.role_changed', targetType: 'person', targetId: member.id, targetLabel: member.email, details: { from: 'member', to: 'cs' } })
		// The same role again changes nothing and records nothing.
		await changePerson(admin, member.id, { role: 'cs' })
		expect(await auditRows()).toHaveLength(1)
	})

	it('refuses an admin demoting or suspending themselves, and leaving the site without an active admin', async () => {
		const admin = await person('admin')
		const other = await person('admin')
		expect(await refusal(changePerson(admin, admin.id, { role: 'member' }))).toMatchObject({ status: 409, message: 'You cannot remove your own admin role: ask another admin' })
		expect(await refusal(changePerson(admin, admin.id, { suspended: true }))).toMatchObject({ status: 409, message: 'You cannot suspend yourself' })
		// Two admins demoting each other at once: the second finds no other admin left.
		await changePerson(admin, other.id, { role: 'member' })
		const stale: Actor = { ...other, role: 'admin' }
		expect(await refusal(changePerson(stale, admin.id, { role: 'cs' }))).toMatchObject({ status: 409, message: 'The site needs at least one admin who is not suspended: make someone else admin first' })
		expect(await refusal(changePerson(stale, admin.id, { suspended: true }))).toMatchObject({ status: 409 })
		expect((await db.select({ role: users.role }).from(users).where(eq(users.id, admin.id)))[0]!.role).toBe('admin')
		expect((await refusal(changePerson(admin, 'no-such-person', { role: 'cs' }))).status).toBe(404)
	})

	it('suspension refuses a live session (saying why) and an API token at once; restoring brings the token back, not the session', async () => {
		const admin = await person('admin')
		const member = await person('member')
		const cookie = await sessionCookie(member)
		const token = await apiToken(member)
		expect((await resolveActor({ cookie: `kz_session=${cookie}` }, false)).actor?.id).toBe(member.id)

		const suspended = await changePerson(admin, member.id, { suspended: true })
		expect(suspended.suspended).toBe(true)
		// Kept, so the open browser's every request is refused with the reason (app/server/main.ts) rather than looking signed out.
		expect(await resolveActor({ cookie: `kz_session=${cookie}` }, false)).toMatchObject({ actor: null, via: 'session', suspended: true })
		expect(await resolveActor({ cookie: `kz_session=${cookie}` }, false)).toMatchObject({ actor: null, via: 'session', suspended: true })
		expect(await sessionsOf(member)).toBe(1)
		expect(await resolveActor({ authorization: `Bearer ${token}` }, false)).toMatchObject({ actor: null, via: 'token', suspended: true })
		expect(await refusal(startSession(member.id, false))).toMatchObject({ status: 403, message: SUSPENDED })
		expect((await auditRows())[0]).toMatchObject({ action: 'person.suspended', targetId: member.id })

		await changePerson(admin, member.id, { suspended: false })
		expect((await actorForApiToken(token)).actor?.id).toBe(member.id)
		expect((await auditRows())[0]).toMatchObject({ action: 'person.restored', targetId: member.id })
		// The old session ends: restoring lets them sign in again, it does not sign them in.
		expect(await sessionsOf(member)).toBe(0)
		expect(await resolveActor({ cookie: `kz_session=${cookie}` }, false)).toMatchObject({ actor: null, via: null })
	})

	it('refuses a session started in the instant of a suspension', async () => {
		const member = await person('member')
		const cookie = await sessionCookie(member)
		// As if the session was written in the instant of the suspension.
		await db.update(users).set({ suspendedAt: new Date() }).where(eq(users.id, member.id))
		expect(await resolveActor({ cookie: `kz_session=${cookie}` }, false)).toMatchObject({ actor: null, via: 'session', suspended: true })
	})

	it('does not let a suspended person back in through a password reset', async () => {
		const admin = await person('admin')
		const member = await person('member')
		await changePerson(admin, member.id, { suspended: true })
		await requestPasswordReset(member.email)
		const [mail] = await db.select().from(mails).where(eq(mails.toAddress, member.email))
		const token = /\/reset-password\/([A-Za-z0-9_-]+)/.exec(mail!.textBody)![1]!
		const { userId } = await resetPassword(token, 'a brand new password', undefined)
		expect(await refusal(startSession(userId, false))).toMatchObject({ status: 403, message: SUSPENDED })
	})
})

describe('password sign-in with the product’s login page (KIZUNA_SSO_LOGIN_URL)', () => {
	beforeEach(resetData)
	const LOGIN_URL = 'https://app.product.test/login'
	const staffPasswords = (on: boolean) => db.transaction((tx) => writeSetting(tx, 'sso', { staffPasswords: on }))
	async function resetLink(who: { email: string }) {
		await requestPasswordReset(who.email)
		const [mail] = await db.select().from(mails).where(eq(mails.toAddress, who.email)).orderBy(desc(mails.id))
		return /\/reset-password\/([A-Za-z0-9_-]+)/.exec(mail!.textBody)![1]!
	}
	const passwordHash = async (who: { id: string }) => (await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, who.id)))[0]!.hash

	it('refuses a reset link to customers, and to staff while staff passwords are off, changing nothing', async () => {
		const member = await person('member')
		const cs = await person('cs')
		const [memberLink, csLink] = [await resetLink(member), await resetLink(cs)]
		const [memberHash, csHash] = [await passwordHash(member), await passwordHash(cs)]
		expect(await refusal(resetPassword(memberLink, 'a brand new password', LOGIN_URL))).toMatchObject({ status: 403, message: 'Customers sign in through the product: use "Sign in" there' })
		await staffPasswords(false)
		expect(await refusal(resetPassword(csLink, 'a brand new password', LOGIN_URL))).toMatchObject({ status: 403, message: 'Password sign-in is turned off for staff: use the staff sign-in of your company' })
		expect([await passwordHash(member), await passwordHash(cs)]).toEqual([memberHash, csHash])
		// The link was not used up: with passwords allowed again it works.
		await staffPasswords(true)
		expect(await resetPassword(csLink, 'a brand new password', LOGIN_URL)).toEqual({ userId: cs.id })
	})

	it('refuses accepting an invitation while staff passwords are off, leaving the link unused', async () => {
		const admin = await person('admin')
		const { link, id } = await invitePerson(admin, { email: `${unique('invitee')}@example.test`, displayName: 'Invitee', role: 'cs' }, { showLink: true })
		const token = link!.split('/').at(-1)!
		await staffPasswords(false)
		expect(await refusal(acceptInvitation(token, { displayName: 'Invitee', password: 'invitee password', locale: 'en' }, LOGIN_URL))).toMatchObject({ status: 403, message: 'Password sign-in is turned off for staff: use the staff sign-in of your company' })
		expect(await passwordHash({ id })).toBeNull()
		expect(await invitationFor(token)).toMatchObject({ displayName: 'Invitee' })
		await staffPasswords(true)
		expect((await acceptInvitation(token, { displayName: 'Invitee', password: 'invitee password', locale: 'en' }, LOGIN_URL)).userId).toBe(id)
	})

	it('refuses signing up with a password', async () => {
		const email = `${unique('joiner')}@example.test`
		expect(await refusal(signUpPerson({ email, password: 'joiner password', displayName: 'Joiner' }, 'en', LOGIN_URL))).toMatchObject({ status: 403, message: 'People join this community by signing in through the product' })
		expect(await db.select().from(users).where(eq(users.email, email))).toEqual([])
	})
})

describe('invitations', () => {
	beforeEach(resetData)

	it('creates the person without a password, queues the mail, records it, and shows the link when mail is not set up', async () => {
		const admin = await person('admin')
		const now = new Date('2026-11-01T10:00:00Z')
		const invited = await invitePerson(admin, { email: 'Colleague@Example.test', displayName: 'Col League', role: 'cs' }, { showLink: true, now })
		expect(invited.link).toMatch(/^https?:\/\/[^/]+\/invitations\/[A-Za-z0-9_-]{43}$/)
		const [row] = await db.select().from(users).where(eq(users.id, invited.id))
		expect(row).toMatchObject({ role: 'cs', passwordHash: null, emailVerifiedAt: null, displayName: 'Col League' })
		const [mail] = await db.select().from(mails).where(eq(mails.userId, invited.id))
		expect(mail).toMatchObject({ kind: 'invitation' })
		expect(mail!.textBody).toContain(invited.link!.replace(/^https?:\/\/[^/]+/, ''))
		expect((await auditRows())[0]).toMatchObject({ action: 'person.invited', targetId: invited.id, details: { role: 'cs' } })
		// With mail set up, the link is in the mail only.
		expect((await invitePerson(admin, { email: 'second@example.test', displayName: 'Second', role: 'product' }, { showLink: false, now })).link).toBeNull()
	})

	it('refuses an address already in use with a clear conflict', async () => {
		const admin = await person('admin')
		const member = await person('member')
		const error = await refusal(invitePerson(admin, { email: member.email.toUpperCase(), displayName: 'Again', role: 'cs' }, { showLink: true }))
		expect(error.status).toBe(409)
		expect(error.fieldErrors.email).toBe('Someone already uses this address: find them in the list and change their role instead')
		const { email } = await invitePerson(admin, { email: `${unique('invitee')}@example.test`, displayName: 'Invitee', role: 'cs' }, { showLink: true })
		expect(await refusal(invitePerson(admin, { email, displayName: 'Again', role: 'admin' }, { showLink: true }))).toMatchObject({ status: 409, message: 'This address is invited already: its invitation link works until it is used or expires' })
		expect(await db.select().from(users).where(eq(users.displayName, 'Again'))).toEqual([])
	})

	it('accepts once: name, password and language chosen, address confirmed; then the link is used', async () => {
		const admin = await person('admin')
		const now = new Date('2026-11-01T10:00:00Z')
		const { link, id } = await invitePerson(admin, { email: 'joiner@example.test', displayName: 'Joiner', role: 'cs' }, { showLink: true, now })
		const token = link!.split('/').at(-1)!
		expect(await invitationFor(token, now)).toMatchObject({ email: 'joiner@example.test', displayName: 'Joiner' })
		expect((await acceptInvitation(token, { displayName: 'Jo Iner', password: 'joiner password', locale: 'ja' }, undefined, new Date(now.getTime() + DAY))).userId).toBe(id)
		expect(await authenticate('joiner@example.test', 'joiner password')).toMatchObject({ id, role: 'cs', emailVerified: true, displayName: 'Jo Iner' })
		expect((await db.select({ locale: users.locale }).from(users).where(eq(users.id, id)))[0]!.locale).toBe('ja')
		expect(await refusal(acceptInvitation(token, { displayName: 'Again', password: 'another password', locale: 'en' }, undefined, now))).toMatchObject({ status: 409, message: 'This link has already been used: ask for a new one if you still need it' })
		expect((await refusal(invitationFor(token, now))).status).toBe(409)
	})

	it('expires after 7 days, and unknown links are refused', async () => {
		const admin = await person('admin')
		const now = new Date('2026-11-01T10:00:00Z')
		const { link } = await invitePerson(admin, { email: 'late@example.test', displayName: 'Late', role: 'cs' }, { showLink: true, now })
		const token = link!.split('/').at(-1)!
		const later = new Date(now.getTime() + 7 * DAY + 1000)
		expect(await refusal(acceptInvitation(token, { displayName: 'Late', password: 'late password', locale: 'en' }, undefined, later))).toMatchObject({ status: 409, message: 'This link has expired: ask for a new one' })
		expect((await refusal(invitationFor('A'.repeat(43), now))).status).toBe(404)
	})
})

describe('API tokens and sessions', () => {
	beforeEach(resetData)

	it('creates a named token shown once, lists and revokes one’s own, each audited without the token', async () => {
		const member = await person('member')
		const other = await person('member')
		const created = await createOwnApiToken(member, 'CRM export')
		expect(created.token).toMatch(/^kz_/)
		const stored = await db.select().from(apiTokens).where(eq(apiTokens.userId, member.id))
		expect(stored).toHaveLength(1)
		expect(JSON.stringify(stored)).not.toContain(created.token)
		expect((await actorForApiToken(created.token)).actor?.id).toBe(member.id)
		const [listed] = await listOwnApiTokens(member)
		expect(listed).toMatchObject({ id: created.id, name: 'CRM export' })
		expect(listed!.lastUsedAt).toBeInstanceOf(Date)
		expect(await listOwnApiTokens(other)).toEqual([])

		expect((await refusal(revokeOwnApiToken(other, created.id))).status).toBe(404)
		await revokeOwnApiToken(member, created.id)
		expect(await actorForApiToken(created.token)).toEqual({ actor: null, refused: 'unknown' })
		const entries = await auditRows()
		expect(entries.map((e) => e.action)).toEqual(['api_token.revoked', 'api_token.created'])
		expect(entries[1]).toMatchObject({ actorId: member.id, targetType: 'api_token', targetLabel: 'CRM export', details: { owner: member.id } })
		expect(JSON.stringify(entries)).not.toContain(created.token)
	})

	it('creates tokens from the command line, audited as the CLI', async () => {
		const member = await person('member')
		const created = await createApiTokenFromCli(member.id, 'Nightly sync')
		expect((await actorForApiToken(created.token)).actor?.id).toBe(member.id)
		expect((await auditRows())[0]).toMatchObject({ actorId: null, actorName: 'CLI', action: 'api_token.created', targetLabel: 'Nightly sync' })
		expect((await refusal(createApiTokenFromCli('nobody', 'x'))).status).toBe(404)
	})

	it('signs out everywhere: every session ends, tokens keep working, and it is recorded', async () => {
		const member = await person('member')
		const other = await person('member')
		const [first, second] = [await sessionCookie(member), await sessionCookie(member)]
		await sessionCookie(other)
		const token = await apiToken(member)
		await signOutEverywhere(member)
		for (const cookie of [first, second]) expect((await resolveActor({ cookie: `kz_session=${cookie}` }, false)).actor).toBeNull()
		expect(await sessionsOf(other)).toBe(1)
		expect((await actorForApiToken(token)).actor?.id).toBe(member.id)
		expect((await auditRows())[0]).toMatchObject({ action: 'person.signed_out_everywhere', actorId: member.id, targetId: member.id })
	})

	it('limits token and session changes per person, so nobody floods the audit log', async () => {
		const member = await person('member')
		const other = await person('member')
		const { id } = await createOwnApiToken(member, 'First')
		for (let i = 0; i < 14; i++) await createOwnApiToken(member, `Token ${i}`)
		for (let i = 0; i < 14; i++) await signOutEverywhere(member)
		await revokeOwnApiToken(member, id)
		expect(await auditRows()).toHaveLength(30)
		for (const attempt of [createOwnApiToken(member, 'One too many'), revokeOwnApiToken(member, id + 1), signOutEverywhere(member)]) {
			expect(await refusal(attempt)).toMatchObject({ status: 429, message: expect.stringMatching(/^You have changed your API tokens and sessions many times in a short time\. Try again in/) })
		}
		expect(await auditRows()).toHaveLength(30)
		// Counted per person.
		await createOwnApiToken(other, 'Unaffected')
	})
})

describe('audit log', () => {
	beforeEach(resetData)

	it('shows admins the newest first, filtered by action or by person; nobody else', async () => {
		const admin = await person('admin')
		const [a, b] = [await person('member'), await person('member')]
		const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1, 10, minutes))
		await changePerson(admin, a.id, { role: 'cs' }, at(1))
		await changePerson(admin, b.id, { suspended: true }, at(2))
		await createApiTokenFromCli(b.id, 'Script')
		const all = await auditLog(admin, {})
		expect(all.events.map((e) => e.action)).toEqual(['api_token.created', 'person.suspended', 'person.role_changed'])
		expect((await auditLog(admin, { action: 'person.suspended' })).events.map((e) => e.targetId)).toEqual([b.id])
		expect((await auditLog(admin, { person: b.id })).events.map((e) => e.action)).toEqual(['api_token.created', 'person.suspended'])
		expect((await auditLog(admin, { person: admin.id })).events).toHaveLength(2)
		expect((await refusal(auditLog(await person('cs'), {}))).status).toBe(403)
	})

	it('records webhook changes by host, never the secret', async () => {
		const admin = await person('admin')
		const lookup: Lookup = (_host, _options, callback) => callback(null, [{ address: '93.184.216.34', family: 4 }])
		const secret = 'a-shared-secret-of-32-characters'
		const { id } = await registerWebhook(admin, webhookSchema.parse({ url: 'https://hooks.example.com/kizuna?key=abc', secret, events: 'question.created' }), { lookup })
		await setWebhookActive(admin, id, false)
		// Pausing a paused webhook changes nothing, so it records nothing.
		await setWebhookActive(admin, id, false)
		await deleteWebhook(admin, id)
		const entries = await auditRows()
		expect(entries.map((e) => [e.action, e.targetLabel, e.targetId])).toEqual([
			['webhook.deleted', 'hooks.example.com', String(id)],
			['webhook.updated', 'hooks.example.com', String(id)],
			['webhook.created', 'hooks.example.com', String(id)],
		])
		expect(entries[1]!.details).toEqual({ active: false })
		expect(JSON.stringify(entries)).not.toContain(secret)
		expect(JSON.stringify(entries)).not.toContain('key=abc')
	})
})

describe('people API', () => {
	beforeEach(resetData)

	it('GET /api/v1/me answers who the caller is, exactly these keys; 401 without credentials', async () => {
		const member = await person('member')
		await inAccount(member, 'crm-1', 'One Inc')
		const me = await call(meApi, member, '/api/v1/me')
		expect(me.status).toBe(200)
		expect(me.body).toEqual({ id: member.id, email: member.email, displayName: member.displayName, role: 'member', language: 'en', account: { externalId: 'crm-1', name: 'One Inc' } })
		const admin = await person('admin')
		expect((await call(meApi, admin, '/api/v1/me')).body.account).toBeNull()
		expect(await call(meApi, null, '/api/v1/me')).toMatchObject({ status: 401, body: { error: expect.any(String) } })
		expect((await refusal(describeMe(null))).status).toBe(401)
	})

	it('GET /api/v1/people filters by exact address and account; admins only; bad parameters are a 400', async () => {
		const admin = await person('admin')
		const member = await person('member')
		await inAccount(member, 'crm-2', 'Two Inc')
		const byEmail = await call(peopleApi, admin, `/api/v1/people?email=${encodeURIComponent(member.email.toUpperCase())}`)
		expect(byEmail).toEqual({ status: 200, body: { people: [{ id: member.id, email: member.email, displayName: member.displayName, role: 'member', suspended: false, verified: true, signsInThroughProduct: false, account: { externalId: 'crm-2', name: 'Two Inc' } }] } })
		expect((await call(peopleApi, admin, '/api/v1/people?account=crm-2')).body.people).toHaveLength(1)
		expect((await call(peopleApi, admin, '/api/v1/people?account=crm-none')).body.people).toEqual([])
		// A partial address finds nobody: the filter is exact.
		expect((await call(peopleApi, admin, `/api/v1/people?email=${member.email.slice(0, 5)}`)).body.people).toEqual([])
		expect((await call(peopleApi, admin, '/api/v1/people')).body.people).toHaveLength(2)
		expect((await call(peopleApi, admin, '/api/v1/people?name=x')).status).toBe(400)
		expect((await call(peopleApi, admin, `/api/v1/people?email=${'x'.repeat(300)}`)).status).toBe(400)
		expect((await call(peopleApi, await person('cs'), '/api/v1/people')).status).toBe(403)
		expect((await call(peopleApi, member, '/api/v1/people')).status).toBe(403)
		expect((await call(peopleApi, null, '/api/v1/people')).status).toBe(401)
	})

	it('PATCH /api/v1/people/{id} changes role and suspension, audited; refuses unknown fields, empty bodies and unknown ids', async () => {
		const admin = await person('admin')
		const member = await person('member')
		const both = await call(personApi, admin, `/api/v1/people/${member.id}`, patch({ role: 'product', suspended: true }), { id: member.id })
		expect(both).toEqual({ status: 200, body: { id: member.id, email: member.email, displayName: member.displayName, role: 'product', suspended: true, verified: true, signsInThroughProduct: false, account: null } })
		expect((await auditRows()).map((e) => e.action)).toEqual(['person.suspended', 'person.role_changed'])
		expect((await call(personApi, admin, `/api/v1/people/${member.id}`, patch({ suspended: false }), { id: member.id })).body.suspended).toBe(false)

		expect((await call(personApi, admin, `/api/v1/people/${member.id}`, patch({ role: 'cs', email: 'x@example.test' }), { id: member.id })).status).toBe(400)
		expect((await call(personApi, admin, `/api/v1/people/${member.id}`, patch({}), { id: member.id })).status).toBe(400)
		expect((await call(personApi, admin, `/api/v1/people/${member.id}`, patch({ role: 'owner' }), { id: member.id })).status).toBe(400)
		expect((await call(personApi, admin, `/api/v1/people/${member.id}`, patch({ suspended: 'yes' }), { id: member.id })).status).toBe(400)
		expect((await call(personApi, admin, '/api/v1/people/nobody', patch({ role: 'cs' }), { id: 'nobody' })).status).toBe(404)
		expect((await call(personApi, admin, `/api/v1/people/${admin.id}`, patch({ role: 'member' }), { id: admin.id })).status).toBe(409)
		expect((await call(personApi, member, `/api/v1/people/${admin.id}`, patch({ role: 'member' }), { id: admin.id })).status).toBe(403)
		expect((await call(personApiGet, admin, `/api/v1/people/${member.id}`, {}, { id: member.id })).status).toBe(405)
		expect((await call(personApi, admin, `/api/v1/people/${member.id}`, { method: 'POST' }, { id: member.id })).status).toBe(405)
		const [row] = await db.select({ role: users.role }).from(users).where(and(eq(users.id, member.id), sql`true`))
		expect(row!.role).toBe('product')
	})
})
