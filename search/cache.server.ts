import { searchCache } from '~/utils/metrics.server'
import { singleton } from '~/utils/singleton.server'
import { indexName, queryClient } from './client.server'
import { CONTENT_INDEX } from './settings'

/**
 * Recent search results, kept in memory: people ask the same things over and
 * over, and a re-ranked search costs several Meilisearch queries. A result is
 * reused only while the index is as it was when it was computed:
 *   - this process bumps its own counter whenever it changes the index or the
 *     vocabulary (`indexChanged`), so its own writes show at once;
 *   - changes made by other processes (another server, the CLI's `jobs:run` or
 *     `reindex` against the same PostgreSQL) show through Meilisearch's latest
 *     finished task on the index, checked at most once a second;
 *   - a result also records the synonym groups it was expanded with.
 */
const MAX_ENTRIES = 1000
const REMOTE_CHECK_MS = 1000

type Entry<T> = { value: T; local: number; remote: number; synonyms: unknown }
type State = {
	entries: Map<string, Entry<unknown>>
	/** Searches being computed, by key and index version: the same search asked meanwhile waits for it. */
	computing: Map<string, { synonyms: unknown; computation: Promise<unknown> }>
	local: number
	remote: number
	checkedAt: number
	checking: boolean
}

const state = singleton('search-results', (): State => ({ entries: new Map(), computing: new Map(), local: 0, remote: -1, checkedAt: 0, checking: false }))

/** Call after this process changed the index (documents, settings) or the vocabulary. */
export function indexChanged() {
	state.local++
}

/** Latest finished Meilisearch task on the content index; looked up in the background so no search waits for it. */
function refreshRemote() {
	if (state.checking || Date.now() - state.checkedAt < REMOTE_CHECK_MS) return
	state.checking = true
	queryClient()
		.tasks.getTasks({ indexUids: [indexName(CONTENT_INDEX)], statuses: ['succeeded'], limit: 1 })
		.then(
			(tasks) => {
				state.remote = tasks.results[0]?.uid ?? 0
			},
			// Unknown state: nothing cached is trusted until Meilisearch answers again.
			() => {
				state.remote = -1
			},
		)
		.finally(() => {
			state.checkedAt = Date.now()
			state.checking = false
		})
}

/** Changes whenever the index may have changed (as far as this process can tell). */
function indexVersion(): string {
	refreshRemote()
	return `${state.local}:${state.remote}`
}

/**
 * Values computed from the index (one word's candidates, say), kept until the index
 * may have changed; the oldest go first beyond `maxEntries`.
 */
export function indexMemo<V>(name: string, maxEntries: number) {
	const memo = singleton(`index-memo:${name}`, () => ({ version: '', entries: new Map<string, V>() }))
	const current = () => {
		const version = indexVersion()
		if (memo.version !== version) {
			memo.entries.clear()
			memo.version = version
		}
		return version
	}
	return {
		/** The index version to hand back to `set` with what is computed now. */
		version: current,
		get: (key: string): V | undefined => (current(), memo.entries.get(key)),
		/** Keeps a value computed from the index as it was at `version`, if it still is (and was known then). */
		set(key: string, value: V, version: string) {
			if (state.remote === -1 || current() !== version) return
			memo.entries.set(key, value)
			if (memo.entries.size > maxEntries) memo.entries.delete(memo.entries.keys().next().value!)
		},
	}
}

export async function cachedSearch<T>(key: string, synonyms: unknown, compute: () => Promise<T>): Promise<T> {
	refreshRemote()
	const entry = state.entries.get(key)
	if (entry && entry.local === state.local && entry.remote === state.remote && state.remote !== -1 && entry.synonyms === synonyms) {
		// Map order is insertion order: re-inserting makes this the most recently used.
		state.entries.delete(key)
		state.entries.set(key, entry)
		searchCache.inc({ result: 'hit' })
		return entry.value as T
	}
	const before = { local: state.local, remote: state.remote }
	// Right after the index changed, a popular search is asked many times before its
	// first answer is ready: one computation serves them all. A change made after it
	// started gives it a different key, so nobody gets results older than their request.
	const flight = JSON.stringify([key, before.local, before.remote])
	const pending = state.computing.get(flight)
	if (pending && pending.synonyms === synonyms) {
		searchCache.inc({ result: 'hit' })
		return pending.computation as Promise<T>
	}
	searchCache.inc({ result: 'miss' })
	const computation = compute()
	state.computing.set(flight, { synonyms, computation })
	try {
		const value = await computation
		// A change that landed while computing may or may not be in the result: keep it only if none did.
		if (before.remote !== -1 && before.local === state.local && before.remote === state.remote) {
			state.entries.delete(key)
			state.entries.set(key, { value, ...before, synonyms })
			if (state.entries.size > MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value!)
		}
		return value
	} finally {
		if (state.computing.get(flight)?.computation === computation) state.computing.delete(flight)
	}
}
