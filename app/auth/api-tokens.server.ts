import crypto from 'node:crypto'
import { eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { apiTokens, users } from '#db/schema'
import type { Actor } from './permissions.server'
import { actorColumns } from './users.server'

/** How a token is kept: never as itself, so a leaked table holds no usable token. */
export const digest = (token: string) => crypto.createHash('sha256').update(token).digest('hex')

/** Issued only through app/people/api-tokens.server.ts, which records each in the audit log. */
export const newApiToken = () => `kz_${crypto.randomBytes(32).toString('base64url')}`

/** A token's owner, or why it opens nothing: an unknown (or revoked) token, or a suspended owner's. */
export type TokenHolder = { actor: Actor; refused: null } | { actor: null; refused: 'unknown' | 'suspended' }

/**
 * A suspended person's tokens are refused, not deleted: restoring them brings the
 * tokens back, as their scripts expect. Only a working token counts as used.
 */
export async function actorForApiToken(token: string, now = new Date()): Promise<TokenHolder> {
	const [row] = await db
		.select({ tokenId: apiTokens.id, suspendedAt: users.suspendedAt, ...actorColumns })
		.from(apiTokens)
		.innerJoin(users, eq(users.id, apiTokens.userId))
		.where(eq(apiTokens.tokenHash, digest(token)))
	if (!row) return { actor: null, refused: 'unknown' }
	if (row.suspendedAt) return { actor: null, refused: 'suspended' }
	await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId))
	const { tokenId: _omit, suspendedAt: _s, ...actor } = row
	return { actor, refused: null }
}
