import { randomInt } from 'node:crypto'
import PgBoss from 'pg-boss'
import { sql } from 'drizzle-orm'
import type { PostgresJsSession } from 'drizzle-orm/postgres-js'
import type postgres from 'postgres'
import { db, rawSql, type Queryable, type Transaction } from './client.server'
import { log } from '~/utils/log.server'
import { jobOutcomes } from '~/utils/metrics.server'
import { singleton } from '~/utils/singleton.server'

/**
 * The one job queue, on pg-boss: the only module that knows it. Jobs live in the
 * database (schema `pgboss`, created by migration 0008_job_queue with each queue's
 * policy and retries), are sent inside the transaction that makes the change, and
 * are claimed with `FOR UPDATE SKIP LOCKED`, so any number of workers share them.
 *
 * pg-boss talks to PostgreSQL through the app's own connection (its `db` option)
 * rather than a pool of its own: the embedded PGlite serves a single connection.
 */
export type Payloads = {
	'search-index': { type: 'question' | 'faq' | 'tutorial'; id: number }
	'webhook-delivery': { deliveryId: number }
	/** New events into journeys; with `questionId`, the journeys that touched a question whose visibility changed are rebuilt. */
	'insights-journeys': { questionId?: number }
	'insights-alerts': Record<string, never>
	'insights-daily': { day: string }
	'stored-html': Record<string, never>
	'search-fallback': Record<string, never>
	/** Turns one change (an answer, an acceptance, a new question…) into notifications for the people it concerns. */
	notify: { cause: 'question' | 'answer' | 'accepted' | 'duplicate' | 'faq' | 'question-edit' | 'answer-edit'; id: number; actorId: string | null }
	mail: { mailId: number }
	'mail-digest': Record<string, never>
	'attachments-cleanup': Record<string, never>
}
export type QueueName = keyof Payloads

/**
 * How each queue is worked. `batchSize`: jobs handed to one handler call.
 * `repeatAfterSeconds`: the pause before a job that asked to run again does
 * (work done a batch at a time, so it never holds the database for long).
 */
const workSettings: Record<QueueName, { batchSize: number; repeatAfterSeconds?: number }> = {
	'search-index': { batchSize: 200 },
	'webhook-delivery': { batchSize: 10 },
	'insights-journeys': { batchSize: 1 },
	'insights-alerts': { batchSize: 1 },
	'insights-daily': { batchSize: 1 },
	'stored-html': { batchSize: 1, repeatAfterSeconds: 5 },
	'search-fallback': { batchSize: 1, repeatAfterSeconds: 5 },
	notify: { batchSize: 20 },
	mail: { batchSize: 20 },
	'mail-digest': { batchSize: 1, repeatAfterSeconds: 1 },
	'attachments-cleanup': { batchSize: 1 },
}

/** Recurring work, in UTC (pg-boss sends one job per tick, whichever process is first). */
const schedules: Array<{ queue: QueueName; cron: string }> = [
	{ queue: 'insights-journeys', cron: '* * * * *' },
	{ queue: 'insights-alerts', cron: '*/10 * * * *' },
	{ queue: 'mail-digest', cron: '*/15 * * * *' },
	{ queue: 'attachments-cleanup', cron: '17 * * * *' },
]

export type Job<T> = {
	id: string
	data: T
	/**
	 * Records a failed attempt: the job is retried with backoff until its retries are
	 * used up (`final`: at once failed for good). Returns when it will run again.
	 */
	fail: (reason: string, options?: { final?: boolean }) => Promise<Date | null>
	/** Runs the job again after its queue's pause (at once while draining). */
	repeat: () => void
}
export type Handler<Q extends QueueName> = (jobs: Array<Job<Payloads[Q]>>) => Promise<void>
export type Handlers = { [Q in QueueName]: Handler<Q> }

/**
 * pg-boss's `db` contract, over a drizzle database or transaction: its SQL goes to
 * the postgres.js connection (or transaction) under drizzle as it is, with its
 * positional parameters (pg-boss uses one parameter in several places, with
 * different types in each). Resolved at each call, so it follows reconnects.
 */
