import { eq } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { accounts } from '#db/schema'
import { authorize, type Actor } from '~/auth/permissions.server'
import { DomainError, notFound } from '~/utils/errors.server'
import { parseInput } from '~/utils/http.server'
import { isoDaySchema } from '~/utils/input'
import { buildJourneys } from './journeys.server'

const DAY_MS = 86_400_000
const MAX_DAYS = 366

const isoDay = (label: string) => isoDaySchema(label).optional()

export const insightsQuerySchema = z.object({
	from: isoDay('from'),
	to: isoDay('to'),
	account: z.string().trim().min(1).max(200).optional(),
})

/**
 * The period a figure covers: whole UTC days from `from` to `to`, both included.
 * `start`/`end` are the instants bounding it (end exclusive).
 */
export type InsightsRange = {
	from: string
	to: string
	start: Date
	end: Date
	days: number
	account: { id: number; externalId: string; name: string } | null
}

export const dayOf = (date: Date) => date.toISOString().slice(0, 10)
export const addDays = (day: string, n: number) => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS))

/** The whole UTC days from `from` to `to`, both included, for one account or all. */
export function daysBetween(from: string, to: string, account: InsightsRange['account']): InsightsRange {
	const start = new Date(`${from}T00:00:00Z`)
	const end = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS)
	return { from, to, start, end, days: Math.round((end.getTime() - start.getTime()) / DAY_MS), account }
}

/** Reads from/to/account as the API and the dashboards take them; the last 30 days by default. */
export async function resolveRange(input: z.infer<typeof insightsQuerySchema>, today = dayOf(new Date())): Promise<InsightsRange> {
	const to = input.to ?? (input.from && input.from > today ? input.from : today)
	const from = input.from ?? addDays(to, -29)
	if (from > to) throw new DomainError('invalid', '`from` must be on or before `to`', { from: 'from must be on or before to' })
	const { days } = daysBetween(from, to, null)
	if (days > MAX_DAYS) throw new DomainError('invalid', `The period can be at most ${MAX_DAYS} days`, { from: `at most ${MAX_DAYS} days` })
	let account: InsightsRange['account'] = null
	if (input.account) {
		const [row] = await db
			.select({ id: accounts.id, externalId: accounts.externalId, name: accounts.name })
			.from(accounts)
			.where(eq(accounts.externalId, input.account))
		if (!row) throw notFound('Account')
		account = row
	}
	return daysBetween(from, to, account)
}

/** The same length of time just before (for "compared with the previous period"). */
export function previousRange(range: InsightsRange): InsightsRange {
	const to = addDays(range.from, -1)
	return daysBetween(addDays(to, -(range.days - 1)), to, range.account)
}

/**
 * For every insights page and API call: checks the person may see insights,
 * reads the period, and first builds the journeys of events recorded moments ago, so a figure
 * never lags behind what was just done; while the worker is building or rebuilding
 * journeys, the page shows those already built instead of waiting for it.
 */
export async function insightsRequest(actor: Actor | null, params: URLSearchParams): Promise<InsightsRange> {
	authorize(actor, 'insights:view')
	const range = await resolveRange(parseInput(insightsQuerySchema, Object.fromEntries(params)))
	await buildJourneys({ wait: false })
	return range
}
