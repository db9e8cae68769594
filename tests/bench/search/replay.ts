/**
 * `npm run eval:replay`: the re-ranking replayed offline on the dev sets of
 * `npm run eval:search` (StackFAQ English threads, the Japanese dev set), in seconds
 * and without Meilisearch, to try a change to the analysis or the ranking on both
 * halves of the dev set before measuring it through the API.
 *
 * Each document is analysed as indexing does (statistics.ts), document frequencies are
 * counted over all of them, and each query's candidates are the documents sharing one
 * of its terms, the 80 sharing the most (by the query's weights) in that order: a
 * stand-in for Meilisearch's candidates and order. Its figures came within 0.01 of
 * eval:search's on the same code (Japanese cold hit@1 0.579 vs 0.581, English 0.797
 * vs 0.795, Japanese warm 0.547 vs 0.553). Warm adds every other query of each thread
 * or FAQ as a learned phrasing of it and measures the others, as eval:search does.
 *
 * Japanese candidates are modelled as query.server.ts finds them: the stand-in counts
 * only the terms of the words Meilisearch is sent (text.ts keywordQuery; synonyms and
 * kana guesses never meet it), and the documents with each of the rarest terms
 * (query.server.ts rarestTerms) are added, the first PER_WORD in the order the documents
 * were indexed, as Meilisearch returns a filter's matches. The Japanese FAQs and the
 * distractors are indexed in a fixed pseudo-random order, so that neither the stand-in's
 * ties nor a lead's first documents favour the dev set's FAQs. "found" is the share of
 * queries whose FAQ is among the candidates (candidate recall). On the same code, the
 * 473 questions of the first four query files: cold hit@1 0.622 vs eval:search's
 * 0.613, warm 0.566 vs 0.553.
 *
 * Every figure is also given for the threads and FAQs with odd and even numbers, so a
 * setting chosen on one half can be checked on the other.
 *
 * `--distractors N` adds N Japanese FAQs that no query is labelled with (the
 * benchmark's generated help centre, synthetic.ts): the held-out Japanese set has
 * about 11 times the dev set's 157 FAQs, which changes document frequencies and the
 * competition. Some of them are about the same tasks as dev FAQs and may answer a
 * query as well, so the figures with them are a lower bound, to compare versions of
 * the code by.
 */
import fs from 'node:fs'
import path from 'node:path'
import { PER_WORD, rarestTerms } from '#search/query.server'
import { rerank } from '#search/rerank.server'
import { termStatistics } from '#search/statistics'
import { keywordQuery, queryTerms, terms as analysedTerms } from '#search/text'
import { loadJapaneseSet } from './japanese'
import { generateFaqs } from './synthetic'

type Doc = { id: string; type: string; title: string; body: string; answers: string[] }
type Query = { query: string; relevant: string[]; language: 'en' | 'ja' }

const CANDIDATES = 80

/** The list in a fixed pseudo-random order (Fisher–Yates with a linear congruential generator). */
function interleaved<T>(list: T[]): T[] {
	const out = [...list]
	let seed = 16
	const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(next() * (i + 1))
		;[out[i], out[j]] = [out[j]!, out[i]!]
	}
	return out
}

function parseArguments(argv: string[]) {
	let distractors = 0
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--distractors' && /^\d+$/.test(argv[i + 1] ?? '')) distractors = Number(argv[++i])
		else throw new Error(`Unknown argument ${argv[i]} (the only one is --distractors N)`)
	}
	return { distractors }
}

const { distractors } = parseArguments(process.argv.slice(2))
const dataDir = process.env.STACKFAQ_DIR ?? path.resolve('../shared/eval/stackfaq')
const corpus: Array<{ id: string; title: string; answers: string[] }> = JSON.parse(fs.readFileSync(path.join(dataDir, 'corpus.json'), 'utf8')).corpus
const english: Array<{ query: string; relevant: string }> = JSON.parse(fs.readFileSync(path.join(dataDir, 'dev-queries.json'), 'utf8')).queries
const japanese = loadJapaneseSet()
const extra = distractors > 0 ? generateFaqs(distractors * 4).filter((f) => f.language === 'ja').slice(0, distractors) : []

