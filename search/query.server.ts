import crypto from 'node:crypto'
import type { FederatedMultiSearchParams } from 'meilisearch'
import { cachedSearch, indexMemo } from './cache.server'
import { indexName, isSearchUnavailable, queryClient, searchBreaker } from './client.server'
import { documentId, type ContentDocument } from './documents.server'
import { expandQuery } from './expansion'
import { fallbackSearch } from './fallback.server'
import { highlighter } from './highlight'
import { recordSearch } from './history.server'
import { frequencyPlan, type CountQuery, type FrequencyPlan } from './frequencies.server'
import { rerank, type Frequencies } from './rerank.server'
import { isJapanese } from '~/utils/limits'
import { searchDuration } from '~/utils/metrics.server'
import { keywordQuery, queryTerms, terms } from './text'
import type { SearchHit, SearchRequest, SearchResult } from './request'
import { CONTENT_INDEX } from './settings'
import { synonymGroups } from './vocabulary.server'
import { readerVersions } from './translations.server'

/**
 * The page after translations were collapsed to one hit each: the versions left out
 * no longer count in the total or the type counts, so "FAQ (n)" is what is listed.
 * Only this page's versions are known here; a version on a later page still counts.
 */
function withoutCollapsed<T extends { total: number; hits: SearchHit[]; facets: { type: Record<string, number> } }>(found: T, kept: SearchHit[]): T {
	const removed = found.hits.length - kept.length
	if (removed === 0) return { ...found, hits: kept }
	const type = { ...found.facets.type }
	for (const kind of Object.keys(type)) {
		const dropped = found.hits.filter((hit) => hit.type === kind).length - kept.filter((hit) => hit.type === kind).length
		type[kind] = Math.max(0, (type[kind] ?? 0) - dropped)
	}
	return { ...found, hits: kept, total: Math.max(kept.length, found.total - removed), facets: { ...found.facets, type } }
}

const filterValue = (value: string) => JSON.stringify(value)

function buildFilter(request: SearchRequest): string[] {
	const filter: string[] = []
	if (request.answersOnly) filter.push('type IN ["faq", "tutorial"] OR solved = true')
	if (request.category) filter.push(`category = ${filterValue(request.category)}`)
	if (request.type) filter.push(`type = ${filterValue(request.type)}`)
	// Documents indexed before content had a language carry none, and count as English until `reindex`.
	if (request.language) filter.push(request.language === 'en' ? 'language = "en" OR language NOT EXISTS' : `language = ${filterValue(request.language)}`)
	if (request.tag) filter.push(`tags = ${filterValue(request.tag)}`)
	if (request.status === 'solved') filter.push('solved = true')
	if (request.status === 'answered') filter.push('answered = true')
	if (request.status === 'unanswered') filter.push('answered = false')
	return filter
}

const FACETS = ['type', 'tags', 'category']
/** How many of Meilisearch's best hits are re-ranked; pages beyond keep Meilisearch's order. */
const CANDIDATES = 50
const DISPLAYED = ['entityId', 'type', 'title', 'url', 'externalId', 'tags', 'category', 'solved', 'language'] as const
/** Candidates carry their term statistics, not their text: the text is fetched for the shown page only. */
const CANDIDATE_FIELDS = [...DISPLAYED, 'statistics']
const TEXT_FIELDS = ['id', 'body', 'answers']

type Candidate = Pick<ContentDocument, (typeof DISPLAYED)[number] | 'statistics'>

/** A wording's words as Meilisearch gets them (see `meilisearchWords`); a Japanese wording is segmented as Japanese, others by Meilisearch's own detection. */
type Keywords = { words: string[]; japanese: boolean }

function searchParams(request: SearchRequest, { words, japanese }: Keywords) {
	return {
		// Full-sentence questions: the words that carry meaning go to Meilisearch, and
		// the "frequency" strategy drops the most common of them first when nothing matches all.
		q: words.join(' '),
		filter: buildFilter(request),
		attributesToRetrieve: CANDIDATE_FIELDS,
		locales: japanese ? ['jpn'] : undefined,
		matchingStrategy: 'frequency' as const,
	}
}

