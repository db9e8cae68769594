import { createHash } from 'node:crypto'
import { db, type Queryable } from '#db/client.server'
import { enqueue, hasOpenJob, type Job, type Payloads } from '#db/queue.server'
import { enqueueWebhookEvent } from '~/webhooks/deliveries.server'
import { evaluateAlerts } from './alerts.server'
import { buildJourneys, rebuildJourneysAbout } from './journeys.server'
import { accountRows } from './metrics.server'
import { addDays, dayOf, resolveRange } from './range.server'

/** `insights-journeys`: new events every minute (insights pages also build them first), and rebuilds queued by moderation. */
export async function journeysJob(jobs: Array<Job<Payloads['insights-journeys']>>) {
	for (const { data } of jobs) {
		if (data.questionId === undefined) await buildJourneys()
		else await rebuildJourneysAbout(data.questionId)
	}
}

/**
 * Queues the rebuild of the journeys that touched a question, in the transaction
 * that hides, deletes, holds or restores it: the insights follow the change within
 * a minute or so, and a change that rolls back queues nothing. One job waits per
 * question however often it changes meanwhile.
 */
export async function queueJourneyRebuild(tx: Queryable, questionId: number) {
	await enqueue(tx, 'insights-journeys', { questionId }, { key: `question:${questionId}` })
}

/** `insights-alerts` (every 10 minutes). */
export async function alertsJob() {
	await evaluateAlerts()
}

/**
 * The job of a day's `account.daily_metrics` has an id made from the day, so a day
 * is queued once whoever queues it (migration 0008_job_queue makes the same ids).
 */
export function dailyJobId(day: string): string {
	const hex = createHash('md5').update(`insights-daily:${day}`).digest('hex')
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The job for `day`, due when that day is over (UTC). */
function queueDay(tx: Parameters<typeof enqueue>[0], day: string) {
	return enqueue(tx, 'insights-daily', { day }, { id: dailyJobId(day), startAfter: new Date(`${addDays(day, 1)}T00:00:00Z`) })
}

/**
 * Starts the chain of daily jobs when there is none (a new database): the first
 * one sends yesterday's figures.
 */
export async function startDailyMetrics(now = new Date()) {
	if (await hasOpenJob('insights-daily')) return
	await queueDay(db, addDays(dayOf(now), -1))
}

/**
 * `insights-daily`: `account.daily_metrics`, one delivery per account with the
 * figures of the job's day. Each day's job queues the next day's in the same
 * transaction as its deliveries, so the chain never breaks, a worker that was
 * down catches up day by day, and a job run twice (its worker died before
 * completing it) finds the next day already queued and sends nothing again.
 */
export async function dailyMetricsJob(jobs: Array<Job<Payloads['insights-daily']>>) {
	for (const { data } of jobs) {
		// Computed before the transaction: the embedded database serves one connection.
		const figures = await accountRows(await resolveRange({ from: data.day, to: data.day }))
		await db.transaction(async (tx) => {
			if ((await queueDay(tx, addDays(data.day, 1))) === null) return
			for (const account of figures) await enqueueWebhookEvent(tx, 'account.daily_metrics', { day: data.day, account })
		})
	}
}
