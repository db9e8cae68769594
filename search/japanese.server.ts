import { linderaLoaded, linderaTokenize, type LinderaToken } from './lindera.server'

/**
 * Japanese analysis for re-ranking (text.ts `terms`), the same at index and query time:
 * Lindera with the IPADIC dictionary (the tokenizer Meilisearch uses for Japanese)
 * finds the words of a sentence and their dictionary forms, so 変えようと思っている
 * gives 変える, and only the words that say what a question is about are kept.
 *
 * Lindera and its dictionary take ≈ 130 MB and ≈ 200 ms to load: they are loaded on
 * the first Japanese text, in a worker thread that ends after a minute without any
 * (search/lindera.server.ts), so a process that does not see Japanese does not keep them.
 */

type Token = LinderaToken

/** Whether the dictionary has been loaded in this process (for tests and measurements). */
export const japaneseAnalyzerLoaded = linderaLoaded

/**
 * What a term is: the word as written (dictionary form); the reading of a word written
 * in kanji or katakana, which matches the same word written otherwise (申し込み as
 * 申込) but also homophones (異動, 移動: いどう); the reading of a word typed in kana
 * (ろぐいん for ログイン), which is all there is to go by; a guess (kanaGuesses); a
 * negated predicate (NEGATION); or one kanji of a word written with several (kanjiOf).
 */
export type JapaneseTerm = { term: string; kind: 'word' | 'action' | 'part' | 'reading' | 'kana' | 'guess' | 'negation' | 'kanji' }

/**
 * Verbs and adjectives that make up requests, politeness and the grammar around
 * them (〜したいのですが, 教えてください, 知りたい, どうすればいいですか, いただけますか,
 * と思って) rather than the subject of a question. Chosen as the verbs of asking and
 * of being able to, not from any data set; their potential forms too (いただけますか,
 * もらえますか: IPADIC reads them as verbs of their own), 知る written in kana, and
 * Kansai ええ (いい).
 */
const REQUEST_WORDS = new Set([
	'する',
	'できる',
	'出来る',
	'ある',
	'いる',
	'おる',
	'なる',
	'やる',
	'思う',
	'考える',
	'教える',
	'くださる',
	'下さる',
	'いただく',
	'頂く',
	'いただける',
	'頂ける',
	'もらう',
	'貰う',
	'もらえる',
	'貰える',
	'知る',
	'しる',
	'わかる',
	'分かる',
	'困る',
	'願う',
	'伺う',
	'言う',
	'いう',
	'存ずる',
	'いい',
	'ええ',
	'よい',
	'良い',
	'ない',
	'無い',
	'欲しい',
	'ほしい',
	'方法',
	'やり方',
	'仕方',
	'質問',
])

/**
 * A term for "something does not happen" (届かない, 表示されません, できひん, 来えへん,
 * 場所がない): a customer who says so has a problem, and the FAQs titled 〜が届かない
 * 場合は or 〜できません are about problems, while their siblings on the same subject
 * (通知をオフにするには) are how-tos. Not after a verb of asking (教えていただけませんか,
 * もらえないでしょうか: politeness) nor before か (使えませんか: a question whether one
 * can). Dev set, offline replay, cold hit@1 +0.007 and with 1,650 distractor FAQs
 * +0.009, on both halves of the FAQs. No written word has the brackets.
 */
export const NEGATION = '〈否定〉'
/** The negating auxiliaries (standard ない, ぬ, ません's ん; Kansai へん, ひん) and the adjective ない. */
const NEGATIONS = new Set(['ない', '無い', 'ぬ', 'ん', 'へん', 'ひん'])
/** Verbs of asking and receiving a favour: negated, they make a request polite. */
const ASKING = new Set(['教える', 'くださる', '下さる', 'いただく', '頂く', 'いただける', '頂ける', 'もらう', '貰う', 'もらえる', '願う'])