/**
 * Meilisearch reads only the first 10 words of a query (a documented limit). A
 * question pasted with its background ("I took over billing last month and my
 * predecessor set … how do I change the invoice address?") says what it is about
 * last: of more meaningful words than that, the 10 rarest in the index go, in their
 * order. Words no document has are left out while some have the others: the
 * "frequency" strategy gives up the most frequent words first, so it dropped every
 * word that matched before one that matches nothing. Their counts are asked first
 * when not known yet, so a long question gets the same words in every process.
 */
const MEILISEARCH_WORDS = 10

async function meilisearchWords(wording: string): Promise<Keywords> {
	const keywords = keywordQuery(wording)
	const japanese = isJapanese(wording)
	// Rarity is weighed among as many words as a query has terms at most (MAX_QUERY_TERMS).
	const words = keywords.split(japanese ? ' ' : /\s+/).filter(Boolean).slice(0, MAX_QUERY_TERMS)
	if (words.length <= MEILISEARCH_WORDS) return { words, japanese }
	const termsOf = words.map((word) => terms(word))
	const plan = frequencyPlan(indexName(CONTENT_INDEX), [...new Set(termsOf.flat())])
	const counted = plan.queries.length > 0 ? (await queryClient().multiSearch<{ queries: CountQuery[] }, Candidate>({ queries: plan.queries })).results : []
	const { df } = plan.frequencies(counted)
	// A word with no term of its own (a number alone) says the least; Math.min of nothing is Infinity.
	const rarity = termsOf.map((wordTerms) => Math.min(...wordTerms.map((term) => df.get(term) || Number.MAX_SAFE_INTEGER)))
	const found = [...words.keys()].filter((i) => rarity[i]! < Number.MAX_SAFE_INTEGER)
	const kept = new Set((found.length > 0 ? found : [...words.keys()]).sort((a, b) => rarity[a]! - rarity[b]! || a - b).slice(0, MEILISEARCH_WORDS))
	return { words: words.filter((_, i) => kept.has(i)), japanese }
}

type Found = { hits: Candidate[]; estimatedTotalHits: number; facetDistribution: Record<string, Record<string, number>> }

/** Each meaningful word on its own: a thread that shares only the rarest word of a long question still becomes a candidate. */
export const PER_WORD = 12
const MAX_WORDS = 8

/**
 * The candidates of each word on its own. Long questions share most of their words
 * with others ("export", "invoice", "csv"), so these are kept until the index
 * changes: a question asked for the first time mostly needs only its own query.
 */
const wordCandidates = indexMemo<Candidate[]>('word-candidates', 2000)

/**
 * Japanese questions: the documents with each of the query's rarest terms (as the
 * analysis makes them, japanese.server.ts), found exactly by the documents' `terms`.
 * Meilisearch's own segmentation of a long colloquial sentence often differs from the
 * FAQ's (変えよう, 変更), and a term the analysis shares with the FAQ is the better lead.
 */
const MAX_TERMS = 10
/**
 * Terms that count this much in the query (text.ts queryTerms) may lead: a word typed in
 * kana that the dictionary could not read has only its guesses (0.35) to find the FAQ
 * by, and Meilisearch does not match a reading; a kanji word's reading (0.25) is never
 * rarer than the word. From 0.5 to 0.35, offline replay with the candidate stage
 * modelled (npm run eval:replay), Japanese cold hit@1 0.613 → 0.622 and with 1,650
 * distractor FAQs 0.554 → 0.558 (candidate recall 0.890 → 0.894), better on both
 * halves of the FAQs; a query never seen searches 0.8 more terms on average.
 */
const LEAD_WEIGHT = 0.35

/** The query terms most worth their own candidates: the rarest, weighed by how much each counts, that some document has. */
export function rarestTerms(weights: Map<string, number>, { documents, df }: Frequencies): string[] {
	const worth = (term: string) => (weights.get(term) ?? 0) * Math.log(1 + documents / (df.get(term) ?? 0))
	return [...weights.keys()]
		.filter((term) => (df.get(term) ?? 0) > 0 && (weights.get(term) ?? 0) >= LEAD_WEIGHT)
		.sort((a, b) => worth(b) - worth(a))
		.slice(0, MAX_TERMS)
}

/** Terms never counted before, searched on their own at most: the first queries after the index changed have many. */
const MAX_UNCOUNTED = 2 * MAX_TERMS

