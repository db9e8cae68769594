import { eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { users } from '#db/schema'
import { authorize, type Actor } from '~/auth/permissions.server'
import { limit } from '~/auth/rate-limit.server'
import { emailTaken, signUpIn } from '~/auth/users.server'
import type { Locale } from '~/i18n/locales'
import { checkSignUpOpen } from '~/settings/password-sign-in.server'
import { DomainError } from '~/utils/errors.server'
import { queueVerificationMail } from './mails.server'
import { consumeToken, issueToken, retireTokens } from './tokens.server'

/**
 * Sign-up through the site: the person, in their language, and the mail with
 * the link that confirms their address, in one transaction. Until they follow
 * it they may read, vote and follow, not post (app/auth/permissions.server.ts).
 * `loginUrl` (KIZUNA_SSO_LOGIN_URL): people are created by signing in through the product instead.
 */
export async function signUpPerson(input: { email: string; password: string; displayName: string }, locale: Locale, loginUrl: string | undefined, now = new Date()): Promise<Actor> {
	checkSignUpOpen(loginUrl)
	return db.transaction(async (tx) => {
		const person = await signUpIn(tx, { ...input, locale })
		const link = await issueToken(tx, { userId: person.id, purpose: 'email_verification', email: person.email, now })
		await queueVerificationMail(tx, { userId: person.id, to: person.email, locale, displayName: person.displayName }, link, 'sign-up')
		return person
	})
}

/** "Resend the link": a new link to the person's address (the older ones stop working). */
export async function resendVerification(actor: Actor | null, now = new Date()) {
	authorize(actor, 'email:resend-verification')
	await limit('verificationMail', actor.id)
	await db.transaction(async (tx) => {
		const [person] = await tx.select({ email: users.email, locale: users.locale, displayName: users.displayName }).from(users).where(eq(users.id, actor.id))
		if (!person) throw new DomainError('not_found', 'Account not found')
		const link = await issueToken(tx, { userId: actor.id, purpose: 'email_verification', email: person.email, now })
		await queueVerificationMail(tx, { userId: actor.id, to: person.email, locale: person.locale, displayName: person.displayName }, link, 'sign-up')
	})
}

/**
 * Following a confirmation link: the address is the person's, verified. For an
 * email change the new address replaces the old one only now; if another account
 * took it meanwhile nothing changes and the link stays unused.
 */
export function confirmEmail(token: string, now = new Date()): Promise<{ userId: string; email: string; changed: boolean }> {
	return db.transaction(async (tx) => {
		const link = await consumeToken(tx, token, 'email_verification', now)
		const changed = link.email.toLowerCase() !== link.currentEmail.toLowerCase()
		if (changed && (await emailTaken(tx, link.email, link.userId))) throw new DomainError('conflict', 'An account with this email already exists')
		await tx.update(users).set({ email: link.email, emailVerifiedAt: now }).where(eq(users.id, link.userId))
		// Reset links went to the old address, which no longer opens this account.
		if (changed) await retireTokens(tx, link.userId, 'password_reset', now)
		return { userId: link.userId, email: link.email, changed }
	})
}
