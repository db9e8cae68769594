import { countsOf, phrasingHas, SCORED_FIELDS, type ScoredField, type TermStatistics } from './statistics'

/** What a candidate needs for scoring: its term statistics (documents indexed before they existed have none). */
export type Scorable = { type: string; statistics?: TermStatistics; language?: string }

// Tuned on the StackFAQ dev queries (npm run eval:search), on half of the threads
// and confirmed on the other half: the title and past wordings say what a thread
// is about; answers mention much else besides.
const FIELD_WEIGHTS: Record<ScoredField, number> = { title: 3, phrasings: 5, body: 1, answers: 0.3 }
/**
 * Length normalisation per field (BM25F), each against that field's average among
 * the candidates. Normalising the weighted total length instead let a thread's long
 * answers discount a match in its title; answers are normalised almost fully (a word
 * in one of many long answers says little), titles and questions less (dev cold
 * hit@1 +0.02).
 */
const FIELD_B: Record<ScoredField, number> = { title: 0.75, phrasings: 0.75, body: 0.75, answers: 0.9 }
const WEIGHTS = SCORED_FIELDS.map((field) => FIELD_WEIGHTS[field])
const BS = SCORED_FIELDS.map((field) => FIELD_B[field])
/**
 * A long question shares a few words with any learned phrasing on its topic (パスワード,
 * ワークスペース, 人, 使う), and the phrasings weigh each shared word five times a body
 * word: past this many words (by their weight in the query: readings and synonyms count
 * for less), the phrasings' weight is shared out over the query's words. Japanese dev
 * warm hit@1 0.553 → 0.591 (offline replay; both halves of the FAQs +0.04); English
 * queries this long, a third of them, ranked the same. 6 → 5 when the readings of
 * Japanese words written in kanji came to count a quarter instead of a half
 * (text.ts KIND_WEIGHTS), which shortened the same questions: Japanese warm hit@1
 * 0.627 → 0.641, and with 1,650 distractor FAQs 0.656 → 0.665 (523 dev questions,
 * neither half lower); English cold and warm unchanged.
 */
const PHRASINGS_FULL_QUERY = 5
/** Saturation: with per-field normalisation a second title word match still counts (k1 1.2 → 2: dev cold hit@1 +0.02 on each half of the threads). */
const K1 = 2
/** Weight of Meilisearch's order (1 / (rank + 2)): it carries typos and proximity, and ties. */
const MEILISEARCH_ORDER = 1
/**
 * Weight of the share of the query (by idf) that one learned phrasing covers.
 * Summed into BM25, the phrasings of a document add up words from different
 * people's questions, and one incidental rare word ("enforce", "perform") weighs
 * as much as the topic; a phrasing that by itself says most of what the query
 * says is the stronger sign that it is the same question.
 */
const PHRASING_MATCH = 2.5

/**
 * A query word that a candidate lacks may still be one of its words misspelt
 * ("stikethrough", "adress": a word no document has, one typo from the candidate's) or
 * the beginning of a longer one ("strike" of "strikethrough", "notif" of "notification"):
 * such a near match counts for this share of a match, with the candidate word's own
 * specificity. Meilisearch already finds these candidates (typo tolerance) but
 * re-ranking only met exact words. Dev cold hit@1 +0.011 on the odd half of the threads,
 * same on the even one (hit@5 +0.005); the share, 0.6 to 1, ranks alike; warm and
 * Japanese unchanged. Looking up the near words of the query's missing words costs
 * about 0.4 ms per query over 80 StackFAQ threads (0.7 → 1.1 ms).
 */
const NEAR_MATCH = 0.6
/** Shorter words begin too many others and sit one typo from too many (Meilisearch tolerates a typo from 5 letters). */
const NEAR_MIN_LENGTH = 5
/** Near matches are for alphabetic words (stemmed English): Japanese terms have readings and synonyms for that. */
const NEAR_WORD = /^[a-z]+$/

export type Frequencies = { documents: number; df: Map<string, number> }

/**
 * How specific a term is: the square root of BM25's idf. Long colloquial questions
 * carry rare words that are not their topic ("despise", "brother", "inadvertently");
 * with plain idf one such word met once in an answer outweighed two topic words in a
 * title. The root keeps rarer words ahead but compresses the range (dev queries:
 * warm hit@1 +0.04 on both halves of the threads; cold +0.04 on one half, −0.01 on
 * the other). A count above the total (each is cached on its own) is taken as the
 * total: the root of a negative idf is not a number.
 */
const specificity = (documents: number, count: number) => {
	const n = Math.min(count, documents)
	return Math.sqrt(Math.log(1 + (documents - n + 0.5) / (n + 0.5)))
}

/**
 * Re-orders Meilisearch's candidates by BM25F over title, learned phrasings, body
 * and answers, blended with Meilisearch's own order (which brings typo tolerance).
 * Full-sentence questions share few exact words with the thread that answers them;
 * weighing every query word by how rare it is finds that thread far more often.
 * `queryTerms` are the query's distinct terms (text.ts `terms`); `preferLanguage`, the
 * reader's language when the results show every language; `weights`, how much each
 * term counts (text.ts `queryTerms`: a reading or a synonym less than the word typed; 1 when absent).
 */