/**
 * The terms to search on their own in the same round trip that counts the ones not
 * counted yet: among those counted, the ones `rarestTerms` picks; every one not
 * counted yet (it may be rarer than all). Once all are counted, `rarestTerms` picks
 * among these the same terms it would have picked knowing every count beforehand.
 */
function termLeads(weights: Map<string, number>, counted: Frequencies | null): string[] {
	const uncounted = [...weights.keys()]
		.filter((term) => (weights.get(term) ?? 0) >= LEAD_WEIGHT && !counted?.df.has(term))
		.sort((a, b) => weights.get(b)! - weights.get(a)!)
		.slice(0, MAX_UNCOUNTED)
	return [...(counted ? rarestTerms(weights, counted) : []), ...uncounted]
}

/** A term is told from a word by a prefix no word has. */
const termKey = (term: string) => `\u0001${term}`

type Primary = { hits: Candidate[]; estimatedTotalHits?: number; facetDistribution?: Record<string, Record<string, number>> }

/**
 * Everything a search needs from Meilisearch, in one round trip: the query (with
 * synonyms, the query and its rewrites merged by federated search, which needs a
 * request of its own, sent alongside), and for re-ranking the candidates of each
 * lead (a meaningful word, or for Japanese a term) and the counts of the query's
 * terms, unless known from earlier searches.
 */
async function fetchCandidates(
	request: SearchRequest,
	wordings: Keywords[],
	window: { limit: number; offset: number },
	leads: string[],
	counting: FrequencyPlan | null,
): Promise<{ primary: Primary; leadHits: Map<string, Candidate[]>; frequencies: Frequencies | null }> {
	const uid = indexName(CONTENT_INDEX)
	const version = wordCandidates.version()
	const filter = JSON.stringify(buildFilter(request))
	const leadKey = (lead: string) => `${filter}\u0000${lead}`
	const leadHits = new Map<string, Candidate[]>()
	const unknown: string[] = []
	for (const lead of leads) {
		const hits = wordCandidates.get(leadKey(lead))
		if (hits) leadHits.set(lead, hits)
		else unknown.push(lead)
	}
	const leadQueries = unknown.map((lead) =>
		lead.startsWith('\u0001')
			? { indexUid: uid, q: '', filter: [...buildFilter(request), `terms = ${filterValue(lead.slice(1))}`], attributesToRetrieve: CANDIDATE_FIELDS, limit: PER_WORD }
			: { indexUid: uid, ...searchParams(request, { words: [lead], japanese: isJapanese(lead) }), limit: PER_WORD, matchingStrategy: 'all' as const },
	)
	const side = [...leadQueries, ...(counting?.queries ?? [])]
	type Side = (typeof side)[number]
	const client = queryClient()
	let primary: Primary
	let answers: Array<Primary & { totalHits?: number }>
	if (wordings.length === 1) {
		const main = { indexUid: uid, ...searchParams(request, wordings[0]!), ...window, ...(request.facets === false ? {} : { facets: FACETS }) }
		const { results } = await client.multiSearch<{ queries: Array<typeof main | Side> }, Candidate>({ queries: [main, ...side] })
		primary = results[0]!
		answers = results.slice(1)
	} else {
		const federated: FederatedMultiSearchParams = {
			federation: { ...window, ...(request.facets === false ? {} : { facetsByIndex: { [uid]: FACETS }, mergeFacets: {} }) },
			queries: wordings.map((q, i) => ({ indexUid: uid, ...searchParams(request, q), federationOptions: { weight: i === 0 ? 1 : 0.9 } })),
		}
		const [merged, separate] = await Promise.all([
			client.multiSearch<FederatedMultiSearchParams, Candidate>(federated),
			side.length > 0 ? client.multiSearch<{ queries: Side[] }, Candidate>({ queries: side }) : null,
		])
		primary = merged
		answers = separate?.results ?? []
	}
	unknown.forEach((lead, i) => {
		const hits = answers[i]?.hits ?? []
		leadHits.set(lead, hits)
		wordCandidates.set(leadKey(lead), hits, version)
	})
	return { primary, leadHits, frequencies: counting ? counting.frequencies(answers.slice(unknown.length)) : null }
}