/** Noun kinds that name something; pronouns (どこ), dependent nouns (こと, の) and adverb-like ones do not. */
const NAMING_NOUNS = new Set(['一般', 'サ変接続', '固有名詞', '形容動詞語幹', 'ナイ形容詞語幹', '副詞可能'])

const KATAKANA = /^[\p{Script=Katakana}ー]+$/u
const HIRAGANA = /^[\p{Script=Hiragana}ー]+$/u
const LATIN_OR_DIGITS = /^[\p{Script=Latin}\p{N}]+$/u
const DIGITS = /^\p{N}+$/u
const HAS_LETTERS = /[\p{L}\p{N}]/u
const KANJI_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }

const toHiragana = (text: string) => text.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))

/**
 * The long-vowel mark at the end of a loanword is written or not by convention
 * (サーバー, サーバ; ユーザー, ユーザ): it is dropped from words of four characters or
 * more, the mark included (キー keeps it).
 */
export const withoutFinalLongVowel = (word: string) => (word.length >= 4 && word.endsWith('ー') && (KATAKANA.test(word) || HIRAGANA.test(word)) ? word.slice(0, -1) : word)

/** Numbers written in kanji as digits, so 二段階認証 and 2段階認証 are one word: 二 → 2, 二十四 → 24. */
function kanjiNumber(text: string): string {
	if (!/^[〇零一二三四五六七八九十]+$/u.test(text)) return text
	if (!text.includes('十')) return [...text].map((c) => KANJI_DIGITS[c]).join('')
	const [tens, ones] = text.split('十')
	if (text.split('十').length !== 2 || (tens && tens.length > 1) || (ones && ones.length > 1)) return text
	return String((tens ? KANJI_DIGITS[tens]! : 1) * 10 + (ones ? KANJI_DIGITS[ones]! : 0))
}

/** Reading of a verb's or adjective's dictionary form from its inflected token (思っ/オモッ, base 思う → オモウ). */
function baseReading(token: Token): string | null {
	const { surface, baseForm, reading } = token
	if (!reading) return null
	let common = 0
	while (common < surface.length && common < baseForm.length && surface[common] === baseForm[common]) common++
	const surfaceTail = toKatakana(surface.slice(common))
	if (!reading.endsWith(surfaceTail)) return null
	return reading.slice(0, reading.length - surfaceTail.length) + toKatakana(baseForm.slice(common))
}

const GODAN_STEM: Record<string, string> = { う: 'い', く: 'き', ぐ: 'ぎ', す: 'し', つ: 'ち', ぬ: 'に', ぶ: 'び', む: 'み', る: 'り' }
const KANJI = /\p{Script=Han}/gu

/**
 * The noun a compound verb makes of its stem (取り消す → 取り消し, 申し込む → 申し込み,
 * 切り替える → 切り替え), in writing and reading: a customer asks to 取り消したい what
 * the FAQ calls 招待の取り消し. Only verbs with two kanji or more: a simple verb's stem
 * (消し, 使い) is rarely a noun of its own and would count the verb twice.
 */
function verbNoun(baseForm: string, reading: string | null, conjugation: string): { written: string; reading: string | null } | null {
	if ((baseForm.match(KANJI) ?? []).length < 2) return null
	const ichidan = conjugation.startsWith('一段')
	if (!ichidan && !conjugation.startsWith('五段')) return null
	const stem = (text: string) => {
		if (ichidan) return text.slice(0, -1)
		const last = text.at(-1)!
		const ending = GODAN_STEM[toHiragana(last)]
		return ending ? text.slice(0, -1) + (HIRAGANA.test(last) ? ending : toKatakana(ending)) : null
	}
	const written = stem(baseForm)
	return written ? { written, reading: reading && stem(reading) } : null
}

