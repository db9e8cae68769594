import { escapeHtml } from '~/utils/html'
import { stemmer } from 'stemmer'
import { isJapanese } from '~/utils/limits'
import { keywordQuery, terms } from './text'

/**
 * Highlights and snippets for the hits shown, made here rather than by
 * Meilisearch: asking Meilisearch to highlight and crop every candidate that
 * re-ranking considers cost more than the whole rest of a search.
 */
export type Highlighter = {
	/** The whole text, escaped, with the query's words in <mark>. */
	highlight: (text: string) => string
	/** About `CROP_WORDS` words around the best matches of the first text that has any, else the start of the first text. */
	snippet: (texts: string[]) => string
}

/** As many words as Meilisearch's crop used to keep, so snippets stay the size they were. */
const CROP_WORDS = 28
const CROP_MARKER = '…'

type Token = { start: number; end: number; word: string }

const japaneseWords = new Intl.Segmenter('ja', { granularity: 'word' })
const LATIN_WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu

function tokens(text: string): Token[] {
	const out: Token[] = []
	if (isJapanese(text)) {
		for (const { segment, index, isWordLike } of japaneseWords.segment(text)) {
			if (isWordLike) out.push({ start: index, end: index + segment.length, word: segment.normalize('NFKC').toLowerCase() })
		}
		return out
	}
	for (const match of text.matchAll(LATIN_WORD)) {
		out.push({ start: match.index, end: match.index + match[0].length, word: match[0].normalize('NFKC').toLowerCase() })
	}
	return out
}

/** Edit distance, or `max + 1` as soon as it is certain to exceed `max`. */
function distance(a: string, b: string, max: number): number {
	if (Math.abs(a.length - b.length) > max) return max + 1
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
	for (let i = 1; i <= a.length; i++) {
		const current = [i]
		let best = i
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
			best = Math.min(best, current[j]!)
		}
		if (best > max) return max + 1
		previous = current
	}
	return previous[b.length]!
}

/** The typo allowance of the index settings: one from 4 letters, two from 8. */
const typosAllowed = (word: string) => (word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0)

/**
 * Which words of a text count as the query's: the same word, the same stem
 * ("exported" for "export"), within the index's typo allowance, the last query
 * word as a prefix (as Meilisearch matches it while people type), and for
 * Japanese the query's segments.
 */
function matcher(wordings: string[]): (word: string) => boolean {
	const words = [...new Set(wordings.flatMap((q) => (isJapanese(q) ? [] : keywordQuery(q).normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}']+/u))))].filter(Boolean)
	// Japanese queries' terms include their Latin words, stemmed.
	const stems = new Set([...words.map((w) => stemmer(w)), ...wordings.flatMap((q) => (isJapanese(q) ? terms(q) : []))])
	const last = words.at(-1)
	const query = wordings.map((q) => q.normalize('NFKC').toLowerCase()).join(' ')
	return (word) => {
		// Segmenters split compounds differently (請求書, 請求 + 書): any part of the query counts, but a lone kana is a particle.
		if (isJapanese(word)) return stems.has(word) || (query.includes(word) && !/^[\p{Script=Hiragana}\p{Script=Katakana}]$/u.test(word))
		if (stems.has(stemmer(word))) return true
		if (last && last.length >= 2 && word.startsWith(last)) return true
		// As in Meilisearch, a wrong first letter counts as two typos.
		return words.some((w) => {
			const allowed = typosAllowed(w) - (word[0] === w[0] ? 0 : 2)
			return allowed > 0 && distance(word, w, allowed) <= allowed
		})
	}
}

function render(text: string, marked: Token[], from: number, to: number): string {
	// Touching words (Japanese has no spaces: 請求 + 書) share one <mark>.
	const spans: Array<{ start: number; end: number }> = []
	for (const { start, end } of marked) {
		const last = spans.at(-1)
		if (last && last.end === start) last.end = end
		else spans.push({ start, end })
	}
	let out = ''
	let at = from
	for (const span of spans) {
		out += `${escapeHtml(text.slice(at, span.start))}<mark>${escapeHtml(text.slice(span.start, span.end))}</mark>`
		at = span.end
	}
	return out + escapeHtml(text.slice(at, to))
}

/** The window of `CROP_WORDS` words with the most distinct matched words, matches centred in it. */
function cropWindow(words: Token[], matched: boolean[]): [number, number] {
	if (words.length <= CROP_WORDS) return [0, words.length]
	let best = { start: 0, score: -1 }
	for (let start = 0; start + CROP_WORDS <= words.length; start++) {
		const distinct = new Set<string>()
		for (let i = start; i < start + CROP_WORDS; i++) if (matched[i]) distinct.add(words[i]!.word)
		if (distinct.size > best.score) best = { start, score: distinct.size }
	}
	const inWindow = matched.map((m, i) => (m && i >= best.start && i < best.start + CROP_WORDS ? i : -1)).filter((i) => i >= 0)
	if (inWindow.length === 0) return [0, CROP_WORDS]
	const first = inWindow[0]!
	const slack = CROP_WORDS - (inWindow.at(-1)! - first + 1)
	const start = Math.max(0, Math.min(first - Math.floor(slack / 2), words.length - CROP_WORDS))
	return [start, start + CROP_WORDS]
}

function crop(text: string, words: Token[], matched: boolean[]): string {
	if (words.length === 0) return escapeHtml(text)
	const [start, end] = cropWindow(words, matched)
	const from = start === 0 ? 0 : words[start]!.start
	const to = end === words.length ? text.length : words[end - 1]!.end
	const marked = words.slice(start, end).filter((_, i) => matched[start + i])
	return `${start > 0 ? CROP_MARKER : ''}${render(text, marked, from, to)}${end < words.length ? CROP_MARKER : ''}`
}

/** `wordings`: the query and its synonym rewrites, as searched. */
export function highlighter(wordings: string[]): Highlighter {
	const active = wordings.filter((q) => q.trim() !== '')
	const matches = active.length > 0 ? matcher(active) : () => false
	const analyse = (text: string) => {
		const words = tokens(text)
		return { words, matched: words.map((w) => matches(w.word)) }
	}
	return {
		highlight(text) {
			const { words, matched } = analyse(text)
			return render(text, words.filter((_, i) => matched[i]), 0, text.length)
		},
		snippet(texts) {
			const candidates = texts.filter((text) => text.length > 0)
			for (const text of candidates) {
				const { words, matched } = analyse(text)
				if (matched.some(Boolean)) return crop(text, words, matched)
			}
			const first = candidates[0] ?? ''
			return crop(first, tokens(first), [])
		},
	}
}
