import crypto from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { RequestHandler } from 'express'
import { collectDefaultMetrics, Gauge } from 'prom-client'
import { db } from '#db/client.server'
import { queryClient } from '#search/client.server'
import { log } from '~/utils/log.server'
import { metricsRegistry } from '~/utils/metrics.server'
import { singleton } from '~/utils/singleton.server'
import { fromTrustedProxy } from './request-log'

/**
 * GET /metrics in the Prometheus text format, for web and worker processes alike.
 * Besides the counters and histograms updated as things happen
 * (app/utils/metrics.server.ts), two groups are read when scraped, so they are right
 * whichever process did the work: the job queue from pg-boss's table (one grouped
 * query) and Meilisearch's task queue (one request for one task). A scrape costs
 * those two round trips, each bounded by its client's timeout.
 */
const JOB_STATES = ['created', 'retry', 'active', 'failed'] as const

/**
 * One read per scrape, shared by the gauges that show it: prom-client starts every
 * metric's collect together, so they join the read in flight; the next scrape reads anew.
 */
function perScrape<T>(read: () => Promise<T>): () => Promise<T> {
	let inFlight: Promise<T> | null = null
	return () => {
		inFlight ??= read().finally(() => {
			inFlight = null
		})
		return inFlight
	}
}

type JobRow = { queue: string; state: string; count: number; oldestDue: number }
type MeiliTasks = { up: true; enqueued: number; processing: number; oldestSeconds: number } | { up: false }

export function registerScrapedMetrics(now: () => number = Date.now) {
	singleton('metrics-scraped', () => {
		collectDefaultMetrics({ register: metricsRegistry })
		// Without the database the queue's series are left out rather than failing the scrape: the process figures still tell what is going on.
		const jobRows = perScrape(async () => {
			try {
				return (await db.execute(sql`
					select name as queue, state::text as state, count(*)::int as count,
						coalesce(extract(epoch from now() - min(start_after) filter (where state in ('created', 'retry') and start_after <= now())), 0)::float8 as "oldestDue"
					from pgboss.job where state in ('created', 'retry', 'active', 'failed') group by name, state`)) as unknown as JobRow[]
			} catch (error) {
				log.warn({ reason: (error as Error).message }, 'Metrics: the job queue could not be read')
				return []
			}
		})
		new Gauge({
			name: 'kizuna_jobs',
			help: 'Jobs in the queue table by queue and state: created (waiting), retry (waiting for a retry), active (running), failed (failed for good, kept until archived)',
			labelNames: ['queue', 'state'] as const,
			registers: [metricsRegistry],
			async collect() {
				const rows = await jobRows()
				this.reset()
				for (const row of rows) if ((JOB_STATES as readonly string[]).includes(row.state)) this.set({ queue: row.queue, state: row.state }, row.count)
			},
		})
		new Gauge({
			name: 'kizuna_jobs_oldest_due_seconds',
			help: 'How long the oldest due job (waiting or retrying, its start time passed) has waited since then, by queue; 0 when none waits',
			labelNames: ['queue'] as const,
			registers: [metricsRegistry],
			async collect() {
				const rows = await jobRows()
				this.reset()
				const oldest = new Map<string, number>()
				for (const row of rows) oldest.set(row.queue, Math.max(oldest.get(row.queue) ?? 0, row.oldestDue))
				for (const [queue, seconds] of oldest) this.set({ queue }, seconds)
			},
		})
		const meiliTasks = perScrape(async (): Promise<MeiliTasks> => {
			try {
				const client = queryClient()
				const [enqueued, processing, oldest] = await Promise.all([
					client.tasks.getTasks({ statuses: ['enqueued'], limit: 1 }),
					client.tasks.getTasks({ statuses: ['processing'], limit: 1 }),
					client.tasks.getTasks({ statuses: ['enqueued', 'processing'], limit: 1, reverse: true }),
				])
				const first = oldest.results[0]
				return { up: true, enqueued: enqueued.total, processing: processing.total, oldestSeconds: first ? Math.max(0, (now() - Date.parse(first.enqueuedAt)) / 1000) : 0 }
			} catch (error) {
				log.warn({ reason: (error as Error).message }, 'Metrics: Meilisearch did not answer about its task queue')
				return { up: false }
			}
		})
		new Gauge({
			name: 'kizuna_meilisearch_up',
			help: '1 when Meilisearch answered this scrape, 0 when it did not',
			registers: [metricsRegistry],
			async collect() {
				this.set((await meiliTasks()).up ? 1 : 0)
			},
		})
		new Gauge({
			name: 'kizuna_meilisearch_tasks',
			help: 'Meilisearch tasks not finished yet, by status (enqueued, processing): the index updates it still has to apply',
			labelNames: ['status'] as const,
			registers: [metricsRegistry],
			async collect() {
				const tasks = await meiliTasks()
				this.reset()
				if (!tasks.up) return
				this.set({ status: 'enqueued' }, tasks.enqueued)
				this.set({ status: 'processing' }, tasks.processing)
			},
		})
		new Gauge({
			name: 'kizuna_meilisearch_oldest_task_seconds',
			help: 'Age of the oldest Meilisearch task not finished yet (enqueued or processing); 0 when none',
			registers: [metricsRegistry],
			async collect() {
				const tasks = await meiliTasks()
				this.set(tasks.up ? tasks.oldestSeconds : 0)
			},
		})
		return true
	})
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

/** Headers a proxy adds: nginx's plain proxy_pass sends none of X-Forwarded-For or Forwarded, but may send these. */
const PROXY_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'via']

/**
 * Who may scrape: with KIZUNA_METRICS_TOKEN, whoever sends it as a Bearer token;
 * without, only this machine, connected directly. A proxy on this machine would make
 * every visitor look local, so a request that came through one (`proxied`: the
 * connection is from KIZUNA_TRUSTED_PROXIES, or it carries a proxy's header) is
 * refused; a proxy that says nothing cannot be told apart, hence the README's advice
 * to set a token behind one. Anyone else gets the site's ordinary 404, so the
 * endpoint is not advertised.
 */
export function scrapeAllowed(input: { token: string | undefined; authorization: string | undefined; remoteAddress: string | undefined; proxied: boolean }): boolean {
	if (input.token) {
		const given = /^Bearer (.+)$/.exec(input.authorization ?? '')?.[1] ?? ''
		const digest = (value: string) => crypto.createHash('sha256').update(value).digest()
		return crypto.timingSafeEqual(digest(given), digest(input.token))
	}
	return !input.proxied && LOOPBACK.has(input.remoteAddress ?? '')
}

export function metricsEndpoint(token: string | undefined): RequestHandler {
	return async (req, res, next) => {
		const allowed = scrapeAllowed({
			token,
			authorization: req.headers.authorization,
			remoteAddress: req.socket.remoteAddress,
			proxied: fromTrustedProxy(req) || PROXY_HEADERS.some((name) => req.headers[name] !== undefined),
		})
		if (!allowed) {
			// Answered as an unknown page, whoever asks: a wrong scrape token is not an API token to complain about.
			delete req.headers.authorization
			return next()
		}
		res.locals.route = 'metrics'
		try {
			const body = await metricsRegistry.metrics()
			res.status(200).set('Content-Type', metricsRegistry.contentType).set('Cache-Control', 'no-store').send(body)
		} catch (error) {
			next(error)
		}
	}
}