/** The query's own hits, then each lead's that are not among them. */
function mergeCandidates(primary: Primary, extra: Candidate[][]): Found {
	const seen = new Set<string>()
	const hits = [...primary.hits, ...extra.flat()].filter((hit) => {
		// `id` is not retrieved; type and entity id identify a document.
		const key = documentId(hit.type, hit.entityId)
		return !seen.has(key) && seen.add(key)
	})
	const total = primary.estimatedTotalHits ?? primary.hits.length
	const facets = primary.facetDistribution ?? {}
	// Per-word candidates the main query did not count: while it counted no more than the window, every hit it
	// counted is in that window, so the others are new and the total and facets count them too ("FAQ (3)" agrees
	// with the hits listed). Past the window they may be among the hits it counted but did not return: its counts stand.
	if (total > primary.hits.length) return { hits, estimatedTotalHits: total, facetDistribution: facets }
	const added = hits.slice(primary.hits.length)
	return { hits, estimatedTotalHits: total + added.length, facetDistribution: withCounted(facets, added) }
}

/** Meilisearch's facet counts plus the given hits' own type, tags and category. */
function withCounted(distribution: Record<string, Record<string, number>>, hits: Candidate[]): Record<string, Record<string, number>> {
	const counts = Object.fromEntries(FACETS.map((facet) => [facet, { ...distribution[facet] }]))
	const count = (facet: string, value: string | null | undefined) => {
		if (value) counts[facet]![value] = (counts[facet]![value] ?? 0) + 1
	}
	for (const hit of hits) {
		count('type', hit.type)
		for (const tag of hit.tags ?? []) count('tags', tag)
		count('category', hit.category)
	}
	return counts
}

/**
 * Terms a search weighs at most. Each is counted in the index once and looked up in
 * every candidate: the Japanese dev questions have 27 (79 at the 99th percentile, with
 * readings, kanji and synonyms), while 500 characters of pasted text can bring several
 * hundred. Past this many, the heaviest are kept, the first typed first.
 */
export const MAX_QUERY_TERMS = 128

/** The terms of the query and of its rewrites (staff synonyms), each at the weight it has in the query that has it most. */
export function weightedTerms(wordings: string[]): Map<string, number> {
	const weights = new Map<string, number>()
	for (const wording of wordings) {
		for (const [term, weight] of queryTerms(wording)) if ((weights.get(term) ?? 0) < weight) weights.set(term, weight)
	}
	if (weights.size <= MAX_QUERY_TERMS) return weights
	return new Map([...weights].sort((a, b) => b[1] - a[1]).slice(0, MAX_QUERY_TERMS))
}

/** The text of the hits shown, for their snippets. */
async function textsOf(hits: Candidate[]): Promise<Map<string, Pick<ContentDocument, 'body' | 'answers'>>> {
	if (hits.length === 0) return new Map()
	const ids = hits.map((hit) => documentId(hit.type, hit.entityId))
	const { results } = await queryClient()
		.index<ContentDocument>(indexName(CONTENT_INDEX))
		.getDocuments({ ids, fields: TEXT_FIELDS as Array<keyof ContentDocument>, limit: ids.length })
	return new Map(results.map((doc) => [doc.id, doc]))
}

type Page = Omit<SearchResult, 'searchId' | 'degraded'>

