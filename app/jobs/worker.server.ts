import { rebuildFallbackStep } from '#search/fallback.server'
import { onIndexTaskQueued, processIndexTasks, type IndexTaskResult } from '#search/sync.server'
import { flushEvents } from '~/insights/events.server'
import { refreshInsights } from '~/insights/jobs.server'
import { backfillRenderedMarkdown } from './rendered-markdown.server'
import { deliverDueWebhooks } from '~/webhooks/deliveries.server'

export type Worker = { stop: () => Promise<void> }

/**
 * The in-process background worker: applies queued index tasks shortly after each
 * write, and polls so that tasks written by other processes (the CLI) or deferred
 * by a Meilisearch outage are picked up. A write's notification can arrive before
 * its transaction commits; the short poll bounds that delay.
 */
export function startWorker(options: { pollMs?: number } = {}): Worker {
	const pollMs = options.pollMs ?? 500
	const periodic = periodicJobs.map((job) => every(job.everyMs, job.name, job.run))
	let stopped = false
	let running: Promise<void> | null = null
	let timer: NodeJS.Timeout | null = null
	let again = false

	const tick = () => {
		if (stopped) return
		if (running) {
			again = true
			return
		}
		if (timer) clearTimeout(timer)
		running = (async () => {
			try {
				let result
				do {
					again = false
					result = await processIndexTasks()
				} while (!stopped && (result.applied > 0 || result.parked.length > 0 || again))
			} catch (error) {
				console.error('Background worker:', error)
			} finally {
				running = null
				if (!stopped) timer = setTimeout(tick, pollMs)
			}
		})()
	}
	const unsubscribe = onIndexTaskQueued(() => setImmediate(tick))
	tick()
	return {
		stop: async () => {
			stopped = true
			unsubscribe()
			if (timer) clearTimeout(timer)
			await Promise.all([running, ...periodic.map((job) => job.stop())])
			await flushEvents().catch((error) => console.error('Background worker:', error))
		},
	}
}

/** Work done on a timer rather than on notification. */
const periodicJobs: Array<{ name: string; everyMs: number; run: () => Promise<unknown> }> = [
	{ name: 'insights', everyMs: 15_000, run: () => refreshInsights() },
	{ name: 'webhook deliveries', everyMs: 2_000, run: deliverDueWebhooks },
	{ name: 'stored HTML', everyMs: 5_000, run: backfillWhilePending() },
	// Builds the search fallback's rows after the upgrade that added them (or `reindex`), a few seconds' work at a time.
	{ name: 'search fallback', everyMs: 5_000, run: () => rebuildFallbackStep() },
]

/**
 * Stores the HTML of posts saved before it was stored, a batch every few seconds.
 * Once none is left it looks again only every ten minutes: finding none scans the
 * post tables.
 */
function backfillWhilePending(now = () => Date.now()) {
	let idleUntil = 0
	return async () => {
		if (now() < idleUntil) return
		if ((await backfillRenderedMarkdown()) === 0) idleUntil = now() + 10 * 60_000
	}
}

function every(ms: number, name: string, run: () => Promise<unknown>) {
	let stopped = false
	let running: Promise<void> | null = null
	const timer = setInterval(() => {
		if (running || stopped) return
		running = run()
			.then(() => undefined)
			.catch((error) => console.error(`Background worker (${name}):`, error))
			.finally(() => {
				running = null
			})
	}, ms)
	return {
		stop: async () => {
			stopped = true
			clearInterval(timer)
			await running
		},
	}
}

/** Processes every pending job now, retries included (`jobs:run`). */
export async function runPendingJobs(): Promise<IndexTaskResult> {
	await refreshInsights({ force: true })
	for (let stored = 1; stored > 0; ) stored = await backfillRenderedMarkdown()
	const result = await applyIndexTasks()
	await deliverDueWebhooks()
	return result
}

async function applyIndexTasks(): Promise<IndexTaskResult> {
	let applied = 0
	const parked: IndexTaskResult['parked'] = []
	for (;;) {
		const result = await processIndexTasks({ includeDeferred: true })
		applied += result.applied
		parked.push(...result.parked)
		if (result.failed > 0) return { applied, failed: result.failed, parked }
		if (result.applied === 0 && result.parked.length === 0) return { applied, failed: 0, parked }
	}
}
