import crypto from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Queryable } from '#db/client.server'
import { users } from '#db/schema'

/**
 * The handle others type after `@`, from the display name: lower-case ASCII
 * letters, digits and `_`, at most 20 characters, "user" when the name has none
 * (a Japanese name). Built from the name rather than the email so mentions never
 * reveal an address. db/migrations/0009_notifications.sql gives existing people
 * theirs the same way.
 */
export function handleBase(displayName: string): string {
	const base = displayName
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_+|_+$/g, '')
		.slice(0, 20)
		.replace(/_+$/, '')
	return base.length >= 2 ? base : 'user'
}

/** A free handle for this name: the base, else the base with a number. */
export async function freeHandle(tx: Queryable, displayName: string): Promise<string> {
	const base = handleBase(displayName)
	for (let attempt = 0; attempt < 8; attempt++) {
		const candidate = attempt === 0 ? base : `${base}${crypto.randomInt(2, attempt < 4 ? 1000 : 1_000_000)}`
		const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.handle, candidate)).limit(1)
		if (!taken) return candidate
	}
	return `${base}${crypto.randomUUID().slice(0, 8)}`
}