// As eval:search imports them: a thread's title is also its body; an FAQ's question is its title, its answer the body.
// The Japanese FAQs are interleaved with the distractors in a fixed pseudo-random order (see the header).
const docs: Doc[] = [
	...corpus.map((t) => ({ id: t.id, type: 'question', title: t.title, body: t.title, answers: t.answers })),
	...interleaved([
		...japanese.faqs.map((f) => ({ id: f.id, type: 'faq', title: f.question, body: f.answer, answers: [] })),
		...extra.map((f) => ({ id: `distractor-${f.externalId}`, type: 'faq', title: f.title, body: f.body, answers: [] })),
	]),
]
const queries: Query[] = [
	...english.map((q) => ({ query: q.query, relevant: [q.relevant], language: 'en' as const })),
	...japanese.queries.map((q) => ({ ...q, language: 'ja' as const })),
]

function index(phrasings: Map<string, string[]>) {
	const indexed = docs.map((doc) => ({ ...doc, ...termStatistics({ ...doc, phrasings: phrasings.get(doc.id) ?? [] }) }))
	const df = new Map<string, number>()
	for (const doc of indexed) for (const term of doc.terms) df.set(term, (df.get(term) ?? 0) + 1)
	return { indexed, sets: indexed.map((doc) => new Set(doc.terms)), df }
}

/** Rank of the first right document, 1-based, or null when it is not among the candidates. */
function ranks({ indexed, sets, df }: ReturnType<typeof index>, list: Query[]): Array<number | null> {
	return list.map((q) => {
		const weights = queryTerms(q.query)
		const terms = [...weights.keys()]
		// Meilisearch's own query is sent the query's words as written (text.ts keywordQuery): no synonym or kana guess meets it.
		const sent = q.language === 'ja' ? new Set(analysedTerms(keywordQuery(q.query))) : null
		const primary = indexed
			.map((doc, i) => ({ doc, shared: terms.reduce((sum, term) => sum + (sets[i]!.has(term) && (!sent || sent.has(term)) ? weights.get(term)! : 0), 0) }))
			.filter((c) => c.shared > 0)
			.sort((a, b) => b.shared - a.shared)
			.slice(0, CANDIDATES)
			.map((c) => c.doc)
		// Japanese: the documents with each of the rarest terms, the first PER_WORD in the order they were indexed, as query.server.ts adds them.
		const leads = q.language === 'ja' ? rarestTerms(weights, { documents: indexed.length, df }).flatMap((term) => indexed.filter((_, i) => sets[i]!.has(term)).slice(0, PER_WORD)) : []
		const candidates = [...new Set([...primary, ...leads])]
		const at = rerank(terms, candidates, { documents: indexed.length, df }, undefined, weights).findIndex((doc) => q.relevant.includes(doc.id))
		return at >= 0 ? at + 1 : null
	})
}

/** Every other query of each thread or FAQ (by its first label) is learned, the others measured, as in eval:search. */
function split(list: Query[]) {
	const seen = new Map<string, number>()
	const learn: Query[] = []
	const measure: Query[] = []
	for (const q of list) {
		const position = seen.get(q.relevant[0]!) ?? 0
		seen.set(q.relevant[0]!, position + 1)
		;(position % 2 === 0 ? learn : measure).push(q)
	}
	return { learn, measure }
}

const isOdd = (q: Query) => Number(q.relevant[0]!.replace(/\D/g, '')) % 2 === 1

function line(name: string, list: Query[], found: Array<number | null>) {
	const figures = (keep: (q: Query) => boolean) => {
		const r = found.filter((_, i) => keep(list[i]!))
		const hit = (k: number) => (r.filter((x) => x !== null && x <= k).length / r.length).toFixed(3)
		const mrr = (r.reduce<number>((sum, x) => sum + (x !== null && x <= 10 ? 1 / x : 0), 0) / r.length).toFixed(3)
		const recall = (r.filter((x) => x !== null).length / r.length).toFixed(3)
		return `${hit(1)} / ${hit(5)} / ${mrr} / ${recall} (${r.length})`
	}
	return `${name.padEnd(22)} ${figures(() => true).padEnd(38)} odd ${figures(isOdd).padEnd(38)} even ${figures((q) => !isOdd(q))}`
}

const cold = index(new Map())
console.log(`${docs.length} documents (${extra.length} distractors); hit@1 / hit@5 / MRR@10 / found (queries)`)
for (const language of ['en', 'ja'] as const) {
	const list = queries.filter((q) => q.language === language)
	const { learn, measure } = split(list)
	const phrasings = new Map<string, string[]>()
	for (const q of learn) phrasings.set(q.relevant[0]!, [...(phrasings.get(q.relevant[0]!) ?? []), q.query])
	console.log(line(`${language} cold, all`, list, ranks(cold, list)))
	console.log(line(`${language} cold, measured`, measure, ranks(cold, measure)))
	console.log(line(`${language} warm, measured`, measure, ranks(index(phrasings), measure)))
}
