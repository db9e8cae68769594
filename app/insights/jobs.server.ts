import { sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { enqueueWebhookEvent } from '~/webhooks/deliveries.server'
import { evaluateAlerts } from './alerts.server'
import { flushEvents } from './events.server'
import { buildJourneys } from './journeys.server'
import { accountRows } from './metrics.server'
import { addDays, dayOf, resolveRange } from './range.server'

const ALERTS_EVERY_MS = 10 * 60_000

let alertsCheckedAt = 0

/**
 * Keeps the insights fresh: writes queued events, builds help journeys, and now
 * and then re-checks account alerts and sends yesterday's per-account figures.
 * `force` (jobs:run) does all of it now.
 */
export async function refreshInsights(options: { force?: boolean; now?: Date } = {}) {
	const now = options.now ?? new Date()
	await flushEvents()
	await buildJourneys()
	if (options.force || now.getTime() - alertsCheckedAt >= ALERTS_EVERY_MS) {
		alertsCheckedAt = now.getTime()
		await evaluateAlerts(now)
		await sendDailyMetrics(now)
	}
}

/**
 * `account.daily_metrics`: once per UTC day, one delivery per account with the
 * figures of the day before. The day is recorded in the same transaction as the
 * deliveries, so a restart neither skips nor repeats it.
 */
export async function sendDailyMetrics(now = new Date()): Promise<boolean> {
	const yesterday = addDays(dayOf(now), -1)
	const [done] = (await db.execute(sql`select last_run_on from scheduled_runs where name = 'account.daily_metrics'`)) as unknown as Array<{ last_run_on: string }>
	if (done && done.last_run_on >= yesterday) return false
	// Computed before the transaction: the embedded database serves one connection.
	const figures = await accountRows(await resolveRange({ from: yesterday, to: yesterday }))
	return db.transaction(async (tx) => {
		const claimed = (await tx.execute(sql`
			insert into scheduled_runs (name, last_run_on) values ('account.daily_metrics', ${yesterday})
			on conflict (name) do update set last_run_on = excluded.last_run_on where scheduled_runs.last_run_on < excluded.last_run_on
			returning name`)) as unknown as unknown[]
		if (claimed.length === 0) return false
		for (const account of figures) await enqueueWebhookEvent(tx, 'account.daily_metrics', { day: yesterday, account })
		return true
	})
}
