import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { emailPreferences, notificationTypes, siteSecrets, users, type NotificationType } from '#db/schema'
import { limit } from '~/auth/rate-limit.server'
import { DomainError } from '~/utils/errors.server'
import { singleton } from '~/utils/singleton.server'
import { mailLink } from './links.server'
import { effectiveDeliveries } from './preferences.server'

/**
 * What one unsubscribe link stops: one notification type (the link in a mail about
 * it), or `digest`, every type the person gets in the daily digest (the digest's
 * own link). Either becomes "never" for those types, which the person can undo on
 * /settings/email.
 */
export type UnsubscribeScope = NotificationType | 'digest'

const KEY_NAME = 'unsubscribe-signing-key'
const VERSION = 'u1'
/** Far above a real token (about 100 characters): anything longer is refused unread. */
export const MAX_TOKEN_LENGTH = 300

const keys = singleton('unsubscribe-key', () => ({ key: null as Buffer | null }))

/**
 * The key that signs unsubscribe links, made once by whichever process needs it
 * first and shared through the database, so a link signed by the worker is
 * accepted by every web process. Without expiry: a link in an old mail must still work.
 * Read through `q`, the caller's transaction when there is one (the embedded
 * database serves one connection, which that transaction holds). Only a key read
 * outside any transaction (`remember`) is kept in memory: one a transaction made
 * or saw uncommitted would be remembered even if that transaction rolled back,
 * and this process alone would then sign and check with it.
 */
async function signingKey(q: Queryable, options: { remember: boolean }): Promise<Buffer> {
	if (keys.key) return keys.key
	await q
		.insert(siteSecrets)
		.values({ name: KEY_NAME, value: randomBytes(32).toString('base64url') })
		.onConflictDoNothing({ target: siteSecrets.name })
	const [row] = await q.select({ value: siteSecrets.value }).from(siteSecrets).where(eq(siteSecrets.name, KEY_NAME))
	const key = Buffer.from(row!.value, 'base64url')
	if (options.remember) keys.key = key
	return key
}

const sign = (key: Buffer, payload: string) => createHmac('sha256', key).update(`${VERSION}.${payload}`).digest()

/** A link token naming the person and what it stops: `u1.<payload>.<HMAC-SHA256>`, both base64url. */
export async function unsubscribeToken(q: Queryable, userId: string, scope: UnsubscribeScope): Promise<string> {
	const payload = Buffer.from(`${userId}:${scope}`, 'utf8').toString('base64url')
	return `${VERSION}.${payload}.${sign(await signingKey(q, { remember: false }), payload).toString('base64url')}`
}

const isScope = (value: string): value is UnsubscribeScope => value === 'digest' || (notificationTypes as readonly string[]).includes(value)

/** The person and scope a token names, or null for anything not signed by this site (garbled, forged, cut short). */
export async function readUnsubscribeToken(token: string): Promise<{ userId: string; scope: UnsubscribeScope } | null> {
	if (token.length > MAX_TOKEN_LENGTH) return null
	const parts = token.split('.')
	if (parts.length !== 3 || parts[0] !== VERSION || !/^[\w-]{1,200}$/.test(parts[1]!) || !/^[\w-]{43}$/.test(parts[2]!)) return null
	// Compared as text: base64url has several spellings of one last byte, and only the one this site writes is its link.
	const expected = Buffer.from(sign(await signingKey(db, { remember: true }), parts[1]!).toString('base64url'))
	const given = Buffer.from(parts[2]!)
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
	const [userId, scope, ...rest] = Buffer.from(parts[1]!, 'base64url').toString('utf8').split(':')
	if (!userId || !scope || rest.length > 0 || !isScope(scope)) return null
	return { userId, scope }
}

export type UnsubscribeSubject = { email: string; scope: UnsubscribeScope; types: NotificationType[] }

/** The types a scope stops for this person: for the digest, those now in their digest. */
async function typesOf(q: Queryable, userId: string, scope: UnsubscribeScope): Promise<NotificationType[]> {
	if (scope !== 'digest') return [scope]
	const deliveries = await effectiveDeliveries(q, userId)
	return notificationTypes.filter((type) => deliveries[type] === 'digest')
}

/**
 * What a link would stop, for the page that asks to confirm. The signed token is
 * the permission here (as a reset link is): it proves the mail reached the person,
 * and needs no sign-in. Refuses tokens this site did not sign.
 */
export async function describeUnsubscribe(token: string): Promise<UnsubscribeSubject> {
	const named = await readUnsubscribeToken(token)
	if (!named) throw new DomainError('invalid', 'This unsubscribe link is not valid. Change what Kizuna mails you in your email settings instead.')
	const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, named.userId))
	if (!user) throw new DomainError('not_found', 'The person this unsubscribe link was for no longer has an account.')
	return { email: user.email, scope: named.scope, types: await typesOf(db, named.userId, named.scope) }
}

/**
 * Sets the types a valid link names to "never", in one transaction; doing it
 * again changes nothing more (a mail client's one-click POST, then the person's).
 * Counted per email address, not per client: one-click POSTs for many people come
 * from their mail provider's few addresses. Invalid links count per client address.
 */
export async function unsubscribe(token: string, from: { clientIp: string }): Promise<UnsubscribeSubject> {
	const named = await readUnsubscribeToken(token)
	if (!named) {
		await limit('unsubscribeInvalid', from.clientIp)
		throw new DomainError('invalid', 'This unsubscribe link is not valid. Change what Kizuna mails you in your email settings instead.')
	}
	const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, named.userId))
	if (!user) throw new DomainError('not_found', 'The person this unsubscribe link was for no longer has an account.')
	await limit('unsubscribe', user.email.toLowerCase())
	return db.transaction(async (tx) => {
		const types = await typesOf(tx, named.userId, named.scope)
		if (types.length > 0) {
			await tx
				.insert(emailPreferences)
				.values(types.map((type) => ({ userId: named.userId, type, delivery: 'never' as const })))
				.onConflictDoUpdate({ target: [emailPreferences.userId, emailPreferences.type], set: { delivery: 'never' } })
		}
		return { email: user.email, scope: named.scope, types }
	})
}

/**
 * The unsubscribe link of a mail and its headers: `List-Unsubscribe` with the
 * link, and `List-Unsubscribe-Post` so mail clients unsubscribe with one click
 * (RFC 8058), by a POST that needs no sign-in.
 */
export async function unsubscribeLink(q: Queryable, userId: string, scope: UnsubscribeScope): Promise<{ url: string; headers: Record<string, string> }> {
	const url = mailLink(`/unsubscribe/${await unsubscribeToken(q, userId, scope)}`)
	return { url, headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } }
}
