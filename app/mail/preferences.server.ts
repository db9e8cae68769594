import { eq, inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Queryable } from '#db/client.server'
import { emailPreferences, mailDeliveries, notificationTypes, type MailDelivery, type NotificationType } from '#db/schema'
import { authorize, type Actor } from '~/auth/permissions.server'
import { defaultDelivery } from './types'

export type Deliveries = Record<NotificationType, MailDelivery>

/** Each type's delivery for these people: their choice, or the type's default. */
export async function deliveriesFor(q: Queryable, userIds: string[]): Promise<Map<string, Deliveries>> {
	const result = new Map<string, Deliveries>(userIds.map((id) => [id, { ...defaultDelivery }]))
	if (userIds.length === 0) return result
	const rows = await q.select().from(emailPreferences).where(inArray(emailPreferences.userId, userIds))
	for (const row of rows) result.get(row.userId)![row.type] = row.delivery
	return result
}

export const effectiveDeliveries = async (q: Queryable, userId: string): Promise<Deliveries> => (await deliveriesFor(q, [userId])).get(userId)!

/** A notification's delivery in SQL, from its `type` and the person's stored choice (null when none), with the defaults above. */
export function deliverySql(type: SQLWrapper, stored: SQLWrapper): SQL<MailDelivery> {
	const defaults = notificationTypes.map((t) => sql`when ${t} then ${defaultDelivery[t]}`)
	return sql<MailDelivery>`coalesce(${stored}::text, case ${type}::text ${sql.join(defaults, sql` `)} end)`
}

/** The settings form: one choice per type, all sent together. */
const choice = z.enum(mailDeliveries, { message: 'Choose at once, daily digest or never' })
export const preferencesSchema = z.object({
	answer: choice,
	followed_answer: choice,
	accepted: choice,
	solved: choice,
	duplicate: choice,
	faq: choice,
	mention: choice,
	tag_question: choice,
} satisfies Record<NotificationType, typeof choice>)
export type PreferencesInput = z.infer<typeof preferencesSchema>

/** A person's own choices, for their settings page. */
export async function emailPreferencesOf(actor: Actor | null, userId: string): Promise<Deliveries> {
	authorize(actor, 'email-preferences:edit', { userId })
	return effectiveDeliveries(db, userId)
}

/** Saves every type's choice at once: the form shows them together, so they change together or not at all. */
export async function saveEmailPreferences(actor: Actor | null, userId: string, input: PreferencesInput): Promise<Deliveries> {
	authorize(actor, 'email-preferences:edit', { userId })
	await db.transaction(async (tx) => {
		await tx.delete(emailPreferences).where(eq(emailPreferences.userId, userId))
		// Only choices that differ from the default are stored: the rest follow the default.
		const chosen = notificationTypes.filter((type) => input[type] !== defaultDelivery[type])
		if (chosen.length > 0) await tx.insert(emailPreferences).values(chosen.map((type) => ({ userId, type, delivery: input[type] })))
	})
	return effectiveDeliveries(db, userId)
}
