import { and, eq, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { authTokens, users } from '#db/schema'
import { recordAudit } from '~/audit/audit.server'
import { digest } from '~/auth/api-tokens.server'
import { hashPassword } from '~/auth/password.server'
import { authorize, type Actor } from '~/auth/permissions.server'
import { insertUser } from '~/auth/users.server'
import type { Locale } from '~/i18n/locales'
import { mailLink } from '~/mail/links.server'
import { checkPasswordSignIn } from '~/settings/password-sign-in.server'
import { DomainError } from '~/utils/errors.server'
import { invitationPath, queueInvitationMail } from './mails.server'
import { consumeToken, issueToken, tokenRefusal, tokenState } from './tokens.server'

export type Invitation = { email: string; displayName: string; role: 'cs' | 'product' | 'admin' }

/**
 * Invites a colleague as staff: the person exists at once (without a password,
 * unconfirmed), the mail carries a link that works once for 7 days, and the entry
 * in the audit trail is written with them. `showLink`: mail is not set up (no
 * SMTP_URL), so the admin gets the link to pass on themselves.
 */
export async function invitePerson(actor: Actor | null, input: Invitation, options: { showLink: boolean; locale?: Locale; now?: Date }) {
	authorize(actor, 'people:manage')
	const now = options.now ?? new Date()
	return db.transaction(async (tx) => {
		const [existing] = await tx.select({ verifiedAt: users.emailVerifiedAt, role: users.role }).from(users).where(sql`lower(${users.email}) = lower(${input.email})`)
		if (existing?.verifiedAt) throw new DomainError('conflict', 'Someone already uses this address: find them in the list and change their role instead', { email: 'Someone already uses this address: find them in the list and change their role instead' })
		if (existing && existing.role !== 'member') throw new DomainError('conflict', 'This address is invited already: its invitation link works until it is used or expires', { email: 'This address is invited already: its invitation link works until it is used or expires' })
		// Anyone can sign up with an address before its owner is invited: only its owner, who confirmed it, may become staff.
		if (existing) throw new DomainError('conflict', 'Someone signed up with this address but has not confirmed it: they must confirm it before they can become staff', { email: 'Someone signed up with this address but has not confirmed it: they must confirm it before they can become staff' })
		const locale = options.locale ?? 'en'
		const person = await insertUser(tx, { email: input.email, password: null, displayName: input.displayName, role: input.role, locale, verifiedAt: null })
		const link = await issueToken(tx, { userId: person.id, purpose: 'invitation', email: person.email, now })
		await queueInvitationMail(tx, { userId: person.id, to: person.email, locale, displayName: person.displayName }, link, actor.displayName)
		await recordAudit(tx, actor, { action: 'person.invited', target: { type: 'person', id: person.id, label: person.email }, details: { role: input.role } })
		return { id: person.id, email: person.email, link: options.showLink ? mailLink(invitationPath(link.token)) : null }
	})
}

/** What `/invitations/:token` shows before anything is used: who is invited, or why the link no longer works. */
export async function invitationFor(token: string, now = new Date()) {
	const state = await tokenState(token, 'invitation', now)
	if (state !== 'valid') throw tokenRefusal(state)
	const [invited] = await db
		.select({ email: users.email, displayName: users.displayName, locale: users.locale })
		.from(authTokens)
		.innerJoin(users, eq(users.id, authTokens.userId))
		.where(and(eq(authTokens.tokenHash, digest(token)), eq(authTokens.purpose, 'invitation')))
	return invited!
}

/**
 * Accepting: the invited person chooses their name, password and language, all
 * or nothing with the link being used up. Following the link proved the address,
 * so it counts as confirmed. The caller signs them in (startSession, which still
 * refuses them if they were suspended meanwhile). While staff passwords are off
 * (`loginUrl`: KIZUNA_SSO_LOGIN_URL), nothing is used up: the invitee signs in
 * through the company's sign-in instead.
 */
export async function acceptInvitation(token: string, input: { displayName: string; password: string; locale: Locale }, loginUrl: string | undefined, now = new Date()): Promise<{ userId: string }> {
	// A forged or spent link costs no password hashing.
	const state = await tokenState(token, 'invitation', now)
	if (state !== 'valid') throw tokenRefusal(state)
	const passwordHash = await hashPassword(input.password)
	return db.transaction(async (tx) => {
		const link = await consumeToken(tx, token, 'invitation', now)
		if (link.email.toLowerCase() !== link.currentEmail.toLowerCase()) throw tokenRefusal('unknown')
		const [invited] = await tx.select({ role: users.role }).from(users).where(eq(users.id, link.userId))
		await checkPasswordSignIn(invited!.role, loginUrl)
		await tx.update(users).set({ displayName: input.displayName, passwordHash, locale: input.locale, emailVerifiedAt: now }).where(eq(users.id, link.userId))
		return { userId: link.userId }
	})
}
