import { stemmer } from 'stemmer'
import { isJapanese } from '~/utils/limits'

/** Words too common in support questions to tell threads apart ("how do I …"). */
export const ENGLISH_STOP_WORDS = new Set(
	`a about above after again against all am an and any are aren't as at be because been before being below between both but by
	can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had hadn't has hasn't
	have haven't having he her here hers herself him himself his how i i'd i'll i'm i've if in into is isn't it it's its itself
	just let's me more most mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same
	shan't she should shouldn't so some such than that that's the their theirs them themselves then there there's these they
	they'd they'll they're they've this those through to too under until up very was wasn't we we'd we'll we're we've were
	weren't what what's when when's where where's which while who who's whom why why's with won't would wouldn't you you'd
	you'll you're you've your yours yourself yourselves way want wants need needs anyone someone possible get got make also
	like using use way ways please thanks help hi hello know there`.split(/\s+/),
)

export const japaneseWords = new Intl.Segmenter('ja', { granularity: 'word' })
// Particles and auxiliaries carry no topic; single kana are mostly those.
export const JAPANESE_STOP = new Set(['の', 'に', 'は', 'を', 'が', 'で', 'と', 'も', 'へ', 'や', 'か', 'な', 'です', 'ます', 'した', 'する', 'して', 'たい', 'ください', '教え', 'てください', 'できますか', 'でき', 'ません', 'ある', 'いる', 'こと', 'ない', 'どう', 'どうすれ', 'ば', 'よい', 'いい', '方法', 'について'])

/**
 * Words of a text for relevance scoring: Unicode-normalised, lower case, English
 * stop words dropped and stemmed ("exporting" → "export"), Japanese segmented.
 */
export function terms(text: string): string[] {
	const normalized = text.normalize('NFKC').toLowerCase()
	const out: string[] = []
	if (isJapanese(normalized)) {
		for (const { segment, isWordLike } of japaneseWords.segment(normalized)) {
			if (!isWordLike) continue
			if (isJapanese(segment)) {
				if (!JAPANESE_STOP.has(segment) && !/^[\p{Script=Hiragana}]$/u.test(segment)) out.push(segment)
			} else {
				pushLatin(segment, out)
			}
		}
		return out
	}
	for (const word of normalized.split(/[^\p{L}\p{N}']+/u)) pushLatin(word, out)
	return out
}

export function pushLatin(word: string, out: string[]) {
	const bare = word.replace(/^'+|'+$/g, '')
	if (!bare || ENGLISH_STOP_WORDS.has(bare)) return
	const clean = bare.replace(/'s$/, '').replace(/'/g, '')
	if (clean) out.push(stemmer(clean))
}

/** The words of a query worth sending to Meilisearch: stop words out, original spelling kept for typo tolerance. */
export function keywordQuery(query: string): string {
	const normalized = query.normalize('NFKC')
	if (isJapanese(normalized)) return normalized
	const words = normalized.split(/[^\p{L}\p{N}'-]+/u).filter((w) => w && !ENGLISH_STOP_WORDS.has(w.toLowerCase()))
	return words.length > 0 ? words.join(' ') : normalized
}