const POTENTIAL_ENDING: Record<string, string> = { え: 'う', け: 'く', げ: 'ぐ', せ: 'す', て: 'つ', ね: 'ぬ', べ: 'ぶ', め: 'む', れ: 'る' }
/** The dictionary's answer per candidate verb: one lookup each, at most one per ichidan verb of the dictionary. */
const godanVerbs = new Map<string, { reading: string | null; conjugation: string } | null>()

/**
 * The verb a potential form is made from (戻せる → 戻す, 使える → 使う, 作れる → 作る):
 * IPADIC reads 戻せますか as a verb 戻せる of its own, while the FAQ says 戻す. An
 * ichidan verb ending in e-row + る is taken for a potential when the dictionary has
 * the godan verb it would come from (変える gives no 変う; 届ける gives 届く, the same topic).
 * Offline replay, 473 dev questions: cold hit@1 0.609 → 0.622 (odd FAQs 0.672 → 0.685,
 * even 0.545 → 0.557); documents take 4 % longer to analyse.
 */
function potentialOf(baseForm: string): { written: string; reading: string | null; conjugation: string } | null {
	if (baseForm.length < 3 || !baseForm.endsWith('る')) return null
	const ending = POTENTIAL_ENDING[baseForm.at(-2)!]
	if (!ending) return null
	const written = baseForm.slice(0, -2) + ending
	let godan = godanVerbs.get(written)
	if (godan === undefined) {
		const tokens = linderaTokenize(written)
		const token = tokens[0]
		godan = tokens.length === 1 && token!.partOfSpeech === '動詞' && token!.baseForm === written && token!.conjugationForm.startsWith('五段') ? { reading: token!.reading || null, conjugation: token!.conjugationForm } : null
		godanVerbs.set(written, godan)
	}
	return godan && { written, ...godan }
}

/**
 * The kanji of a word written with two or more, each as a term: words that share a
 * kanji often share a meaning where the dictionary sees two words (宛名 and 宛先, 取消 and
 * 取り消す, 送信 and 送付), which is how customers and help centres word the same thing
 * apart. They count little in a query (text.ts KIND_WEIGHTS) and a common kanji (設, 定)
 * has little specificity. Offline replay (npm run eval:replay), Japanese cold hit@1
 * 0.623 → 0.642 (odd FAQs 0.686 → 0.686, even 0.560 → 0.598), with 1,650 distractor
 * FAQs 0.560 → 0.589 (odd 0.595 → 0.633, even 0.525 → 0.544), hit@5 and warm up too;
 * weights 0.15–0.5 all helped, 0.3 most; English unchanged.
 */
const kanjiOf = (word: string): JapaneseTerm[] => {
	const kanji = word.match(/\p{Script=Han}/gu) ?? []
	return kanji.length < 2 ? [] : [...new Set(kanji)].map((term) => ({ term, kind: 'kanji' }))
}

const toKatakana = (text: string) => text.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))

const readingKey = (reading: string) => withoutFinalLongVowel(toHiragana(reading))

/**
 * A token's reading; a katakana word the dictionary does not know (ガントチャート, an
 * unknown piece) is its own reading, so that がんとちゃーと typed in kana meets it.
 * Offline replay with 1,650 distractor FAQs, with the kana runs below: Japanese cold
 * hit@1 0.602 → 0.604, hit@5 0.788 → 0.792; without distractors 0.658 → 0.667.
 */
const readingOf = (token: Token) => token.reading || (KATAKANA.test(token.surface) ? token.surface : null)

const isNounPart = (token: Token) =>
	(token.partOfSpeech === '名詞' && (NAMING_NOUNS.has(token.partOfSpeechSubcategory1) || token.partOfSpeechSubcategory1 === '数' || token.partOfSpeechSubcategory1 === '接尾')) ||
	// 再設定, 未払い: a kanji prefix is part of the word; the honorific お and ご are not.
	(token.partOfSpeech === '接頭詞' && !HIRAGANA.test(token.surface)) ||
	(token.partOfSpeech === 'UNK' && HAS_LETTERS.test(token.surface) && !HIRAGANA.test(token.surface))

