import { indexMemo } from './cache.server'
import type { Frequencies } from './rerank.server'

/** Documents in the index, and how many contain each term: kept until the index changes. */
const counts = indexMemo<number>('document-frequencies', 50_000)
const ALL_DOCUMENTS = '\u0000all'

/** A count Meilisearch is asked for: a search that returns no hit, only its total. */
export type CountQuery = { indexUid: string; q: string; filter?: string; page: number; hitsPerPage: number }

/**
 * How many documents contain each term, counted by Meilisearch on the documents'
 * `terms` (an exact filter: searching for a stem would also count typos and longer
 * words). BM25 needs them for every search; each is counted once and again after the
 * index changed (a phrasing just learned brings words no document had). The counts
 * not known yet travel as `queries` in the search's own multi-search, so a new query
 * costs one round trip to Meilisearch rather than two.
 */
export function frequencyPlan(indexUid: string, terms: string[]) {
	const version = counts.version()
	const known = new Map<string, number>()
	const missing: string[] = []
	for (const key of [ALL_DOCUMENTS, ...terms]) {
		const count = counts.get(key)
		if (count === undefined) missing.push(key)
		else known.set(key, count)
	}
	const queries: CountQuery[] = missing.map((key) => ({ indexUid, q: '', ...(key === ALL_DOCUMENTS ? {} : { filter: `terms = ${JSON.stringify(key)}` }), page: 1, hitsPerPage: 0 }))
	const documents = known.get(ALL_DOCUMENTS)
	return {
		/** The counts known before asking (only the terms counted), or null while the number of documents is not. */
		counted: documents === undefined ? null : ({ documents: Math.max(documents, 1), df: new Map(known) } satisfies Frequencies),
		queries,
		/** The frequencies, from the answers to `queries` (in their order) and the counts known before. */
		frequencies(results: Array<{ totalHits?: number }>): Frequencies {
			missing.forEach((key, i) => {
				const count = results[i]?.totalHits ?? 0
				known.set(key, count)
				counts.set(key, count, version)
			})
			return { documents: Math.max(known.get(ALL_DOCUMENTS) ?? 0, 1), df: new Map(terms.map((term) => [term, known.get(term) ?? 0])) }
		},
	}
}

export type FrequencyPlan = ReturnType<typeof frequencyPlan>
