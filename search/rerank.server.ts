import { indexVersion } from './cache.server'
import { indexName, searchClient } from './client.server'
import { CONTENT_INDEX } from './settings'
import { countsOf, phrasingHas, SCORED_FIELDS, type ScoredField, type TermStatistics } from './statistics'
import { singleton } from '~/utils/singleton.server'

/** What a candidate needs for scoring: its term statistics (documents indexed before they existed have none). */
export type Scorable = { type: string; statistics?: TermStatistics }

// Tuned on the StackFAQ dev queries (npm run eval:search): the title and past
// wordings say what a thread is about; answers mention much else besides.
const FIELD_WEIGHTS: Record<ScoredField, number> = { title: 3, phrasings: 5, body: 1, answers: 0.4 }
const WEIGHTS = SCORED_FIELDS.map((field) => FIELD_WEIGHTS[field])
const K1 = 1.2
const B = 0.75
/**
 * Weight of the share of the query (by idf) that one learned phrasing covers.
 * Summed into BM25, the phrasings of a document add up words from different
 * people's questions, and one incidental rare word ("enforce", "perform") weighs
 * as much as the topic; a phrasing that by itself says most of what the query
 * says is the stronger sign that it is the same question.
 */
const PHRASING_MATCH = 2.5
const STATS_TTL_MS = 60_000

type Counted = { count: number; at: number; version: string }
type Stats = { documents: Counted; frequencies: Map<string, Counted> }
const stats = singleton('rerank-stats', (): Stats => ({ documents: { count: 0, at: 0, version: '' }, frequencies: new Map() }))

export type Frequencies = { documents: number; df: Map<string, number> }

/**
 * How many documents contain each term, counted by Meilisearch on the documents'
 * `terms` (an exact filter: searching for a stem would also count typos and longer
 * words). BM25 needs them for every search; they are cached for a minute, and
 * counted again sooner once the index changed (a phrasing just learned brings
 * words no document had).
 */
export async function documentFrequencies(words: string[]): Promise<Frequencies> {
	const now = Date.now()
	const version = indexVersion()
	const stale = (counted: Counted | undefined) => !counted || counted.at < now - STATS_TTL_MS || counted.version !== version
	const missing = words.filter((w) => stale(stats.frequencies.get(w)))
	const needTotal = stale(stats.documents)
	if (missing.length > 0 || needTotal) {
		const uid = indexName(CONTENT_INDEX)
		const count = (filter?: string) => ({ indexUid: uid, q: '', filter, page: 1, hitsPerPage: 0 })
		const queries = [...(needTotal ? [count()] : []), ...missing.map((term) => count(`terms = ${JSON.stringify(term)}`))]
		const { results } = await searchClient().multiSearch({ queries })
		let i = 0
		if (needTotal) stats.documents = { count: results[i++]?.totalHits ?? 0, at: now, version }
		for (const word of missing) stats.frequencies.set(word, { count: results[i++]?.totalHits ?? 0, at: now, version })
		if (stats.frequencies.size > 50_000) stats.frequencies.clear()
	}
	return { documents: Math.max(stats.documents.count, 1), df: new Map(words.map((w) => [w, stats.frequencies.get(w)?.count ?? 0])) }
}

const weighted = (values: readonly number[]) => values.reduce((sum, value, i) => sum + WEIGHTS[i]! * value, 0)

/**
 * Re-orders Meilisearch's candidates by BM25F over title, learned phrasings, body
 * and answers, blended with Meilisearch's own order (which brings typo tolerance).
 * Full-sentence questions share few exact words with the thread that answers them;
 * weighing every query word by how rare it is finds that thread far more often.
 * `queryTerms` are the query's distinct terms (text.ts `terms`).
 */
export function rerank<T extends Scorable>(queryTerms: string[], candidates: T[], { documents, df }: Frequencies): T[] {
	if (queryTerms.length === 0 || candidates.length < 2) return candidates
	const idfOf = (term: string) => {
		const n = df.get(term) ?? 0
		return Math.log(1 + (documents - n + 0.5) / (n + 0.5))
	}
	const lengths = candidates.map((doc) => (doc.statistics ? weighted(doc.statistics.lengths) : 0))
	const averageLength = lengths.reduce((sum, length) => sum + length, 0) / candidates.length || 1
	const queryWeight = queryTerms.reduce((sum, term) => sum + idfOf(term), 0)
	const scored = candidates.map((doc, meiliRank) => {
		let score = 0
		for (const term of doc.statistics ? queryTerms : []) {
			const counts = countsOf(doc.statistics!, term)
			if (!counts) continue
			const tf = weighted(counts)
			score += (idfOf(term) * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * lengths[meiliRank]!) / averageLength))
		}
		let closest = 0
		for (const phrasing of doc.statistics?.phrasings ?? []) {
			closest = Math.max(closest, queryTerms.reduce((sum, term) => sum + (phrasingHas(phrasing, term) ? idfOf(term) : 0), 0))
		}
		score += (PHRASING_MATCH * closest) / queryWeight
		// Meilisearch's order still counts (typos, proximity); curated help wins ties.
		score += 1.5 / (meiliRank + 2)
		if (doc.type !== 'question') score *= 1.05
		return { doc, score }
	})
	return scored.sort((a, b) => b.score - a.score).map((s) => s.doc)
}