/** A compound's part that means something alone (not a number, a suffix like 書 or a prefix like 再). */
const standsAlone = (token: Token) =>
	(token.partOfSpeech === '名詞' && NAMING_NOUNS.has(token.partOfSpeechSubcategory1)) || (token.partOfSpeech === 'UNK' && !LATIN_OR_DIGITS.test(token.surface))

/** A kana token the dictionary did not read as a word: unknown, a lone kana taken for a noun, or a long-vowel mark. */
const unreadKana = (token: Token) => token.partOfSpeech === 'UNK' || ([...token.surface].length === 1 && token.partOfSpeech === '名詞') || token.surface === 'ー'

/** A piece of kana the dictionary found no word for: unknown, or a lone kana taken for a noun that names something (not の, こと). */
const misread = (token: Token) =>
	token.partOfSpeech === 'UNK' || token.surface === 'ー' || ([...token.surface].length === 1 && token.partOfSpeech === '名詞' && NAMING_NOUNS.has(token.partOfSpeechSubcategory1))

/** A kana token that may be part of a word typed in kana: not a particle, auxiliary, pronoun, dependent noun or request word. */
const kanaContent = (token: Token) =>
	unreadKana(token) ||
	(token.partOfSpeech === '名詞' && token.partOfSpeechSubcategory1 !== '代名詞' && token.partOfSpeechSubcategory1 !== '非自立') ||
	((token.partOfSpeech === '動詞' || token.partOfSpeech === '形容詞') && token.partOfSpeechSubcategory1 === '自立' && !REQUEST_WORDS.has(token.baseForm)) ||
	// Beside an unread piece, kana is often taken for an adverb or a filler.
	token.partOfSpeech === '副詞' ||
	token.partOfSpeech === 'フィラー'

/**
 * The terms of a Japanese text (already NFKC-normalised and lower case), in order:
 * nouns, verbs and adjectives in their dictionary forms, less the words of requests
 * and politeness; runs of nouns also as one compound (二段階認証 and 二, 段階, 認証);
 * each with its reading in hiragana beside it. Latin words go to `latin` (stemmed as
 * English by the caller).
 */
export function japaneseTerms(text: string, latin: (word: string) => void, query = false): JapaneseTerm[] {
	const { terms, kana } = analyse(text, latin)
	return query ? [...terms, ...kana.flatMap(kanaGuesses).slice(0, MAX_GUESSES)] : terms
}

/** Each guess is counted in Meilisearch before the search (rerank.server.ts documentFrequencies): a long run is cut off here. */
const MAX_GUESSES = 40

const SUBSTRING_START = /^[ぁぃぅぇぉゃゅょっゎーんを]/u

/**
 * Words a customer typed in kana. A run of three kana or more is also read as
 * katakana, which finds a loanword the dictionary took for other words (げすと as げす +
 * と, らいせんす, くれじっとかーど: ゲスト, ライセンス, クレジットカード). A run with a
 * piece the dictionary found no word for (しょうたいをとりけしたい), or with two content
 * words side by side (りょうしゅうしょ as りょう + しゅうしょ), holds other words too,
 * found by the readings they share with documents' words (しょうたい is 招待's,
 * とりけし 取り消し's): every piece of 3 to 8 kana is a guess, and only those some
 * document has count for anything.
 */
type KanaRun = { text: string; unread: boolean }