function adapter(q: Queryable) {
	return {
		executeSql: async (text: string, values: unknown[] = []) => {
			const session = q._.session as unknown as PostgresJsSession<postgres.Sql, Record<string, never>, Record<string, never>>
			// pg-boss's upkeep sends `BEGIN; …; COMMIT;` as one text: postgres.js lets a pool run that only on a connection of its own.
			if (/^\s*BEGIN\b/i.test(text) && 'reserve' in session.client) {
				const reserved = await session.client.reserve()
				try {
					return { rows: (await reserved.unsafe(text)) as unknown as Array<Record<string, unknown>> }
				} finally {
					reserved.release()
				}
			}
			return { rows: (await session.queryObjects(text, values.map(serialize))) as Array<Record<string, unknown>> }
		},
	}
}

/** Drizzle's postgres.js driver leaves JSON and timestamps to its column types: pg-boss's objects and dates are serialized here. */
function serialize(value: unknown): unknown {
	if (value === undefined || value === null) return null
	if (value instanceof Date) return value.toISOString()
	if (typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(value)
	return value
}

const state = singleton('job-queue', () => ({ boss: null as PgBoss | null, listeners: new Set<(queue: QueueName) => void>() }))

function boss(): PgBoss {
	state.boss ??= new PgBoss({ db: adapter(db), supervise: false, schedule: false, migrate: false })
	return state.boss
}

type SendOptions = { key?: string; id?: string; startAfter?: Date | number }

/**
 * Queues a job. Pass the transaction that makes the change: the job commits with
 * it, or not at all. With `key`, a job already waiting under the same key takes
 * its place (queues with the stately policy), and null is returned.
 */
export async function enqueue<Q extends QueueName>(tx: Queryable, queue: Q, data: Payloads[Q], options: SendOptions = {}): Promise<string | null> {
	const send = () =>
		boss().send(queue, data as object, {
			db: adapter(tx),
			...(options.key ? { singletonKey: options.key } : {}),
			...(options.id ? { id: options.id } : {}),
			...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}),
		})
	let id = await send()
	if (id === null && options.key && !(await holdWaitingJob(tx, queue, options.key))) id = await send()
	for (const listener of state.listeners) listener(queue)
	return id
}

/**
 * The waiting job that takes this change's place must not start before the
 * change commits, or it would read the document as it was: locking its row makes
 * workers (which claim with SKIP LOCKED) pass it by until then. False when no job
 * waits any more (a worker claimed it meanwhile): the caller queues one.
 */
async function holdWaitingJob(tx: Queryable, queue: QueueName, key: string): Promise<boolean> {
	const rows = (await tx.execute(sql`select id from pgboss.job where name = ${queue} and singleton_key = ${key} and state = 'created' for update`)) as unknown as unknown[]
	return rows.length > 0
}

/** Queues the recurring jobs now rather than at their next tick (`jobs:run`). */
export async function queueScheduledNow() {
	for (const { queue } of schedules) await enqueue(db, queue, {}, { key: queue })
}

/** Whether a job of this queue is waiting or running (not yet completed, failed or cancelled). */
export async function hasOpenJob(queue: QueueName): Promise<boolean> {
	const rows = (await db.execute(sql`select 1 from pgboss.job where name = ${queue} and state < 'completed' limit 1`)) as unknown as unknown[]
	return rows.length > 0
}

/**
 * Drops the jobs of a queue (benchmarks, for content loaded past the app), or with
 * no queue every job, archived job and schedule (tests start each case empty).
 * Returns how many jobs of the queue were dropped.
 */
export async function discardJobs(queue?: QueueName): Promise<number> {
	if (!queue) {
		await db.execute(sql`truncate pgboss.job, pgboss.archive, pgboss.schedule`)
		return 0
	}
	const [row] = (await db.execute(sql`with dropped as (delete from pgboss.job where name = ${queue} returning 1) select count(*)::int as count from dropped`)) as unknown as Array<{ count: number }>
	return row?.count ?? 0
}

