import crypto from 'node:crypto'
import { sql, type SQL } from 'drizzle-orm'
import postgres from 'postgres'
import { log } from '~/utils/log.server'
import { singleton } from '~/utils/singleton.server'

/**
 * The one cross-process change signal. A write that changes what a cache holds calls
 * `announceChange(tx, topic)` inside its transaction; every process keeps a version
 * per topic, and a cache entry made under one version is good only while the
 * version is the same (`changeVersion`), or is dropped when it moves (`onChange`).
 *
 * With PostgreSQL at DATABASE_URL the signal is `pg_notify`: delivered at commit, to
 * every listening process, in commit order, and never for a rolled-back write. Each
 * notification carries a unique id that becomes the topic's version in every process
 * that receives it, so processes agree on versions and can share entries (the page
 * cache's table). A process that is not listening (not started, or its listening
 * connection lost) cannot know what changed: every `changeVersion` call then returns a
 * version never seen before, so nothing cached is trusted. When it listens again it
 * announces `all` to everyone, so the whole fleet agrees on new versions at once.
 *
 * The embedded PGlite database is one process with one connection that runs one
 * transaction at a time, and its notifications do not reach a listener (measured:
 * NOTIFY sent over its socket never reaches `pglite.listen`), so there the version is
 * moved in this process only. Moving it inside the transaction is safe there: any
 * render that starts afterwards waits for the connection, so it reads the committed
 * change (or the rollback, which only costs a needless miss).
 *
 * The writing process moves its own version at once too, without waiting for its
 * notification: its next anonymous page already shows the change.
 */
export type ChangeTopic = 'pages' | 'vocabulary'
const topics: ChangeTopic[] = ['pages', 'vocabulary']
const CHANNEL = 'kizuna_changes'
const RETRY_MS = 1_000

type Mode = 'unknown' | 'local' | 'listening'
/** The database or a transaction (client.server.ts's Queryable, which imports this module). */
type Writer = { execute: (query: SQL) => PromiseLike<unknown> }

const state = singleton('change-signal', () => ({
	mode: 'unknown' as Mode,
	counter: 0,
	process: crypto.randomUUID(),
	versions: new Map<ChangeTopic, string>(),
	handlers: new Map<ChangeTopic, Set<() => void>>(),
	/** Transactions that already sent a topic's notification. */
	announced: new WeakMap<object, Set<ChangeTopic>>(),
	listener: null as postgres.Sql | null,
	retry: null as NodeJS.Timeout | null,
}))

const freshVersion = () => `${state.process}:${++state.counter}`

function setVersion(topic: ChangeTopic, version: string) {
	state.versions.set(topic, version)
	for (const handler of state.handlers.get(topic) ?? []) {
		try {
			handler()
		} catch (error) {
			log.error({ err: error, topic }, 'A change handler failed')
		}
	}
}

/** The version of `topic` in this process; with no signal (not listening), a new one on every call. */
export function changeVersion(topic: ChangeTopic): string {
	if (state.mode === 'unknown') return freshVersion()
	let version = state.versions.get(topic)
	if (version === undefined) {
		version = freshVersion()
		state.versions.set(topic, version)
	}
	return version
}

/** Runs `handler` whenever `topic`'s version moves in this process. Returns what unregisters it. */
export function onChange(topic: ChangeTopic, handler: () => void): () => void {
	const set = state.handlers.get(topic) ?? new Set()
	state.handlers.set(topic, set)
	set.add(handler)
	return () => set.delete(handler)
}

/** Inside the writing transaction: `topic` changed for every process once it commits. */
export async function announceChange(q: Writer, topic: ChangeTopic) {
	setVersion(topic, freshVersion())
	if (state.mode === 'local') return
	// One notification per transaction is enough; outside one (the database itself, the same object for the whole process) every call sends its own.
	if (inTransaction(q)) {
		const sent = state.announced.get(q) ?? new Set<ChangeTopic>()
		if (sent.has(topic)) return
		sent.add(topic)
		state.announced.set(q, sent)
	}
	await q.execute(sql`select pg_notify(${CHANNEL}, ${`${topic}:${crypto.randomUUID()}`})`)
}

/** Drizzle's transactions can roll back; the database cannot. */
const inTransaction = (q: Writer) => typeof (q as { rollback?: unknown }).rollback === 'function'

function received(payload: string) {
	const split = payload.indexOf(':')
	const topic = payload.slice(0, split)
	const id = payload.slice(split + 1)
	if (topic === 'all') for (const each of topics) setVersion(each, id)
	else if ((topics as string[]).includes(topic)) setVersion(topic as ChangeTopic, id)
}

/** Everything may have changed while this process could not hear: new versions here now, and for everyone once the `all` arrives. */
function forgetAll() {
	for (const topic of topics) setVersion(topic, freshVersion())
}

/** The embedded database: changes are announced in this process only (see above). */
export function useLocalChanges() {
	state.mode = 'local'
	// Opened again (a restore swaps the whole database): nothing cached before is known to be right.
	forgetAll()
}

/**
 * Listens on its own connection (a LISTEN holds one). postgres.js re-listens once after
 * a lost connection and gives up silently if that fails, so the connection is ours:
 * `onclose` puts the process in the unknown state and retries every second.
 */
export async function listenForChanges(databaseUrl: string) {
	if (state.listener) return
	const listener = postgres(databaseUrl, {
		max: 1,
		idle_timeout: 0,
		max_lifetime: null,
		onnotice: () => {},
		// Named in pg_stat_activity: one such idle connection per process is this signal.
		connection: { application_name: 'kizuna-changes' },
		onclose: () => {
			if (state.listener !== listener) return
			state.mode = 'unknown'
			scheduleListen(listener)
		},
		// postgres.js hands notifications to this option (what its own `listen` uses); typed only as part of `listen`.
		...({ onnotify: (channel: string, payload: string) => channel === CHANNEL && received(payload) } as object),
	})
	state.listener = listener
	await startListening(listener).catch((error: Error) => {
		log.warn({ reason: error.message }, 'Cannot listen for changes from other processes yet; nothing cached is trusted meanwhile')
		scheduleListen(listener)
	})
}

async function startListening(listener: postgres.Sql) {
	await listener.unsafe(`listen ${CHANNEL}`)
	if (state.listener !== listener) return
	state.mode = 'listening'
	forgetAll()
	await listener`select pg_notify(${CHANNEL}, ${`all:${crypto.randomUUID()}`})`
}

function scheduleListen(listener: postgres.Sql) {
	if (state.retry) return
	state.retry = setTimeout(() => {
		state.retry = null
		if (state.listener !== listener) return
		startListening(listener).catch((error: Error) => {
			log.warn({ reason: error.message }, 'Cannot listen for changes from other processes yet; nothing cached is trusted meanwhile')
			scheduleListen(listener)
		})
	}, RETRY_MS)
	state.retry.unref()
}

export async function stopListening() {
	const listener = state.listener
	state.listener = null
	state.mode = 'unknown'
	if (state.retry) clearTimeout(state.retry)
	state.retry = null
	await listener?.end({ timeout: 2 })
}
