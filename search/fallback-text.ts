import { JAPANESE_LETTERS } from '~/utils/limits'
import { JAPANESE_STOP, japaneseWords, pushLatin } from './text'

/**
 * Lexemes for the PostgreSQL fallback (search/fallback.server.ts). PostgreSQL's
 * parsers do not segment Japanese, so Japanese text becomes overlapping character
 * bigrams ("請求書" → 請求, 求書) plus the last character of each run, which needs no
 * dictionary and finds a word whatever the segmenter would have made of it. Other
 * words are stemmed as for re-ranking (text.ts), so "exporting" finds "export".
 * Documents and queries are cut here, in one place, and handed to PostgreSQL as
 * ready lexemes (tsvector / tsquery literals) that it does not parse again.
 */
// The prolonged sound mark (ー) and the iteration mark (々) continue a run of Japanese.
const JAPANESE_RUN = new RegExp(`[${JAPANESE_LETTERS}ー々]+`, 'gu')
const IS_JAPANESE = new RegExp(`[${JAPANESE_LETTERS}ー々]`, 'u')
/** Longer "words" are noise (a pasted hash, a hostile run of letters), and PostgreSQL refuses lexemes over 2 KB. */
const MAX_WORD = 60
/** PostgreSQL keeps positions up to 16,383; a lexeme needs only a few of them to rank. */
const MAX_POSITION = 16_383
const MAX_POSITIONS_PER_LEXEME = 16
/** A tsvector holds at most 1 MB of lexemes (PostgreSQL refuses more, which would fail the write): a huge thread keeps its first ones. */
const MAX_LEXEME_BYTES = 512 * 1024

function latinWords(text: string): string[] {
	const out: string[] = []
	for (const word of text.split(/[^\p{L}\p{N}']+/u)) if (word.length <= MAX_WORD) pushLatin(word, out)
	return out
}

function bigrams(run: string): string[] {
	const chars = [...run]
	const out: string[] = []
	for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!)
	// The last character alone, so a one-character query ("色") can find it at the end of a run too.
	out.push(chars[chars.length - 1]!)
	return out
}

/** The lexemes of a text, in order. */
export function fallbackLexemes(text: string): string[] {
	const normalized = text.normalize('NFKC').toLowerCase()
	const out: string[] = []
	let last = 0
	for (const match of normalized.matchAll(JAPANESE_RUN)) {
		out.push(...latinWords(normalized.slice(last, match.index)))
		out.push(...bigrams(match[0]))
		last = match.index + match[0].length
	}
	out.push(...latinWords(normalized.slice(last)))
	return out
}

const quote = (lexeme: string) => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`

export type Weight = 'A' | 'B' | 'C' | 'D'

/** A tsvector literal of weighted fields (A ranks highest). */
export function fallbackVector(fields: Array<{ weight: Weight; texts: string[] }>): string {
	const positions = new Map<string, string[]>()
	let position = 0
	let bytes = 0
	for (const { weight, texts } of fields) {
		for (const text of texts) {
			for (const lexeme of fallbackLexemes(text)) {
				position = Math.min(position + 1, MAX_POSITION)
				let list = positions.get(lexeme)
				if (!list) {
					const size = Buffer.byteLength(lexeme)
					if (bytes + size > MAX_LEXEME_BYTES) continue
					bytes += size
					list = []
					positions.set(lexeme, list)
				}
				if (list.length < MAX_POSITIONS_PER_LEXEME) list.push(`${position}${weight}`)
			}
		}
	}
	return [...positions].map(([lexeme, list]) => `${quote(lexeme)}:${list.join(',')}`).join(' ')
}

/**
 * The meaningful parts of a query, each a tsquery that a document must match all of:
 * an English word (stemmed), or a run of Japanese words between particles, as the
 * bigrams of each word (the bigram across two words is left out: a document may put
 * a particle between them). With `prefixLast`, the last English word also matches longer words ("expo" → export)
 * for as-you-type suggestions.
 */
export function fallbackQueryGroups(query: string, prefixLast: boolean): string[] {
	const normalized = query.normalize('NFKC').toLowerCase()
	const groups: string[][] = []
	if (IS_JAPANESE.test(normalized)) {
		let chunk: string[] = []
		const close = () => {
			if (chunk.length > 0) groups.push(japaneseChunkLexemes(chunk))
			chunk = []
		}
		for (const { segment, isWordLike } of japaneseWords.segment(normalized)) {
			if (!isWordLike) {
				close()
			} else if (IS_JAPANESE.test(segment)) {
				if (JAPANESE_STOP.has(segment) || /^\p{Script=Hiragana}$/u.test(segment)) close()
				else chunk.push(segment)
			} else {
				close()
				for (const word of latinWords(segment)) groups.push([quote(word)])
			}
		}
		close()
	} else {
		const words = latinWords(normalized)
		// Two letters as a prefix would match a good part of the vocabulary.
		words.forEach((word, i) => groups.push([quote(word) + (prefixLast && i === words.length - 1 && word.length >= 3 ? ':*' : '')]))
	}
	const unique = [...new Set(groups.map((group) => [...new Set(group)].join(' & ')))]
	return unique.map((group) => `(${group})`)
}

/**
 * The bigrams of each word of a run with no particle between them. A one-character
 * word is mostly part of a compound the segmenter split (請求|書): it keeps the bigram
 * it forms with its neighbour; alone, it matches as the start of a bigram.
 */
function japaneseChunkLexemes(words: string[]): string[] {
	const out: string[] = []
	words.forEach((word, i) => {
		const chars = [...word]
		if (chars.length > 1) {
			for (let j = 0; j + 1 < chars.length; j++) out.push(quote(chars[j]! + chars[j + 1]!))
		} else if (i > 0) {
			out.push(quote([...words[i - 1]!].at(-1)! + word))
		} else if (i + 1 < words.length) {
			out.push(quote(word + [...words[i + 1]!][0]!))
		} else {
			out.push(`${quote(word)}:*`)
		}
	})
	return out
}
