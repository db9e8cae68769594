import { eq } from 'drizzle-orm'
import { recordEvent } from '../../app/insights/events.server'
import { db } from '../../db/client.server'
import { events, helpJourneys } from '../../db/schema'

/** What a person did so far: a search and a help journey, as the insights record them. */
export async function giveHistory(userId: string) {
	await recordEvent(db, { actor: { id: userId }, visitorId: null }, { type: 'search', query: 'export board to csv', resultCount: 3 })
	const now = new Date()
	await db.insert(helpJourneys).values({ actorKey: userId, userId, startedAt: now, endedAt: now, eventCount: 1, isHelp: true, selfResolved: false, escalated: false, deflected: false })
}

/** The accounts that person's events and help journeys are counted in. */
export async function historyAccounts(userId: string) {
	const eventRows = await db.select({ accountId: events.accountId }).from(events).where(eq(events.userId, userId))
	const journeyRows = await db.select({ accountId: helpJourneys.accountId }).from(helpJourneys).where(eq(helpJourneys.userId, userId))
	return { events: eventRows.map((row) => row.accountId), journeys: journeyRows.map((row) => row.accountId) }
}
