import crypto from 'node:crypto'
import { and, eq, gt, isNull } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { authTokens, users } from '#db/schema'
import { digest } from '~/auth/api-tokens.server'
import { DomainError } from '~/utils/errors.server'

export type TokenPurpose = 'password_reset' | 'email_verification' | 'invitation'
export type TokenState = 'valid' | 'used' | 'expired' | 'unknown'

/** How long a link works: a reset link is a key to the account, so it lasts an hour. */
export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
	password_reset: 60 * 60 * 1000,
	email_verification: 48 * 60 * 60 * 1000,
	/** A colleague may be away for a few days; the admin can invite again after that. */
	invitation: 7 * 24 * 60 * 60 * 1000,
}

// 32 random bytes in base64url: what issueToken makes. Anything else was not made here and costs no query.
const TOKEN = /^[A-Za-z0-9_-]{43}$/

/**
 * A new single-use link token for this person and address, in the caller's
 * transaction. Only its SHA-256 hash is stored, so the table holds no usable link;
 * earlier unused links of the same purpose stop working, so only the newest mail counts.
 */
export async function issueToken(tx: Queryable, input: { userId: string; purpose: TokenPurpose; email: string; now: Date }): Promise<{ id: number; token: string }> {
	await retireTokens(tx, input.userId, input.purpose, input.now)
	const token = crypto.randomBytes(32).toString('base64url')
	const [row] = await tx
		.insert(authTokens)
		.values({ userId: input.userId, purpose: input.purpose, tokenHash: digest(token), email: input.email, expiresAt: new Date(input.now.getTime() + TOKEN_LIFETIME_MS[input.purpose]), createdAt: input.now })
		.returning({ id: authTokens.id })
	return { id: row!.id, token }
}

type StoredToken = { id: number; userId: string; email: string; expiresAt: Date; usedAt: Date | null; currentEmail: string }

async function findToken(q: Queryable, token: string, purpose: TokenPurpose): Promise<StoredToken | null> {
	if (!TOKEN.test(token)) return null
	const [row] = await q
		.select({ id: authTokens.id, userId: authTokens.userId, email: authTokens.email, expiresAt: authTokens.expiresAt, usedAt: authTokens.usedAt, currentEmail: users.email })
		.from(authTokens)
		.innerJoin(users, eq(users.id, authTokens.userId))
		.where(and(eq(authTokens.tokenHash, digest(token)), eq(authTokens.purpose, purpose)))
	return row ?? null
}

const stateOf = (row: StoredToken | null, now: Date): TokenState => (!row ? 'unknown' : row.usedAt ? 'used' : row.expiresAt <= now ? 'expired' : 'valid')

/** What a link's page says before anything is changed (a mail scanner's prefetch uses nothing up). */
export async function tokenState(token: string, purpose: TokenPurpose, now = new Date()): Promise<TokenState> {
	return stateOf(await findToken(db, token, purpose), now)
}

const refusals: Record<Exclude<TokenState, 'valid'>, DomainError> = {
	unknown: new DomainError('not_found', 'This link is not valid: check that you copied all of it, or ask for a new one'),
	used: new DomainError('conflict', 'This link has already been used: ask for a new one if you still need it'),
	expired: new DomainError('conflict', 'This link has expired: ask for a new one'),
}

export const tokenRefusal = (state: Exclude<TokenState, 'valid'>) => refusals[state]

/**
 * Uses up a link in the caller's transaction, or refuses with why it cannot be
 * used. The update only succeeds while the token is unused and unexpired, so two
 * clicks at once use it once.
 */
export async function consumeToken(tx: Queryable, token: string, purpose: TokenPurpose, now: Date): Promise<StoredToken> {
	const row = await findToken(tx, token, purpose)
	const state = stateOf(row, now)
	if (state !== 'valid') throw tokenRefusal(state)
	const [used] = await tx
		.update(authTokens)
		.set({ usedAt: now })
		.where(and(eq(authTokens.id, row!.id), isNull(authTokens.usedAt), gt(authTokens.expiresAt, now)))
		.returning({ id: authTokens.id })
	if (!used) throw tokenRefusal('used')
	return row!
}

/** Every open link of this purpose stops working: a newer one was sent, one worked, or what it would change is void. */
export async function retireTokens(tx: Queryable, userId: string, purpose: TokenPurpose, now: Date) {
	await tx
		.update(authTokens)
		.set({ usedAt: now })
		.where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, purpose), isNull(authTokens.usedAt)))
}
