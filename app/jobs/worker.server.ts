import { onIndexTaskQueued, processIndexTasks } from '#search/sync.server'

export type Worker = { stop: () => Promise<void> }

/**
 * The in-process background worker: applies queued index tasks shortly after each
 * write, and polls so that tasks written by other processes (the CLI) or deferred
 * by a Meilisearch outage are picked up. A write's notification can arrive before
 * its transaction commits; the short poll bounds that delay.
 */
export function startWorker(options: { pollMs?: number } = {}): Worker {
	const pollMs = options.pollMs ?? 500
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
				} while (!stopped && (result.applied > 0 || again))
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
			await running
		},
	}
}

/** Processes every pending job now, retries included (`jobs:run`). */
export async function runPendingJobs(): Promise<{ applied: number; failed: number }> {
	let applied = 0
	for (;;) {
		const result = await processIndexTasks({ includeDeferred: true })
		applied += result.applied
		if (result.failed > 0) return { applied, failed: result.failed }
		if (result.applied === 0) return { applied, failed: 0 }
	}
}