export type QueuedJob = { id: string; state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed'; data: unknown; retryCount: number; startAfter: Date; output: unknown }

/** The jobs of a queue still in the job table, oldest first (tests and diagnostics). */
export async function listJobs(queue: QueueName): Promise<QueuedJob[]> {
	const rows = (await db.execute(sql`
		select id, state, data, retry_count as "retryCount", start_after as "startAfter", output
		from pgboss.job where name = ${queue} order by created_on, id`)) as unknown as Array<QueuedJob & { startAfter: string | Date }>
	return rows.map((row) => ({ ...row, startAfter: new Date(row.startAfter) }))
}

async function failJob(queue: QueueName, id: string, reason: string, final: boolean): Promise<Date | null> {
	// pg-boss retries a failed job while retry_count < retry_limit; a final failure uses its retries up.
	if (final) await db.execute(sql`update pgboss.job set retry_limit = retry_count where name = ${queue} and id = ${id}`)
	await boss().fail(queue, id, { message: reason })
	const job = await boss().getJobById(queue, id)
	return job?.state === 'retry' ? new Date(job.startAfter) : null
}

export type FailedJob = { queue: QueueName; data: unknown; reason: string; final: boolean }
export type RunResult = { completed: number; failed: FailedJob[] }

/**
 * Claims up to `batchSize` due jobs. A worker (`owner`) stamps them with its key in
 * the claim's own transaction, so no job it holds is ever unstamped: if it dies, the
 * others hand every one of them back (handBackOrphanedJobs). When pg-boss's fetch
 * fails (it swallows the error: a stately key already active), it claimed nothing
 * and the aborted transaction commits nothing.
 */
async function claim<Q extends QueueName>(queue: Q, batchSize: number, owner: number | null) {
	if (owner === null) return boss().fetch<Payloads[Q]>(queue, { batchSize })
	return db.transaction(async (tx) => {
		const jobs = await boss().fetch<Payloads[Q]>(queue, { batchSize, db: adapter(tx) })
		if (jobs.length > 0) await tx.execute(sql`update pgboss.job set output = ${JSON.stringify({ worker: owner })}::jsonb where name = ${queue} and id in ${jobs.map((job) => job.id)}`)
		return jobs
	})
}

/** Claims one batch of due jobs of `queue` and runs them; jobs the handler neither failed nor threw for are completed. */
async function runBatch<Q extends QueueName>(queue: Q, handler: Handler<Q>, draining: boolean, owner: number | null = null): Promise<RunResult & { claimed: number }> {
	const { batchSize, repeatAfterSeconds = 0 } = workSettings[queue]
	const claimed = await claim(queue, batchSize, owner)
	if (claimed.length === 0) return { claimed: 0, completed: 0, failed: [] }
	const failed = new Map<string, FailedJob>()
	const repeats: Array<Payloads[Q]> = []
	const jobs: Array<Job<Payloads[Q]>> = claimed.map((job) => ({
		id: job.id,
		data: job.data,
		fail: async (reason, options = {}) => {
			const retryAt = await failJob(queue, job.id, reason, options.final ?? false)
			failed.set(job.id, { queue, data: job.data, reason, final: retryAt === null })
			return retryAt
		},
		repeat: () => void repeats.push(job.data),
	}))
	try {
		await handler(jobs)
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error)
		for (const job of jobs) if (!failed.has(job.id)) await job.fail(reason)
	}
	const done = claimed.filter((job) => !failed.has(job.id)).map((job) => job.id)
	if (done.length > 0) await boss().complete(queue, done)
	if (done.length > 0) jobOutcomes.inc({ queue, outcome: 'completed' }, done.length)
	for (const job of failed.values()) jobOutcomes.inc({ queue, outcome: job.final ? 'failed' : 'retry' })
	for (const data of repeats) await enqueue(db, queue, data, { key: queue, startAfter: draining ? 0 : repeatAfterSeconds })
	return { claimed: claimed.length, completed: done.length, failed: [...failed.values()] }
}

/**
 * Runs every due job until none is left (`jobs:run`, `import` and tests). With
 * `includeRetries`, jobs waiting for a retry are due now too. A job that fails
 * again waits for its next retry, so this ends.
 */