function kanaGuesses({ text: run, unread }: KanaRun): JapaneseTerm[] {
	const out: JapaneseTerm[] = []
	for (const token of linderaTokenize(toKatakana(run))) {
		if (token.partOfSpeech === '名詞' && NAMING_NOUNS.has(token.partOfSpeechSubcategory1) && KATAKANA.test(token.surface) && [...token.surface].length >= 3) {
			const written = withoutFinalLongVowel(token.surface)
			out.push({ term: written, kind: 'part' }, { term: readingKey(token.surface), kind: 'kana' })
		}
	}
	const chars = unread ? [...run] : []
	for (let start = 0; start < chars.length; start++) {
		if (SUBSTRING_START.test(chars[start]!)) continue
		for (let end = start + 3; end <= Math.min(chars.length, start + 8); end++) {
			const piece = chars.slice(start, end).join('')
			if (piece.includes('を')) break
			out.push({ term: withoutFinalLongVowel(piece), kind: 'guess' })
		}
	}
	return out
}

/**
 * The words of a Japanese question as written, for Meilisearch to find candidates:
 * the compounds, verbs and adjectives that `japaneseTerms` keeps, without the polite
 * sentence around them, so a long question does not need its every word in a document.
 */
export function japaneseKeywords(text: string): string[] {
	return [...new Set(analyse(text, () => {}).keywords)]
}

type Analysis = { terms: JapaneseTerm[]; keywords: string[]; kana: KanaRun[]; latin: string[] }

/**
 * A search analyses its query several times (its keywords for Meilisearch, its terms
 * for re-ranking and for highlighting): the last analyses of query-sized texts are
 * kept, so Lindera reads each query once (documents are analysed once anyway).
 * Callers do not change what they are given.
 */
const recent = new Map<string, Analysis>()
const RECENT = 256
/** Queries have at most 200 characters (request.ts); synonyms fewer. */
const QUERY_SIZED = 200

function analyse(text: string, latin: (word: string) => void): Omit<Analysis, 'latin'> {
	if (text.length > QUERY_SIZED) return analyseNow(text, latin)
	let found = recent.get(text)
	if (!found) {
		const words: string[] = []
		found = { ...analyseNow(text, (word) => words.push(word)), latin: words }
		if (recent.size >= RECENT) recent.delete(recent.keys().next().value!)
		recent.set(text, found)
	}
	for (const word of found.latin) latin(word)
	return found
}

