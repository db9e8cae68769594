import { Meilisearch } from 'meilisearch'
import { singleton } from '~/utils/singleton.server'
import { meilisearchHttpClient } from './http-client.server'

type SearchConnection = { client: Meilisearch; indexPrefix: string }

const state = singleton('search', () => ({ connection: null as SearchConnection | null }))

export function connectSearch(options: { url: string; masterKey?: string; indexPrefix: string }) {
	state.connection = {
		// No client-side timeout: the HTTP client enforces one (the library's leaks listeners while waiting for tasks).
		client: new Meilisearch({ host: options.url, apiKey: options.masterKey, httpClient: meilisearchHttpClient }),
		indexPrefix: options.indexPrefix,
	}
	return state.connection
}

function connection(): SearchConnection {
	if (!state.connection) throw new Error('Search is not connected yet')
	return state.connection
}

/** The one Meilisearch client of the process. */
export function searchClient(): Meilisearch {
	return connection().client
}

export function indexName(base: string): string {
	return `${connection().indexPrefix}${base}`
}

export async function pingSearch() {
	await searchClient().health()
}
