import { and, count, desc, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { apiTokens, sessions, users } from '#db/schema'
import { recordAudit } from '~/audit/audit.server'
import { digest, newApiToken } from '~/auth/api-tokens.server'
import { authorize, type Actor } from '~/auth/permissions.server'
import { limit } from '~/auth/rate-limit.server'
import { DomainError, notFound } from '~/utils/errors.server'

/** Tokens one person may hold: enough for every script they run, few enough to review on one page. */
export const MAX_API_TOKENS = 50

/**
 * A named token for `userId`, returned once (only its hash is stored), with its
 * audit entry. `actor` null: the command line on the server's machine.
 */
async function issueApiToken(actor: Actor | null, userId: string, name: string, now: Date) {
	return db.transaction(async (tx) => {
		const [{ held }] = (await tx.select({ held: count() }).from(apiTokens).where(eq(apiTokens.userId, userId))) as [{ held: number }]
		if (held >= MAX_API_TOKENS) throw new DomainError('conflict', 'You have 50 API tokens: revoke one you no longer use first')
		const token = newApiToken()
		const [row] = await tx.insert(apiTokens).values({ userId, name, tokenHash: digest(token), createdAt: now }).returning({ id: apiTokens.id, name: apiTokens.name })
		await recordAudit(tx, actor, { action: 'api_token.created', target: { type: 'api_token', id: String(row!.id), label: row!.name }, details: { owner: userId } })
		return { id: row!.id, name: row!.name, token }
	})
}

/**
 * `/settings/tokens`: a token of one's own. Creating, revoking and signing out
 * everywhere share one limit per person: each writes to the audit log, which a
 * loop must not flood.
 */
export async function createOwnApiToken(actor: Actor | null, name: string, now = new Date()) {
	authorize(actor, 'api-tokens:manage')
	await limit('apiTokenChange', actor.id)
	return issueApiToken(actor, actor.id, name, now)
}

/** `npm run cli -- token:create`: a token for anyone, by whoever runs commands on the server (audited as the CLI). */
export async function createApiTokenFromCli(userId: string, name: string, now = new Date()) {
	const [person] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId))
	if (!person) throw notFound('Person')
	return issueApiToken(null, person.id, name, now)
}

export async function listOwnApiTokens(actor: Actor | null) {
	authorize(actor, 'api-tokens:manage')
	return db
		.select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
		.from(apiTokens)
		.where(eq(apiTokens.userId, actor.id))
		.orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
}

/** Revoking deletes the token: it stops working with the next request. */
export async function revokeOwnApiToken(actor: Actor | null, id: number) {
	authorize(actor, 'api-tokens:manage')
	await limit('apiTokenChange', actor.id)
	await db.transaction(async (tx) => {
		const [revoked] = await tx.delete(apiTokens).where(and(eq(apiTokens.id, id), eq(apiTokens.userId, actor.id))).returning({ id: apiTokens.id, name: apiTokens.name })
		if (!revoked) throw notFound('API token')
		await recordAudit(tx, actor, { action: 'api_token.revoked', target: { type: 'api_token', id: String(revoked.id), label: revoked.name }, details: { owner: actor.id } })
	})
}

/** "Sign out everywhere": every session of the person ends, this browser's too. */
export async function signOutEverywhere(actor: Actor | null) {
	authorize(actor, 'sessions:manage')
	await limit('apiTokenChange', actor.id)
	await db.transaction(async (tx) => {
		await tx.delete(sessions).where(eq(sessions.userId, actor.id))
		await recordAudit(tx, actor, { action: 'person.signed_out_everywhere', target: { type: 'person', id: actor.id, label: actor.email } })
	})
}