function analyseNow(text: string, latin: (word: string) => void): Omit<Analysis, 'latin'> {
	const out: JapaneseTerm[] = []
	// Runs of kana, for the words typed in kana (kanaGuesses).
	const kana: KanaRun[] = []
	let run: Token[] = []
	const endRun = () => {
		const text = run.map((t) => t.surface).join('')
		// A run of particles, auxiliaries and request words (ないん, のですが) holds no word typed in kana.
		// Two content words side by side in kana are often one word the dictionary split
		// (kanaGuesses); measured with the katakana readings of readingOf.
		if ([...text].length >= 3 && run.some((t) => misread(t) || (!unreadKana(t) && kanaContent(t)))) kana.push({ text, unread: run.some(misread) || run.some((t, i) => i > 0 && kanaContent(t) && kanaContent(run[i - 1]!)) })
		run = []
	}
	const keywords: string[] = []
	const word = (term: string, reading: string | null, kind: 'word' | 'action' | 'part' = 'word') => {
		const written = withoutFinalLongVowel(term)
		out.push({ term: written, kind })
		// A compound's parts are words of their own: their kanji come with the whole.
		if (kind !== 'part') out.push(...kanjiOf(written))
		const key = reading ? readingKey(reading) : HIRAGANA.test(written) ? written : null
		if (!key) return
		if (key !== written) out.push({ term: key, kind: 'reading' })
	}
	const tokens = linderaTokenize(text)
	let compound: Token[] = []
	const endCompound = () => {
		const parts = compound
		compound = []
		if (parts.length === 0) return
		if (parts.some((p) => standsAlone(p) || LATIN_OR_DIGITS.test(p.surface)) && !(parts.length === 1 && REQUEST_WORDS.has(parts[0]!.surface))) keywords.push(parts.map((p) => p.surface).join(''))
		for (const part of parts) {
			if (LATIN_OR_DIGITS.test(part.surface)) {
				if (!DIGITS.test(part.surface) || parts.length === 1) latin(part.surface)
			} else if (standsAlone(part) && !REQUEST_WORDS.has(part.surface)) word(part.surface, readingOf(part), parts.length > 1 ? 'part' : 'word')
		}
		if (parts.length < 2) return
		const written = parts.map((p) => (p.partOfSpeechSubcategory1 === '数' ? kanjiNumber(p.surface) : p.surface)).join('')
		const readings = parts.map((p) => (p.partOfSpeechSubcategory1 === '数' ? kanjiNumber(p.surface) : readingOf(p)))
		word(written, readings.every(Boolean) ? readings.join('') : null)
	}
	// Words written in kana that the dictionary cannot read (ろぐいん for ログイン) come
	// out as unknown pieces and single kana: with the kana around them that are not
	// particles, auxiliaries or request words, they are the reading of the word meant.
	let piece: Token[] = []
	const endPiece = () => {
		const text = piece.map((t) => t.surface).join('')
		const failed = piece.some(unreadKana)
		piece = []
		const key = withoutFinalLongVowel(toHiragana(text))
		if ([...key].length < 3 || !failed) return
		keywords.push(text)
		out.push({ term: key, kind: 'kana' })
	}
	let previous: Token | null = null
	// The last verb or adjective, and whether a negation of it waits to see if か follows.
	let predicate: string | null = null
	let negated = false
	for (const token of tokens) {
		const surface = token.surface
		if (negated && !(token.partOfSpeech.startsWith('助詞') && surface === 'か')) out.push({ term: NEGATION, kind: 'negation' })
		negated = false
		const independent = (token.partOfSpeech === '動詞' || token.partOfSpeech === '形容詞') && token.partOfSpeechSubcategory1 === '自立'
		if (NEGATIONS.has(token.baseForm) && (token.partOfSpeech === '助動詞' || independent)) negated = !(predicate && ASKING.has(predicate))
		else if (independent) predicate = token.baseForm
		// A piece the dictionary could not read that starts with a small kana or a long-vowel
		// mark belongs with the kana before it, whatever that was taken for (し|ょうたい).
		if (previous && piece.at(-1) !== previous && HIRAGANA.test(previous.surface) && unreadKana(token) && /^[ぁぃぅぇぉゃゅょっゎー]/u.test(surface)) {
			endPiece()
			piece.push(previous)
		}
		previous = token
		if (HIRAGANA.test(surface)) run.push(token)
		else endRun()
		if (HIRAGANA.test(surface) && kanaContent(token)) piece.push(token)
		else endPiece()
		if (HIRAGANA.test(surface) && unreadKana(token)) {
			endCompound()
			continue
		}
		if (isNounPart(token) || (LATIN_OR_DIGITS.test(surface) && compound.length > 0)) {
			compound.push(token)
			continue
		}
		endCompound()
		if (LATIN_OR_DIGITS.test(surface)) {
			compound.push(token)
			continue
		}
		const content = (token.partOfSpeech === '動詞' || token.partOfSpeech === '形容詞') && token.partOfSpeechSubcategory1 === '自立'
		if (content && !REQUEST_WORDS.has(token.baseForm)) {
			keywords.push(surface)
			const reading = baseReading(token)
			word(token.baseForm, reading, 'action')
			const godan = token.partOfSpeech === '動詞' && token.conjugationForm.startsWith('一段') ? potentialOf(token.baseForm) : null
			if (godan) word(godan.written, godan.reading, 'action')
			const noun = godan ? verbNoun(godan.written, godan.reading, godan.conjugation) : verbNoun(token.baseForm, reading, token.conjugationForm)
			if (noun) word(noun.written, noun.reading, 'action')
		}
	}
	if (negated) out.push({ term: NEGATION, kind: 'negation' })
	endCompound()
	endPiece()
	endRun()
	return { terms: out, keywords, kana }
}
