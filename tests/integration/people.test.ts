import crypto from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { db } from '../../db/client.server'
import { authTokens, mails, users } from '../../db/schema'
import { lucia } from '../../app/auth/lucia.server'
import { startSession } from '../../app/auth/session.server'
import { authenticate, createUser } from '../../app/auth/users.server'
import { addMeToo, createAnswer, createQuestion, updateQuestion, vote } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { getProfile } from '../../app/people/profiles.server'
import { requestPasswordReset, resetPassword } from '../../app/people/recovery.server'
import { changePassword, getSettings, requestEmailChange, setLanguage, updateProfile } from '../../app/people/settings.server'
import { tokenState } from '../../app/people/tokens.server'
import { confirmEmail, resendVerification, signUpPerson } from '../../app/people/verification.server'
import { action as forgotPasswordForm } from '../../app/routes/forgot-password'
import { action as signUpForm } from '../../app/routes/signup'
import type { RequestContext } from '../../app/server/context'
import { importContent, person, PASSWORD, question } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'

const HOUR = 60 * 60 * 1000
let counter = 0
const fresh = (label: string) => `${label}-${Date.now().toString(36)}-${++counter}@example.test`
const newcomer = (email = fresh('newcomer'), locale: 'en' | 'ja' = 'en', now = new Date()) => signUpPerson({ email, password: PASSWORD, displayName: 'New Comer' }, locale, undefined, now)

/** The mails queued for an address, oldest first, as the outbox holds them. */
const mailsTo = (address: string) => db.select().from(mails).where(sql`lower(${mails.toAddress}) = lower(${address})`).orderBy(mails.id)

/** The token in the newest mail's link to `path` (the only place it exists in clear). */
async function linkToken(address: string, path: '/verify-email/' | '/reset-password/'): Promise<string> {
	const sent = await mailsTo(address)
	const text = sent.at(-1)?.textBody ?? ''
	// Absolute, even without KIZUNA_PUBLIC_URL: a mail is read away from the site.
	const token = new RegExp(`https?://[^\\s/]+${path}([A-Za-z0-9_-]+)`).exec(text)?.[1]
	if (!token) throw new Error(`No ${path} link in the mails to ${address}: ${text}`)
	return token
}

const context = (extra: Partial<RequestContext> = {}): RequestContext => ({
	actor: null,
	authVia: null,
	visitorId: crypto.randomUUID(),
	locale: 'en',
	secure: false,
	clientIp: `203.0.113.${++counter % 250}`,
	cspNonce: '',
	...extra,
})
const form = (fields: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(fields) })