export async function runUntilIdle(handlers: Handlers, options: { includeRetries?: boolean } = {}): Promise<RunResult> {
	if (options.includeRetries) await db.execute(sql`update pgboss.job set start_after = now() where state = 'retry'`)
	const result: RunResult = { completed: 0, failed: [] }
	for (let claimed = 1; claimed > 0; ) {
		claimed = 0
		for (const queue of Object.keys(workSettings) as QueueName[]) {
			const batch = await runBatch(queue, handlers[queue] as Handler<typeof queue>, true)
			claimed += batch.claimed
			result.completed += batch.completed
			result.failed.push(...batch.failed)
		}
	}
	return result
}

export type QueueWorker = { stop: () => Promise<void> }

/**
 * Whether a worker is alive, as PostgreSQL knows it: each worker holds this
 * session-level advisory lock (with its own random key) on a connection of its own,
 * and PostgreSQL drops it when that connection ends, whether the process stopped,
 * crashed or was killed with SIGKILL. (The two-number form: the app's other advisory
 * locks use one bigint and never collide with it.)
 */
const WORKER_LOCK = 0x4b5a
/** How often each worker looks for jobs whose worker died, and checks that it still holds its own lock. */
const ORPHAN_CHECK_MS = 3000
/** Written on a job handed back, where pg-boss keeps a failure's reason. */
export const ORPHANED = 'Its worker stopped before finishing it: handed back to the queue'

/** What to undo for jobs handed back, in the same transaction (a mail's sending lease). */
export type OrphanHooks = { [Q in QueueName]?: (tx: Transaction, jobs: Array<Payloads[Q]>) => Promise<void> }

/**
 * Hands every active job whose worker is gone back to its queue, due at once and
 * counted as a retry: without this a job held by a killed worker waited for pg-boss
 * to expire it (`expireInSeconds`: 60 s for a webhook, 5 minutes for an index job, 15
 * for a mail) and for its next maintenance (every 2 minutes). Jobs claimed outside a
 * worker (`jobs:run`, tests) carry no key and are left to that expiry.
 */
export async function handBackOrphanedJobs(hooks: OrphanHooks = {}): Promise<number> {
	return db.transaction(async (tx) => {
		const rows = (await tx.execute(sql`
			with orphans as (
				select j.name, j.id from pgboss.job j
				where j.state = 'active' and j.output->>'worker' is not null
					and not exists (
						select 1 from pg_locks l
						where l.locktype = 'advisory' and l.granted and l.objsubid = 2
							and l.database = (select oid from pg_database where datname = current_database())
							and l.classid::bigint = ${WORKER_LOCK} and l.objid::bigint = (j.output->>'worker')::bigint)
				for update of j skip locked)
			update pgboss.job j set state = 'retry', start_after = now(), output = ${JSON.stringify({ message: ORPHANED })}::jsonb
			from orphans o where j.name = o.name and j.id = o.id
			returning j.name, j.data`)) as unknown as Array<{ name: QueueName; data: unknown }>
		for (const queue of new Set(rows.map((row) => row.name))) {
			const jobs = rows.filter((row) => row.name === queue).map((row) => row.data)
			jobOutcomes.inc({ queue, outcome: 'retry' }, jobs.length)
			log.warn({ queue, jobs: jobs.length }, ORPHANED)
			await (hooks[queue] as ((tx: Transaction, jobs: unknown[]) => Promise<void>) | undefined)?.(tx, jobs)
		}
		return rows.length
	})
}

/**
 * Takes this worker's liveness lock on a connection reserved for it; with the embedded
 * database, which serves one connection, on that one. The pool is looked up at each
 * call, so the lock follows a reconnection (a restore reopens the embedded database).
 * `check` takes it again if its connection was lost (a PostgreSQL restart): until then
 * the other workers may hand its jobs back, the at-least-once window the README owns up to.
 */
async function holdWorkerLock() {
	const key = randomInt(1, 2 ** 31 - 1)
	let reserved: postgres.ReservedSql | null = null
	const run = async (query: string) => {
		const pool = rawSql()
		if (pool.options.max > 1) reserved ??= await pool.reserve()
		return (reserved ?? pool).unsafe(query, [WORKER_LOCK, key])
	}
	await run('select pg_advisory_lock($1, $2)')
	return {
		key,
		check: async () => {
			try {
				await run(`select pg_try_advisory_lock($1, $2) where not exists (
					select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and granted and objsubid = 2 and classid::bigint = $1 and objid::bigint = $2)`)
			} catch (error) {
				log.error({ err: error }, 'The job worker lost the connection that holds its lock: it takes it again on a new one')
				reserved?.release()
				reserved = null
			}
		},
		release: async () => {
			// A connection already lost has dropped the lock with it: stopping goes on.
			await run('select pg_advisory_unlock($1, $2)').catch((error: unknown) => log.warn({ reason: (error as Error).message }, 'The job worker could not release its lock'))
			reserved?.release()
		},
	}
}

