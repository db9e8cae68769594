import { and, asc, eq, ilike, like, or, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { users } from '#db/schema'
import { authorize, type Actor } from '~/auth/permissions.server'
import { limit } from '~/auth/rate-limit.server'
import { escapeLike } from '~/utils/like'

/** Suggestions shown at once under the editor. */
export const MAX_SUGGESTIONS = 8

export type MentionSuggestion = { handle: string; displayName: string }

/**
 * People to mention, for the editor's `@` list: handles and display names that
 * start with what was typed (or a later word of the name). Signed-in people only,
 * rate limited, a few at a time, and only the name and handle: never an address.
 */
export async function suggestPeople(actor: Actor | null, typed: string): Promise<MentionSuggestion[]> {
	authorize(actor, 'people:suggest')
	await limit('mentionSuggest', actor.id)
	const prefix = `${escapeLike(typed.toLowerCase())}%`
	return db
		.select({ handle: users.handle, displayName: users.displayName })
		.from(users)
		.where(and(eq(users.isSystem, false), or(like(users.handle, prefix), ilike(users.displayName, prefix), ilike(users.displayName, `% ${prefix}`))))
		.orderBy(asc(sql`${users.handle} <> ${typed.toLowerCase()}`), asc(users.handle))
		.limit(MAX_SUGGESTIONS)
}

/** The id of the person with this handle (not the system user), for `/u/:handle`. */
export async function personByHandle(handle: string): Promise<string | null> {
	const [row] = await db.select({ id: users.id }).from(users).where(and(eq(users.handle, handle), eq(users.isSystem, false)))
	return row?.id ?? null
}