describe('verification', () => {
	beforeEach(resetData)

	it('queues the link with the sign-up, in the person’s language, and stores only its hash', async () => {
		const email = fresh('ja')
		const created = await newcomer(email, 'ja')
		expect(created.emailVerified).toBe(false)
		const [row] = await db.select({ locale: users.locale }).from(users).where(eq(users.id, created.id))
		expect(row!.locale).toBe('ja')
		const [mail] = await mailsTo(email)
		expect(mail).toMatchObject({ kind: 'email_verification', locale: 'ja', status: 'queued', subject: expect.stringContaining('メールアドレスを確認') })
		const token = await linkToken(email, '/verify-email/')
		const stored = await db.select().from(authTokens).where(eq(authTokens.userId, created.id))
		expect(stored).toHaveLength(1)
		expect(stored[0]!.tokenHash).toBe(crypto.createHash('sha256').update(token).digest('hex'))
		const dump = JSON.stringify(await db.execute(sql`select * from auth_tokens`))
		expect(dump).not.toContain(token)
	})

	it('lets an unconfirmed person vote and say "me too" but not ask, answer or edit, with the reason', async () => {
		const asker = await person('member')
		const asked = await question(asker)
		const fresh = await newcomer()
		const input = questionSchema.parse({ title: 'Can I post yet please', body: 'Before confirming my address.' })
		const refused = await refusal(createQuestion(fresh, input))
		expect(refused.status).toBe(403)
		expect(refused.message).toBe('Confirm your email address first: we sent you a link')
		expect((await refusal(createAnswer(fresh, asked.id, 'An answer before confirming.'))).status).toBe(403)
		await vote(fresh, 'question', asked.id, 'up')
		expect(await addMeToo(fresh, asked.id)).toMatchObject({ count: 1 })
		expect(await db.select().from(mails).where(eq(mails.kind, 'notification'))).toHaveLength(0)
	})

	it('confirms once with the link, then the person can post; the link cannot be used again', async () => {
		const email = fresh('confirm')
		const created = await newcomer(email)
		const token = await linkToken(email, '/verify-email/')
		expect(await tokenState(token, 'email_verification')).toBe('valid')
		// Looking at the link's page (a mail scanner's prefetch) uses nothing up.
		expect(await tokenState(token, 'email_verification')).toBe('valid')
		expect(await confirmEmail(token)).toEqual({ userId: created.id, email, changed: false })
		const verified = { ...created, emailVerified: true }
		await expect(createQuestion(verified, questionSchema.parse({ title: 'Now I can post here', body: 'After confirming my address.' }))).resolves.toMatchObject({ id: expect.any(Number) })
		expect(await tokenState(token, 'email_verification')).toBe('used')
		const again = await refusal(confirmEmail(token))
		expect(again.status).toBe(409)
		expect(again.message).toMatch(/already been used/)
	})

	it('refuses expired and forged links with their reason, changing nothing', async () => {
		const signedUpAt = new Date('2026-03-01T10:00:00Z')
		const email = fresh('late')
		const created = await newcomer(email, 'en', signedUpAt)
		const token = await linkToken(email, '/verify-email/')
		const late = new Date(signedUpAt.getTime() + 48 * HOUR + 1)
		expect(await tokenState(token, 'email_verification', late)).toBe('expired')
		expect((await refusal(confirmEmail(token, late))).message).toBe('This link has expired: ask for a new one')
		for (const forged of ['x'.repeat(43), `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, '', '../../etc', '\u0000'.repeat(43)]) {
			expect(await tokenState(forged, 'email_verification')).toBe('unknown')
			expect((await refusal(confirmEmail(forged))).status).toBe(404)
		}
		const [row] = await db.select({ verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, created.id))
		expect(row!.verifiedAt).toBeNull()
	})

	it('sends a new link on request (the older one stops working), a few times an hour at most', async () => {
		const email = fresh('resend')
		const created = await newcomer(email)
		const first = await linkToken(email, '/verify-email/')
		await resendVerification(created)
		const second = await linkToken(email, '/verify-email/')
		expect(second).not.toBe(first)
		expect(await tokenState(first, 'email_verification')).toBe('used')
		expect(await tokenState(second, 'email_verification')).toBe('valid')
		for (let n = 2; n <= 5; n++) await resendVerification(created)
		expect((await refusal(resendVerification(created))).status).toBe(429)
		expect(await mailsTo(email)).toHaveLength(6)
		expect((await refusal(resendVerification(await person('member')))).status).toBe(409)
	})

	it('makes people created by the CLI (and the factories) verified; sign-ups through the form are not, the first one included', async () => {
		const staff = await createUser({ email: fresh('cli'), password: PASSWORD, displayName: 'Aoi', role: 'cs' })
		expect(staff.emailVerified).toBe(true)
		const email = fresh('first')
		const response = (await signUpForm({ request: new Request('http://localhost/signup', form({ email, password: PASSWORD, displayName: 'First', redirectTo: '/questions/ask' })), context: context({ locale: 'ja' }), params: {} })) as Response
		expect(response.status).toBe(302)
		expect(response.headers.get('location')).toBe('/questions/ask')
		expect(response.headers.get('set-cookie')).toContain('kz_welcome=admin')
		const [row] = await db.select({ role: users.role, verifiedAt: users.emailVerifiedAt, locale: users.locale }).from(users).where(eq(users.email, email))
		expect(row).toEqual({ role: 'admin', verifiedAt: null, locale: 'ja' })
		expect(await mailsTo(email)).toHaveLength(1)
	})

	it('sends sign-ups back only to paths on this site', async () => {
		const response = (await signUpForm({ request: new Request('http://localhost/signup', form({ email: fresh('evil'), password: PASSWORD, displayName: 'E', redirectTo: '/\t/evil.example' })), context: context(), params: {} })) as Response
		expect(response.headers.get('location')).toBe('/')
	})
})

describe('password recovery', () => {
	beforeEach(resetData)

	it('answers the same whether or not an account uses the address, and mails only an existing one', async () => {
		const known = await person('member')
		const ask = async (email: string) => {
			const started = performance.now()
			const response = (await forgotPasswordForm({ request: new Request('http://localhost/forgot-password', form({ email })), context: context(), params: {} })) as Response
			return { status: response.status, body: await response.json(), ms: performance.now() - started }
		}
		const unknownEmail = fresh('nobody')
		const [forKnown, forUnknown] = [await ask(known.email), await ask(unknownEmail)]
		expect(forKnown.status).toBe(200)
		expect(forUnknown.status).toBe(200)
		expect(forKnown.body).toEqual({ sent: known.email })
		expect(forUnknown.body).toEqual({ sent: unknownEmail })
		// Both wait for the same floor, so the mail queued for one does not show in the time.
		expect(forKnown.ms).toBeGreaterThanOrEqual(390)
		expect(forUnknown.ms).toBeGreaterThanOrEqual(390)
		expect(Math.abs(forKnown.ms - forUnknown.ms)).toBeLessThan(150)
		expect(await mailsTo(known.email)).toHaveLength(1)
		expect(await mailsTo(unknownEmail)).toHaveLength(0)
		expect(await db.select().from(authTokens)).toHaveLength(1)
	})

	it('limits requests per address asked about, whoever asks, and per client', async () => {
		const email = fresh('limited')
		const ask = (clientIp: string) => forgotPasswordForm({ request: new Request('http://localhost/forgot-password', form({ email })), context: context({ clientIp }), params: {} }) as Promise<Response>
		for (let n = 1; n <= 3; n++) expect((await ask(`198.51.100.${n}`)).status).toBe(200)
		const refused = await ask('198.51.100.9')
		expect(refused.status).toBe(429)
		expect(JSON.stringify(await refused.json())).toContain('We have sent several links to this address already.')
		const clientIp = '198.51.100.77'
		for (let n = 1; n <= 10; n++) expect((await forgotPasswordForm({ request: new Request('http://localhost/forgot-password', form({ email: fresh(`spray${n}`) })), context: context({ clientIp }), params: {} }) as Response).status).toBe(200)
		expect((await forgotPasswordForm({ request: new Request('http://localhost/forgot-password', form({ email: fresh('spray11') })), context: context({ clientIp }), params: {} }) as Response).status).toBe(429)
	})

	it('sets the new password in one go: link used, other links and every session revoked', async () => {
		const someone = await person('member')
		const sessions = [await startSession(someone.id, false), await startSession(someone.id, false)].map((cookie) => /kz_session=([^;]+)/.exec(cookie)![1]!)
		await requestPasswordReset(someone.email)
		const older = await linkToken(someone.email, '/reset-password/')
		await requestPasswordReset(someone.email)
		const token = await linkToken(someone.email, '/reset-password/')
		expect(await tokenState(older, 'password_reset')).toBe('used')
		expect(await resetPassword(token, 'a brand new password', undefined)).toEqual({ userId: someone.id })
		expect(await authenticate(someone.email, 'a brand new password')).toMatchObject({ id: someone.id })
		expect(await authenticate(someone.email, PASSWORD)).toBeNull()
		for (const id of sessions) expect((await lucia.validateSession(id)).session).toBeNull()
		expect((await refusal(resetPassword(token, 'yet another password', undefined))).status).toBe(409)
		expect(await authenticate(someone.email, 'a brand new password')).not.toBeNull()
	})

	it('refuses a link after an hour, a forged one, and one sent to an address the account left, without changing anything', async () => {
		const someone = await person('member')
		const askedAt = new Date('2026-03-01T10:00:00Z')
		await requestPasswordReset(someone.email, askedAt)
		const token = await linkToken(someone.email, '/reset-password/')
		expect(await tokenState(token, 'password_reset', new Date(askedAt.getTime() + HOUR - 1000))).toBe('valid')
		expect((await refusal(resetPassword(token, 'new password here', undefined, new Date(askedAt.getTime() + HOUR)))).message).toBe('This link has expired: ask for a new one')
		expect((await refusal(resetPassword('A'.repeat(43), 'new password here', undefined))).status).toBe(404)
		await requestPasswordReset(someone.email)
		const fresher = await linkToken(someone.email, '/reset-password/')
		await db.update(users).set({ email: fresh('moved') }).where(eq(users.id, someone.id))
		expect((await refusal(resetPassword(fresher, 'new password here', undefined))).status).toBe(404)
		expect(await tokenState(fresher, 'password_reset')).toBe('valid')
		const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, someone.id))
		expect(await authenticate((await db.select({ email: users.email }).from(users).where(eq(users.id, someone.id)))[0]!.email, PASSWORD)).not.toBeNull()
		expect(row!.hash).toBeTruthy()
	})

	it('lets two clicks at once use a link once', async () => {
		const someone = await person('member')
		await requestPasswordReset(someone.email)
		const token = await linkToken(someone.email, '/reset-password/')
		const results = await Promise.allSettled([resetPassword(token, 'first new password', undefined), resetPassword(token, 'second new password', undefined)])
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
		const email = fresh('twice')
		await newcomer(email)
		const link = await linkToken(email, '/verify-email/')
		const confirmations = await Promise.allSettled([confirmEmail(link), confirmEmail(link)])
		expect(confirmations.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
	})

	it('sends no link for people without a password (demo and system people)', async () => {
		const id = crypto.randomUUID()
		const email = fresh('demo')
		await db.insert(users).values({ id, email, displayName: 'Demo', handle: `demo${counter}`, role: 'member', emailVerifiedAt: new Date() })
		await requestPasswordReset(email)
		expect(await mailsTo(email)).toHaveLength(0)
	})
})

describe('settings', () => {
	beforeEach(resetData)

	it('changes the email only when the link sent to the new address is followed', async () => {
		const someone = await person('member')
		const newEmail = fresh('new-address')
		expect((await refusal(requestEmailChange(someone, { email: newEmail, currentPassword: 'not my password' }))).fieldErrors).toEqual({ currentPassword: 'Your current password is not right' })
		await requestPasswordReset(someone.email)
		const resetLink = await linkToken(someone.email, '/reset-password/')
		await requestEmailChange(someone, { email: newEmail, currentPassword: PASSWORD })
		expect(await getSettings(someone)).toMatchObject({ email: someone.email, pendingEmail: newEmail })
		expect(await authenticate(someone.email, PASSWORD)).not.toBeNull()
		expect(await mailsTo(someone.email)).toHaveLength(1)
		const token = await linkToken(newEmail, '/verify-email/')
		expect(await confirmEmail(token)).toEqual({ userId: someone.id, email: newEmail, changed: true })
		expect(await tokenState(resetLink, 'password_reset')).toBe('used')
		expect(await authenticate(newEmail, PASSWORD)).toMatchObject({ id: someone.id })
		expect(await authenticate(someone.email, PASSWORD)).toBeNull()
		expect(await getSettings({ ...someone, email: newEmail })).toMatchObject({ email: newEmail, pendingEmail: null })
	})

	it('ends a pending change of address when the password is reset or changed: whoever asked for it may have stolen the old password', async () => {
		const someone = await person('member')
		// An intruder with the password asks to move the account to their address…
		await requestEmailChange(someone, { email: fresh('intruder'), currentPassword: PASSWORD })
		const viaReset = await linkToken((await getSettings(someone)).pendingEmail!, '/verify-email/')
		// …and the owner takes the account back with a reset link.
		await requestPasswordReset(someone.email)
		await resetPassword(await linkToken(someone.email, '/reset-password/'), 'the owner is back again', undefined)
		expect(await tokenState(viaReset, 'email_verification')).toBe('used')
		expect((await refusal(confirmEmail(viaReset))).status).toBe(409)
		expect(await getSettings(someone)).toMatchObject({ email: someone.email, pendingEmail: null })

		const other = await person('member')
		await requestEmailChange(other, { email: fresh('intruder'), currentPassword: PASSWORD })
		const viaChange = await linkToken((await getSettings(other)).pendingEmail!, '/verify-email/')
		await changePassword(other, { currentPassword: PASSWORD, newPassword: 'the owner changed it' })
		expect(await tokenState(viaChange, 'email_verification')).toBe('used')
		expect(await getSettings(other)).toMatchObject({ email: other.email, pendingEmail: null })
	})

	it('refuses an address another account has, also when it was taken between the request and the link', async () => {
		const someone = await person('member')
		const other = await person('member')
		expect((await refusal(requestEmailChange(someone, { email: other.email.toUpperCase(), currentPassword: PASSWORD }))).status).toBe(409)
		const wanted = fresh('wanted')
		await requestEmailChange(someone, { email: wanted, currentPassword: PASSWORD })
		const token = await linkToken(wanted, '/verify-email/')
		await createUser({ email: wanted, password: PASSWORD, displayName: 'Quicker', role: 'member' })
		expect((await refusal(confirmEmail(token))).status).toBe(409)
		expect(await tokenState(token, 'email_verification')).toBe('valid')
		expect(await authenticate(someone.email, PASSWORD)).toMatchObject({ id: someone.id })
	})

	it('changes the password only with the current one, and ends every session', async () => {
		const someone = await person('member')
		const session = /kz_session=([^;]+)/.exec(await startSession(someone.id, false))![1]!
		expect((await refusal(changePassword(someone, { currentPassword: 'wrong one', newPassword: 'another password' }))).status).toBe(400)
		expect((await lucia.validateSession(session)).session).not.toBeNull()
		await changePassword(someone, { currentPassword: PASSWORD, newPassword: 'another password' })
		expect(await authenticate(someone.email, 'another password')).not.toBeNull()
		expect((await lucia.validateSession(session)).session).toBeNull()
	})

	it('limits current-password checks per person', async () => {
		const someone = await person('member')
		for (let n = 1; n <= 10; n++) await refusal(changePassword(someone, { currentPassword: `wrong ${n}`, newPassword: 'another password' }))
		expect((await refusal(changePassword(someone, { currentPassword: PASSWORD, newPassword: 'another password' }))).status).toBe(429)
	})

	it('keeps the name and language, which then is the person’s', async () => {
		const someone = await person('member')
		await updateProfile(someone, { displayName: 'Renamed Person', locale: 'ja' })
		expect(await getSettings(someone)).toMatchObject({ displayName: 'Renamed Person', locale: 'ja' })
		await setLanguage(someone, 'en')
		expect(await getSettings(someone)).toMatchObject({ locale: 'en' })
		expect((await refusal(updateProfile(null, { displayName: 'x', locale: 'en' }))).status).toBe(401)
	})
})

describe('public profiles', () => {
	beforeEach(resetData)

	it('shows questions, answers and accepted answers, and nothing private', async () => {
		const asker = await person('member')
		const helper = await person('member')
		const asked = await question(asker)
		const answer = await createAnswer(helper, asked.id, 'Try turning it off and on.')
		const { acceptAnswer } = await import('../../app/community/questions.server')
		await acceptAnswer(asker, asked.id, answer.id)
		await createAnswer(helper, (await question(asker)).id, 'Another helpful answer.')
		const profile = await getProfile(helper.id, { questions: 1, answers: 1 })
		expect(profile).toMatchObject({ id: helper.id, displayName: helper.displayName, acceptedAnswers: 1, answers: { total: 2 }, questions: { total: 0 } })
		expect(profile.answers.items.map((a) => a.accepted).sort()).toEqual([false, true])
		const text = JSON.stringify(profile)
		expect(text).not.toContain(helper.email)
		expect(text).not.toMatch(/password|locale|verified/i)
		expect((await getProfile(asker.id, { questions: 1, answers: 1 })).questions.total).toBe(2)
		expect((await refusal(getProfile(crypto.randomUUID(), { questions: 1, answers: 1 }))).status).toBe(404)
		expect((await refusal(getProfile('not-a-uuid', { questions: 1, answers: 1 }))).status).toBe(404)
	})

	it('has a page for the account imported posts belong to, which their bylines link to', async () => {
		await importContent({ questions: [{ title: 'An imported question', body: 'From the old forum.' }] })
		expect(await getProfile('system', { questions: 1, answers: 1 })).toMatchObject({ displayName: 'Kizuna import', questions: { items: [{ title: 'An imported question' }] } })
		expect((await refusal(getProfile('no such person', { questions: 1, answers: 1 }))).status).toBe(404)
	})

	it('lets staff and authors edit only when verified', async () => {
		const email = fresh('editor')
		const created = await newcomer(email)
		await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, created.id))
		const posted = await question({ ...created, emailVerified: true })
		const edit = questionSchema.parse({ title: 'An edited title here', body: 'Edited body of the question.' })
		expect((await refusal(updateQuestion({ ...created, emailVerified: false }, posted.id, edit))).status).toBe(403)
		await expect(updateQuestion({ ...created, emailVerified: true }, posted.id, edit)).resolves.toBeDefined()
	})
})
