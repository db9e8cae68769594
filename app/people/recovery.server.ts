import { and, eq, isNotNull, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { sessions, users } from '#db/schema'
import { hashPassword } from '~/auth/password.server'
import { checkPasswordSignIn } from '~/settings/password-sign-in.server'
import { queuePasswordResetMail } from './mails.server'
import { consumeToken, issueToken, retireTokens, tokenRefusal, tokenState } from './tokens.server'

/**
 * "Forgot password?": a link to the address if an account with a password uses
 * it, nothing otherwise. The caller answers the same either way, so the answer
 * never tells whether an address is registered. System and demo people have no
 * password, so nobody can take them over through their (invented) addresses.
 */
export async function requestPasswordReset(email: string, now = new Date()): Promise<void> {
	await db.transaction(async (tx) => {
		const [person] = await tx
			.select({ id: users.id, email: users.email, locale: users.locale, displayName: users.displayName })
			.from(users)
			.where(and(sql`lower(${users.email}) = lower(${email})`, eq(users.isSystem, false), isNotNull(users.passwordHash)))
		if (!person) return
		const link = await issueToken(tx, { userId: person.id, purpose: 'password_reset', email: person.email, now })
		await queuePasswordResetMail(tx, { userId: person.id, to: person.email, locale: person.locale, displayName: person.displayName }, link)
	})
}

/**
 * A new password through a reset link, all or nothing: the password changes, the
 * link and every other reset link are used up, and every session of the person
 * ends (whoever knew the old password is signed out). Following the link proved
 * the address, so it counts as verified too. The caller signs the person in.
 * Refused, with nothing changed, when the person may not sign in with a password
 * (`loginUrl`: KIZUNA_SSO_LOGIN_URL, see app/settings/password-sign-in.server.ts).
 */
export async function resetPassword(token: string, password: string, loginUrl: string | undefined, now = new Date()): Promise<{ userId: string }> {
	// A forged or spent link costs no password hashing.
	const state = await tokenState(token, 'password_reset', now)
	if (state !== 'valid') throw tokenRefusal(state)
	const passwordHash = await hashPassword(password)
	return db.transaction(async (tx) => {
		const link = await consumeToken(tx, token, 'password_reset', now)
		// A link sent to an address the account has since left is no key to it any more.
		if (link.email.toLowerCase() !== link.currentEmail.toLowerCase()) throw tokenRefusal('unknown')
		// Thrown inside the transaction: the link stays unused and the password unchanged.
		const [person] = await tx.select({ role: users.role }).from(users).where(eq(users.id, link.userId))
		await checkPasswordSignIn(person!.role, loginUrl)
		await tx
			.update(users)
			.set({ passwordHash, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)` })
			.where(eq(users.id, link.userId))
		await retireTokens(tx, link.userId, 'password_reset', now)
		// Whoever took the account may have asked to move it to their address: that link dies with their access.
		await retireTokens(tx, link.userId, 'email_verification', now)
		await tx.delete(sessions).where(eq(sessions.userId, link.userId))
		return { userId: link.userId }
	})
}