/**
 * Works the queues in this process, each on its own so a slow job (a webhook
 * receiver taking its 10 s) never holds up another queue: polls each every
 * `pollMs`, and at once after a job is queued here (and again shortly after, for
 * a send made inside a transaction that had not committed yet). Also runs
 * pg-boss's upkeep (expiring jobs whose worker died, archiving) and the
 * recurring schedules.
 */
export async function startQueueWorker(handlers: Handlers, options: { pollMs?: number; orphanHooks?: OrphanHooks } = {}): Promise<QueueWorker> {
	const upkeep = new PgBoss({ db: adapter(db), supervise: true, schedule: true, migrate: true })
	upkeep.on('error', (error) => log.error({ err: error }, 'Job queue upkeep failed'))
	await upkeep.start()
	for (const { queue, cron } of schedules) await upkeep.schedule(queue, cron, {}, { tz: 'UTC', singletonKey: queue })
	const lock = await holdWorkerLock()
	const handBack = () => handBackOrphanedJobs(options.orphanHooks).catch((error: unknown) => log.error({ err: error }, 'Handing back the jobs of stopped workers failed'))
	// Jobs of a worker killed before this one started (a restart after SIGKILL) go back before any is claimed.
	await handBack()
	let checking: Promise<unknown> | null = null
	const orphanCheck = setInterval(() => {
		checking ??= lock
			.check()
			.then(handBack)
			.finally(() => (checking = null))
	}, ORPHAN_CHECK_MS)
	const pollers = (Object.keys(workSettings) as QueueName[]).map((queue) => poll(queue, handlers[queue] as Handler<typeof queue>, options.pollMs ?? 1000, lock.key))
	const wake = (queue: QueueName) => pollers.find((poller) => poller.queue === queue)?.wake()
	state.listeners.add(wake)
	return {
		// Claims no more, finishes the batches it is running, then lets go of its lock.
		stop: async () => {
			state.listeners.delete(wake)
			clearInterval(orphanCheck)
			await Promise.all(pollers.map((poller) => poller.stop()))
			await checking
			await upkeep.stop({ graceful: true, wait: true, close: false })
			await lock.release()
		},
	}
}

/** Runs one queue's due jobs, batch after batch, then waits `pollMs` (or a wake-up). */
function poll<Q extends QueueName>(queue: Q, handler: Handler<Q>, pollMs: number, owner: number) {
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
			do {
				again = false
				try {
					const batch = await runBatch(queue, handler, false, owner)
					if (batch.claimed > 0) again = true
					for (const job of batch.failed) log.warn({ queue: job.queue, job: job.data, reason: job.reason, final: job.final }, job.final ? 'Job failed for good' : 'Job failed, will retry')
				} catch (error) {
					log.error({ err: error, queue }, 'Job queue poll failed')
				}
			} while (again && !stopped)
		})().finally(() => {
			running = null
			if (!stopped) timer = setTimeout(tick, pollMs)
		})
	}
	// A job sent inside a transaction wakes the worker before it commits, so the
	// first look finds nothing; a second look soon after finds it committed. Without
	// it the job waited for the next poll: `npm run bench:notifications` measured
	// 1.05 s from a posted question to its notifications, most of it that wait.
	let lateLook: NodeJS.Timeout | null = null
	const lookAgainSoon = () => {
		lateLook ??= setTimeout(() => {
			lateLook = null
			tick()
		}, 100)
	}
	tick()
	return {
		queue,
		wake: () => {
			setImmediate(tick)
			lookAgainSoon()
		},
		stop: async () => {
			stopped = true
			if (timer) clearTimeout(timer)
			if (lateLook) clearTimeout(lateLook)
			await running
		},
	}
}
