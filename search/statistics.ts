import { terms } from './text'

/**
 * The version of the analysis (text.ts) that documents' terms and statistics were made
 * with. Raise it when the analysis changes: documents indexed with an older one are
 * re-indexed when the indexes are ensured (sync.server.ts), as their terms would no
 * longer meet the query's.
 */
export const ANALYZER_VERSION = 6

/** The fields re-ranking scores, in the order their counts are stored. */
export const SCORED_FIELDS = ['title', 'phrasings', 'body', 'answers'] as const
export type ScoredField = (typeof SCORED_FIELDS)[number]
type Counts = [number, number, number, number]

/** Enough of a document's most used phrasings to recognise a query asked before. */
const MAX_PHRASINGS = 50

/**
 * What re-ranking needs to know about a document, worked out once at index time:
 * its number of terms per field; per term how often it occurs in each field
 * (" term:title,phrasings,body,answers" entries); and the distinct terms of each
 * learned phrasing (" term term "). Scoring a candidate then looks up the query's
 * few terms instead of stemming the candidate's whole text, and a search
 * retrieves these strings instead of the text.
 */
export type TermStatistics = { lengths: Counts; counts: string; phrasings: string[] }

/** An entry is found by " term:" or " term " and ends at the next space. */
const encodable = (term: string) => !/[\s:]/.test(term)

/** The statistics, and the distinct terms (indexed so that Meilisearch counts exactly how many documents have a term). */
export function termStatistics(fields: { title: string; phrasings: string[]; body: string; answers: string[] }): { statistics: TermStatistics; terms: string[] } {
	const texts: Record<ScoredField, string> = { ...fields, phrasings: fields.phrasings.join(' \n '), answers: fields.answers.join(' \n ') }
	const lengths: Counts = [0, 0, 0, 0]
	const counts = new Map<string, Counts>()
	SCORED_FIELDS.forEach((field, i) => {
		const words = terms(texts[field])
		lengths[i] = words.length
		for (const word of words.filter(encodable)) {
			let entry = counts.get(word)
			if (!entry) counts.set(word, (entry = [0, 0, 0, 0]))
			entry[i] = entry[i]! + 1
		}
	})
	let encoded = ''
	for (const [word, entry] of counts) encoded += ` ${word}:${entry.join(',')}`
	const phrasings = fields.phrasings.slice(0, MAX_PHRASINGS).map((phrasing) => ` ${[...new Set(terms(phrasing).filter(encodable))].join(' ')} `)
	return { statistics: { lengths, counts: `${encoded} `, phrasings }, terms: [...counts.keys()] }
}

/** How often a (stemmed) term occurs in each scored field; null when it does not occur at all. */
export function countsOf(statistics: TermStatistics, term: string): Counts | null {
	const key = ` ${term}:`
	const at = statistics.counts.indexOf(key)
	if (at === -1) return null
	const start = at + key.length
	return statistics.counts.slice(start, statistics.counts.indexOf(' ', start)).split(',').map(Number) as Counts
}

/** Whether a learned phrasing's statistics (one of `TermStatistics.phrasings`) contain a term. */
export const phrasingHas = (phrasing: string, term: string) => phrasing.includes(` ${term} `)
