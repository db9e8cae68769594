import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm'
import { announceChange } from '#db/changes.server'
import { db } from '#db/client.server'
import { authTokens, sessions, users } from '#db/schema'
import { hashPassword, verifyPassword } from '~/auth/password.server'
import { authorize, type Actor } from '~/auth/permissions.server'
import { limit } from '~/auth/rate-limit.server'
import { emailTaken } from '~/auth/users.server'
import type { Locale } from '~/i18n/locales'
import { DomainError } from '~/utils/errors.server'
import { queueVerificationMail } from './mails.server'
import { issueToken, retireTokens } from './tokens.server'

/** What the settings pages show: the person's own data, and an email change waiting for its confirmation. */
export async function getSettings(actor: Actor | null, now = new Date()) {
	authorize(actor, 'account:edit')
	const [person] = await db
		.select({ displayName: users.displayName, handle: users.handle, email: users.email, locale: users.locale, emailVerified: sql<boolean>`${users.emailVerifiedAt} is not null` })
		.from(users)
		.where(eq(users.id, actor.id))
	if (!person) throw new DomainError('not_found', 'Account not found')
	const [pending] = await db
		.select({ email: authTokens.email })
		.from(authTokens)
		.where(
			and(
				eq(authTokens.userId, actor.id),
				eq(authTokens.purpose, 'email_verification'),
				isNull(authTokens.usedAt),
				gt(authTokens.expiresAt, now),
				sql`lower(${authTokens.email}) <> lower(${person.email})`,
			),
		)
		.orderBy(desc(authTokens.id))
		.limit(1)
	return { ...person, pendingEmail: pending?.email ?? null }
}

export async function updateProfile(actor: Actor | null, input: { displayName: string; locale: Locale }) {
	authorize(actor, 'account:edit')
	await db.transaction(async (tx) => {
		await tx.update(users).set({ displayName: input.displayName, locale: input.locale }).where(eq(users.id, actor.id))
		// Pages name the authors of posts.
		await announceChange(tx, 'pages')
	})
}

/** The header's language switch, remembered for the person on every device. */
export async function setLanguage(actor: Actor | null, locale: Locale) {
	authorize(actor, 'account:edit')
	await db.update(users).set({ locale }).where(eq(users.id, actor.id))
}

/** Changing the password or the address needs the current password: a session left open on a shared computer is not enough. */
async function checkCurrentPassword(actor: Actor, password: string) {
	const [person] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.id))
	if (!person?.passwordHash || !(await verifyPassword(person.passwordHash, password))) {
		throw new DomainError('invalid', 'Your current password is not right', { currentPassword: 'Your current password is not right' })
	}
}

/**
 * A new password, and every session of the person ends (the caller starts a new
 * one for this browser); open reset links stop working, as the person knows their password.
 */
export async function changePassword(actor: Actor | null, input: { currentPassword: string; newPassword: string }, now = new Date()) {
	authorize(actor, 'account:edit')
	await limit('accountSecurity', actor.id)
	await checkCurrentPassword(actor, input.currentPassword)
	const passwordHash = await hashPassword(input.newPassword)
	await db.transaction(async (tx) => {
		await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.id))
		await retireTokens(tx, actor.id, 'password_reset', now)
		// A pending change of address asked by whoever knew the old password must not outlive it.
		await retireTokens(tx, actor.id, 'email_verification', now)
		await tx.delete(sessions).where(eq(sessions.userId, actor.id))
	})
}

/**
 * A new address takes effect only when the link sent to it is followed
 * (confirmEmail): until then the old address keeps working for sign-in and mail.
 */
export async function requestEmailChange(actor: Actor | null, input: { email: string; currentPassword: string }, now = new Date()) {
	authorize(actor, 'account:edit')
	await limit('accountSecurity', actor.id)
	await checkCurrentPassword(actor, input.currentPassword)
	await limit('verificationMail', actor.id)
	await db.transaction(async (tx) => {
		const [person] = await tx.select({ email: users.email, locale: users.locale, displayName: users.displayName }).from(users).where(eq(users.id, actor.id))
		if (!person) throw new DomainError('not_found', 'Account not found')
		if (person.email.toLowerCase() === input.email.toLowerCase()) {
			throw new DomainError('invalid', 'This is already your email address', { email: 'This is already your email address' })
		}
		if (await emailTaken(tx, input.email, actor.id)) {
			throw new DomainError('conflict', 'An account with this email already exists', { email: 'An account with this email already exists' })
		}
		const link = await issueToken(tx, { userId: actor.id, purpose: 'email_verification', email: input.email, now })
		await queueVerificationMail(tx, { userId: actor.id, to: input.email, locale: person.locale, displayName: person.displayName }, link, 'email-change')
	})
}
