import { singleton } from '~/utils/singleton.server'
import { changeVersion } from './changes.server'

/**
 * Reads whose result is the same for every reader (popular tags, FAQ categories, the
 * home page's FAQ highlights, a thread's "also asked"), kept in this process and shared
 * by every request, signed in or not: they cost a query or two on every page view
 * otherwise (with the list of tags scanning every visible question), about 0.2 ms of
 * Node CPU per query plus PostgreSQL's. Never for anything that depends on who reads.
 *
 * An entry is good while the `pages` change version (db/changes.server.ts) is the one
 * read before it was loaded: every write that changes what pages show announces it, in
 * this process at once and in the others by notification. A change landing while the
 * entry loads moves the version, so the next request loads again. `TTL_MS` bounds what
 * is not announced, as the page cache's TTL does: view counts (a thread's duplicates'
 * views, the FAQs' popularity order). Callers must not change what they are handed.
 */
const TTL_MS = 10_000
/** The keys are a few per read (languages, limits); far more means something is wrong, and starting over bounds memory. */
const MAX_ENTRIES = 2_000

type Entry = { version: string; expires: number; value: Promise<unknown> }
const entries = singleton('shared-reads', () => new Map<string, Entry>())

export function sharedRead<T>(name: string, key: string, load: () => Promise<T>, now = Date.now()): Promise<T> {
	const version = changeVersion('pages')
	const id = `${name}\u0000${key}`
	const entry = entries.get(id)
	if (entry && entry.version === version && entry.expires > now) return entry.value as Promise<T>
	// Resolved once into a real promise: a query builder is a thenable that runs its query again on every await.
	const value = (async () => load())()
	if (entries.size >= MAX_ENTRIES) entries.clear()
	entries.set(id, { version, expires: now + TTL_MS, value })
	// A failed read (the database away) is not kept: the next request tries again.
	value.catch(() => {
		if (entries.get(id)?.value === value) entries.delete(id)
	})
	return value
}
