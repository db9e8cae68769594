import { Meilisearch, MeilisearchRequestError } from 'meilisearch'
import { singleton } from '~/utils/singleton.server'
import { CircuitBreaker } from './breaker'
import { meilisearchHttpClient, MeilisearchHttpError } from './http-client.server'

type SearchConnection = { client: Meilisearch; queryClient: Meilisearch; indexPrefix: string; breaker: CircuitBreaker; now: () => number }

const state = singleton('search', () => ({ connection: null as SearchConnection | null }))

/** Indexing and settings: Meilisearch answers those with a task at once, but may be busy. */
const INDEXING_TIMEOUT_MS = 10_000
/**
 * Searches: a search takes Meilisearch well under 100 ms (p99 48 ms at 20 clients in
 * `npm run bench:search`, p95 0.7 s when every query is new); waiting longer than
 * this means it is overloaded or hanging, and the PostgreSQL fallback answers sooner.
 */
const QUERY_TIMEOUT_MS = 2_000
/** After a failure, searches use the fallback for this long before Meilisearch is tried again. */
const BREAKER_COOLDOWN_MS = 10_000

export function connectSearch(options: { url: string; masterKey?: string; indexPrefix: string; queryTimeoutMs?: number; now?: () => number }) {
	// No client-side timeout: the HTTP client enforces one (the library's leaks listeners while waiting for tasks).
	const now = options.now ?? Date.now
	const client = (timeoutMs: number) => new Meilisearch({ host: options.url, apiKey: options.masterKey, httpClient: meilisearchHttpClient(timeoutMs) })
	state.connection = {
		client: client(INDEXING_TIMEOUT_MS),
		queryClient: client(options.queryTimeoutMs ?? QUERY_TIMEOUT_MS),
		indexPrefix: options.indexPrefix,
		breaker: new CircuitBreaker({ cooldownMs: BREAKER_COOLDOWN_MS, now }),
		now,
	}
	return state.connection
}

function connection(): SearchConnection {
	if (!state.connection) throw new Error('Search is not connected yet')
	return state.connection
}

/** The Meilisearch client of the process for indexing, settings and administration. */
export function searchClient(): Meilisearch {
	return connection().client
}

/** The Meilisearch client for searches, with a short timeout; ask `searchBreaker()` first. */
export function queryClient(): Meilisearch {
	return connection().queryClient
}

export function searchBreaker(): CircuitBreaker {
	return connection().breaker
}

/** The clock of search's timed decisions (the breaker, the fallback's statistics): `connectSearch`'s `now`. */
export function searchNow(): number {
	return connection().now()
}

export function indexName(base: string): string {
	return `${connection().indexPrefix}${base}`
}

export async function pingSearch() {
	await searchClient().health()
}

/**
 * Whether a failed Meilisearch call means Meilisearch is unavailable (refused,
 * reset, timed out, a 5xx, or an index that is not there, as after its data was
 * lost) rather than a request it refused, which is a bug to report, not to hide.
 */
export function isSearchUnavailable(error: unknown): boolean {
	for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
		if (cause instanceof MeilisearchHttpError) return cause.status >= 500 || cause.code === 'index_not_found'
	}
	// The client wraps every failure of the HTTP client itself (no HTTP status) in this error.
	return error instanceof MeilisearchRequestError
}
