import crypto from 'node:crypto'
import { eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { apiTokens, users } from '#db/schema'
import type { Actor } from './permissions.server'
import { actorColumns } from './users.server'

/** How a token is kept: never as itself, so a leaked table holds no usable token. */
export const digest = (token: string) => crypto.createHash('sha256').update(token).digest('hex')

/** Returns the token once; only its hash is stored. */
export async function createApiToken(userId: string): Promise<string> {
	const token = `kz_${crypto.randomBytes(32).toString('base64url')}`
	await db.insert(apiTokens).values({ userId, tokenHash: digest(token) })
	return token
}

export async function actorForApiToken(token: string): Promise<Actor | null> {
	const [row] = await db
		.select({ tokenId: apiTokens.id, ...actorColumns })
		.from(apiTokens)
		.innerJoin(users, eq(users.id, apiTokens.userId))
		.where(eq(apiTokens.tokenHash, digest(token)))
	if (!row) return null
	await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.tokenId))
	const { tokenId: _omit, ...actor } = row
	return actor
}