/** One page of results: candidates from Meilisearch, the first pages re-ranked, then highlighted. */
async function runSearch(request: SearchRequest, wordings: string[]): Promise<Page> {
	const offset = request.offset ?? 0
	const weights = request.q.trim() !== '' && offset + request.limit <= CANDIDATES ? weightedTerms(wordings) : new Map<string, number>()
	const queryTerms = [...weights.keys()]
	const reranked = queryTerms.length > 0
	const window = reranked ? { limit: CANDIDATES, offset: 0 } : { limit: request.limit, offset }
	const keywords = await Promise.all(wordings.map(meilisearchWords))
	const counting = reranked ? frequencyPlan(indexName(CONTENT_INDEX), queryTerms) : null
	const japanese = reranked && isJapanese(request.q)
	const leads = !reranked ? [] : japanese ? termLeads(weights, counting!.counted).map(termKey) : [...new Set(keywords.flatMap(({ words }) => words.filter((w) => w.length > 1)))].slice(0, MAX_WORDS)
	const { primary, leadHits, frequencies } = await fetchCandidates(request, keywords, window, leads, counting)
	// Japanese: now that every count is known, the rarest of the terms searched.
	const used = japanese ? rarestTerms(weights, frequencies!).map(termKey) : leads
	const found = mergeCandidates(primary, used.map((lead) => leadHits.get(lead) ?? []))
	const hits = frequencies ? rerank(queryTerms, found.hits, frequencies, request.preferLanguage, weights).slice(offset, offset + request.limit) : found.hits
	const texts = await textsOf(hits)
	const { highlight, snippet } = highlighter(wordings)
	return {
		total: found.estimatedTotalHits,
		hits: hits.map((hit) => {
			const text = texts.get(documentId(hit.type, hit.entityId))
			return {
				id: hit.entityId,
				type: hit.type,
				title: hit.title,
				url: hit.url,
				snippet: snippet([text?.body ?? '', ...(text?.answers ?? [])]),
				externalId: hit.externalId ?? null,
				highlightedTitle: highlight(hit.title),
				tags: hit.tags ?? [],
				category: hit.category ?? null,
				solved: Boolean(hit.solved),
				// Documents indexed before content had a language were all taken for English.
				language: hit.language ?? 'en',
			}
		}),
		facets: {
			type: found.facetDistribution.type ?? {},
			tags: found.facetDistribution.tags ?? {},
			category: found.facetDistribution.category ?? {},
		},
	}
}

/** Requests that must give the same page; Meilisearch and the ranking ignore case. */
function cacheKey(request: SearchRequest): string {
	const q = request.q.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()
	return JSON.stringify([q, request.type, request.tag, request.category, request.status, Boolean(request.answersOnly), request.limit, request.offset ?? 0, request.facets !== false, request.language, request.preferLanguage])
}

/**
 * Meilisearch's page when it answers; otherwise (unreachable, timed out, failing, or
 * failing recently: see CircuitBreaker) the PostgreSQL fallback's, marked degraded.
 * Degraded pages never enter the result cache.
 */
async function searchPage(request: SearchRequest, synonyms: string[][]): Promise<{ page: Page; degraded: boolean }> {
	const wordings = request.q ? [request.q, ...expandQuery(request.q, synonyms)] : [request.q]
	const breaker = searchBreaker()
	const attempt = breaker.attempt()
	if (attempt === 'open') return { page: await fallbackSearch(request, wordings), degraded: true }
	try {
		// A probe must reach Meilisearch: a page cached before the outage proves nothing.
		const page = attempt === 'probe' ? await runSearch(request, wordings) : await cachedSearch(cacheKey(request), synonyms, () => runSearch(request, wordings))
		breaker.succeeded()
		return { page, degraded: false }
	} catch (error) {
		if (!isSearchUnavailable(error)) {
			// Meilisearch answered (it refused the request): it is up, and the error is ours.
			breaker.succeeded()
			throw error
		}
		breaker.failed()
		return { page: await fallbackSearch(request, wordings), degraded: true }
	}
}

export async function searchContent(
	request: SearchRequest,
	who: { userId: string | null; visitorId: string | null; record: boolean },
): Promise<SearchResult> {
	const timer = searchDuration.startTimer()
	const synonyms = await synonymGroups()
	const { page: found, degraded } = await searchPage(request, synonyms)
	timer({ source: degraded ? 'fallback' : 'meilisearch' })
	const page = request.preferLanguage ? withoutCollapsed(found, await readerVersions(found.hits, request.preferLanguage)) : found
	const searchId = crypto.randomUUID()
	if (who.record) {
		await recordSearch({
			id: searchId,
			query: request.q.slice(0, 500),
			filters: Object.fromEntries(
				Object.entries({ type: request.type, tag: request.tag, category: request.category, status: request.status, language: request.language }).filter(([, v]) => v),
			) as Record<string, string>,
			total: page.total,
			hits: page.hits.map((hit) => ({ type: hit.type, id: hit.id })),
			userId: who.userId,
			visitorId: who.visitorId,
		})
	}
	return { searchId, ...page, degraded }
}