export function rerank<T extends Scorable>(queryTerms: string[], candidates: T[], { documents, df }: Frequencies, preferLanguage?: string, weights?: ReadonlyMap<string, number>): T[] {
	if (queryTerms.length === 0 || candidates.length < 2) return candidates
	const idfOf = (term: string) => (weights?.get(term) ?? 1) * specificity(documents, df.get(term) ?? 0)
	const measured = candidates.filter((doc) => doc.statistics)
	const averages = WEIGHTS.map((_, i) => measured.reduce((sum, doc) => sum + doc.statistics!.lengths[i]!, 0) / measured.length || 1)
	const queryWeight = queryTerms.reduce((sum, term) => sum + idfOf(term), 0)
	const queryLength = queryTerms.reduce((sum, term) => sum + (weights?.get(term) ?? 1), 0)
	const fieldWeights = WEIGHTS.map((weight, i) => (SCORED_FIELDS[i] === 'phrasings' ? weight * Math.min(1, PHRASINGS_FULL_QUERY / queryLength) : weight))
	/** BM25F's saturated, length-normalised frequency of a term with these counts in this document. */
	const saturated = (counts: readonly number[], lengths: readonly number[]) => {
		const tf = counts.reduce((sum, count, i) => sum + (fieldWeights[i]! * count) / (1 - BS[i]! + (BS[i]! * lengths[i]!) / averages[i]!), 0)
		return (tf * (K1 + 1)) / (tf + K1)
	}
	const scored = candidates.map((doc, meiliRank) => {
		let score = 0
		const statistics = doc.statistics
		for (const term of statistics ? queryTerms : []) {
			const counts = countsOf(statistics!, term)
			if (counts) score += idfOf(term) * saturated(counts, statistics!.lengths)
			else if (term.length >= NEAR_MIN_LENGTH && NEAR_WORD.test(term)) {
				let best = 0
				for (const near of nearTerms(statistics!, term, !df.get(term))) {
					best = Math.max(best, specificity(documents, df.get(near.term) ?? 0) * saturated(near.counts, statistics!.lengths))
				}
				score += NEAR_MATCH * (weights?.get(term) ?? 1) * best
			}
		}
		let closest = 0
		for (const phrasing of doc.statistics?.phrasings ?? []) {
			closest = Math.max(closest, queryTerms.reduce((sum, term) => sum + (phrasingHas(phrasing, term) ? idfOf(term) : 0), 0))
		}
		score += (PHRASING_MATCH * closest) / queryWeight
		// Meilisearch's order still counts (typos, proximity); curated help wins ties.
		score += MEILISEARCH_ORDER / (meiliRank + 2)
		if (doc.type !== 'question') score *= 1.05
		// Showing every language, the reader's still wins when two match about equally.
		if (preferLanguage !== undefined && doc.language === preferLanguage) score *= 1.1
		return { doc, score }
	})
	return scored.sort((a, b) => b.score - a.score).map((s) => s.doc)
}

/**
 * The document's words that begin with `term`, and when `misspelt` (no document has the
 * term) also those one typo from it (a letter added, left out, changed, or two swapped)
 * and those it begins or ends with: the parts of a compound ("unrepli" has "repli",
 * "interdepend" has "depend"; dev cold hit@1 +0.005 on each half of the threads).
 */
export function nearTerms(statistics: TermStatistics, term: string, misspelt: boolean): Array<{ term: string; counts: number[] }> {
	const found: Array<{ term: string; counts: number[] }> = []
	const text = statistics.counts
	const entry = (start: number) => {
		const colon = text.indexOf(':', start)
		return { term: text.slice(start, colon), counts: text.slice(colon + 1, text.indexOf(' ', colon)).split(',').map(Number) }
	}
	if (misspelt) {
		for (let at = 1; at < text.length; at = text.indexOf(' ', at) + 1) {
			const end = text.indexOf(':', at)
			if (end === -1) break
			if (text.startsWith(term, at) || (Math.abs(end - at - term.length) <= 1 && oneTypo(term, text.slice(at, end)))) found.push(entry(at))
		}
		for (let length = NEAR_MIN_LENGTH; length < term.length; length++) {
			for (const part of [term.slice(0, length), term.slice(-length)]) {
				const at = text.indexOf(` ${part}:`)
				if (at !== -1) found.push(entry(at + 1))
			}
		}
		return found
	}
	for (let at = text.indexOf(` ${term}`); at !== -1; at = text.indexOf(` ${term}`, at + 1)) found.push(entry(at + 1))
	return found
}

/** Whether two different words are one edit apart (Damerau: a transposition is one edit). */
function oneTypo(a: string, b: string) {
	let start = 0
	while (start < a.length && a[start] === b[start]) start++
	let end = 0
	while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++
	const restA = a.length - start - end
	const restB = b.length - start - end
	if (restA <= 1 && restB <= 1) return restA + restB > 0
	return restA === 2 && restB === 2 && a[start] === b[start + 1] && a[start + 1] === b[start]
}
