import { indexName, searchClient } from './client.server'
import { CONTENT_INDEX } from './settings'
import { isJapanese, terms } from './text'
import { singleton } from '~/utils/singleton.server'

/** The fields a candidate needs for scoring. */
export type Scorable = { type: string; title: string; phrasings?: string[]; body?: string; answers?: string[] }

// Tuned on the StackFAQ dev queries (npm run eval:search): the title and past
// wordings say what a thread is about; answers mention much else besides.
const FIELD_WEIGHTS = { title: 3, phrasings: 5, body: 1, answers: 0.4 } as const
const K1 = 1.2
const B = 0.75
const STATS_TTL_MS = 60_000

type Stats = { documents: number; frequencies: Map<string, { count: number; at: number }>; documentsAt: number }
const stats = singleton('rerank-stats', (): Stats => ({ documents: 0, frequencies: new Map(), documentsAt: 0 }))

/**
 * How many documents contain each term, asked of Meilisearch (exact counts) and
 * cached for a minute: BM25 needs them and they change slowly.
 */
async function documentFrequencies(words: string[]): Promise<{ documents: number; df: Map<string, number> }> {
	const now = Date.now()
	const missing = words.filter((w) => (stats.frequencies.get(w)?.at ?? 0) < now - STATS_TTL_MS)
	const needTotal = stats.documentsAt < now - STATS_TTL_MS
	if (missing.length > 0 || needTotal) {
		const uid = indexName(CONTENT_INDEX)
		const queries = [...(needTotal ? [''] : []), ...missing].map((q) => ({
			indexUid: uid,
			q,
			page: 1,
			hitsPerPage: 0,
			matchingStrategy: 'all' as const,
			...(isJapanese(q) ? { locales: ['jpn'] } : {}),
		}))
		const { results } = await searchClient().multiSearch({ queries })
		let i = 0
		if (needTotal) {
			stats.documents = results[i++]?.totalHits ?? 0
			stats.documentsAt = now
		}
		for (const word of missing) stats.frequencies.set(word, { count: results[i++]?.totalHits ?? 0, at: now })
		if (stats.frequencies.size > 50_000) stats.frequencies.clear()
	}
	return { documents: Math.max(stats.documents, 1), df: new Map(words.map((w) => [w, stats.frequencies.get(w)?.count ?? 0])) }
}

function fieldTerms(doc: Scorable) {
	return {
		title: terms(doc.title),
		phrasings: terms((doc.phrasings ?? []).join(' \n ')),
		body: terms(doc.body ?? ''),
		answers: terms((doc.answers ?? []).join(' \n ')),
	}
}

/**
 * Re-orders Meilisearch's candidates by BM25F over title, learned phrasings, body
 * and answers, blended with Meilisearch's own order (which brings typo tolerance).
 * Full-sentence questions share few exact words with the thread that answers them;
 * weighing every query word by how rare it is finds that thread far more often.
 */
export async function rerank<T extends Scorable>(query: string, candidates: T[]): Promise<T[]> {
	const queryTerms = [...new Set(terms(query))]
	if (queryTerms.length === 0 || candidates.length < 2) return candidates
	const { documents, df } = await documentFrequencies(queryTerms)
	const idfOf = (term: string) => {
		const n = df.get(term) ?? 0
		return Math.log(1 + (documents - n + 0.5) / (n + 0.5))
	}
	const analysed = candidates.map((doc) => ({ doc, fields: fieldTerms(doc) }))
	const lengthOf = (fields: ReturnType<typeof fieldTerms>) =>
		Object.entries(FIELD_WEIGHTS).reduce((sum, [field, weight]) => sum + weight * fields[field as keyof typeof FIELD_WEIGHTS].length, 0)
	const averageLength = analysed.reduce((sum, a) => sum + lengthOf(a.fields), 0) / analysed.length || 1
	const scored = analysed.map(({ doc, fields }, meiliRank) => {
		const length = lengthOf(fields)
		let score = 0
		for (const term of queryTerms) {
			let tf = 0
			for (const [field, weight] of Object.entries(FIELD_WEIGHTS)) {
				for (const t of fields[field as keyof typeof FIELD_WEIGHTS]) if (t === term) tf += weight
			}
			if (tf === 0) continue
			score += (idfOf(term) * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / averageLength))
		}
		// Meilisearch's order still counts (typos, proximity); curated help wins ties.
		score += 1.5 / (meiliRank + 2)
		if (doc.type !== 'question') score *= 1.05
		return { doc, score }
	})
	return scored.sort((a, b) => b.score - a.score).map((s) => s.doc)
}

