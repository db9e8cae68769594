import crypto from 'node:crypto'
import type { FederatedMultiSearchParams, Hit } from 'meilisearch'
import { db } from '#db/client.server'
import { searches } from '#db/schema'
import { indexName, searchClient } from './client.server'
import type { ContentDocument, DocumentType } from './documents.server'
import { expandQuery } from './expansion'
import { rerank } from './rerank.server'
import { isJapanese, keywordQuery, terms } from './text'
import { CONTENT_INDEX } from './settings'
import { synonymGroups } from './vocabulary.server'

export type SearchStatus = 'solved' | 'answered' | 'unanswered'
export type SearchRequest = {
	q: string
	type?: DocumentType
	tag?: string
	category?: string
	status?: SearchStatus
	/** Only content that already answers something: FAQs, tutorials, solved threads (the ask form's suggestions). */
	answersOnly?: boolean
	limit: number
	offset?: number
}
export type SearchHit = {
	id: number
	type: DocumentType
	title: string
	url: string
	snippet: string
	externalId: string | null
	highlightedTitle: string
	tags: string[]
	category: string | null
	solved: boolean
}
export type SearchResult = {
	searchId: string
	total: number
	hits: SearchHit[]
	facets: { type: Record<string, number>; tags: Record<string, number>; category: Record<string, number> }
}

const PRE = '\u0001'
const POST = '\u0002'

const escapeHtml = (text: string) =>
	text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** Meilisearch's highlight markers → escaped HTML with <mark>, so stored text can never inject markup. */
export const highlightToHtml = (text: string) =>
	escapeHtml(text).replaceAll(PRE, '<mark>').replaceAll(POST, '</mark>')

/** Japanese queries are segmented as Japanese; otherwise Meilisearch's own detection applies. */
export const queryLocales = (q: string) => (isJapanese(q) ? ['jpn'] : undefined)

const filterValue = (value: string) => JSON.stringify(value)

function buildFilter(request: SearchRequest): string[] {
	const filter: string[] = []
	if (request.answersOnly) filter.push('type IN ["faq", "tutorial"] OR solved = true')
	if (request.category) filter.push(`category = ${filterValue(request.category)}`)
	if (request.type) filter.push(`type = ${filterValue(request.type)}`)
	if (request.tag) filter.push(`tags = ${filterValue(request.tag)}`)
	if (request.status === 'solved') filter.push('solved = true')
	if (request.status === 'answered') filter.push('answered = true')
	if (request.status === 'unanswered') filter.push('answered = false')
	return filter
}

function snippetOf(formatted: Partial<Record<keyof ContentDocument, unknown>>): string {
	const candidates = [formatted.body, ...((formatted.answers as string[] | undefined) ?? [])].filter(
		(text): text is string => typeof text === 'string' && text.length > 0,
	)
	const matching = candidates.find((text) => text.includes(PRE))
	return highlightToHtml(matching ?? candidates[0] ?? '')
}

const FACETS = ['type', 'tags', 'category']
/** How many of Meilisearch's best hits are re-ranked; pages beyond keep Meilisearch's order. */
const CANDIDATES = 50
const DISPLAYED = ['entityId', 'type', 'title', 'url', 'externalId', 'tags', 'category', 'solved']
const SCORED = [...DISPLAYED, 'phrasings', 'body', 'answers']

function searchParams(request: SearchRequest, q: string, withText: boolean) {
	return {
		// Full-sentence questions: the words that carry meaning go to Meilisearch, and
		// the "frequency" strategy drops the most common of them first when nothing matches all.
		q: keywordQuery(q),
		filter: buildFilter(request),
		attributesToRetrieve: withText ? SCORED : DISPLAYED,
		attributesToHighlight: ['title', 'body', 'answers'],
		attributesToCrop: ['body', 'answers'],
		cropLength: 28,
		cropMarker: '…',
		highlightPreTag: PRE,
		highlightPostTag: POST,
		locales: queryLocales(q),
		matchingStrategy: 'frequency' as const,
	}
}

type RawResult = {
	hits: Array<Hit<ContentDocument>>
	estimatedTotalHits: number
	facetDistribution: Record<string, Record<string, number>>
	/** The query with its synonym rewrites, as searched. */
	wordings: string[]
}

/**
 * Meilisearch finds the candidates (with synonyms: the original query and its
 * rewrites, merged by federated search); the first pages are then re-ranked.
 */
async function runSearch(request: SearchRequest): Promise<RawResult> {
	const offset = request.offset ?? 0
	const reranked = request.q.trim() !== '' && offset + request.limit <= CANDIDATES
	const window = reranked ? { limit: CANDIDATES, offset: 0 } : { limit: request.limit, offset }
	const result = await candidates(request, window, reranked)
	if (!reranked) return result
	const ordered = await rerank(result.wordings.join(' '), result.hits)
	return { ...result, hits: ordered.slice(offset, offset + request.limit) }
}

/** Each meaningful word on its own: a thread that shares only the rarest word of a long question still becomes a candidate. */
const PER_WORD = 12
const MAX_WORDS = 8

async function candidates(request: SearchRequest, window: { limit: number; offset: number }, withText: boolean): Promise<RawResult> {
	const uid = indexName(CONTENT_INDEX)
	const variants = request.q ? expandQuery(request.q, await synonymGroups()) : []
	const wordings = [request.q, ...variants]
	const words = withText ? [...new Set(wordings.flatMap((q) => keywordWords(q)))].slice(0, MAX_WORDS) : []
	const main =
		variants.length === 0
			? { ...searchParams(request, request.q, withText), ...window, facets: FACETS }
			: null
	const federated: FederatedMultiSearchParams | null =
		variants.length === 0
			? null
			: {
					federation: { ...window, facetsByIndex: { [uid]: FACETS }, mergeFacets: {} },
					queries: wordings.map((q, i) => ({ indexUid: uid, ...searchParams(request, q, withText), federationOptions: { weight: i === 0 ? 1 : 0.9 } })),
				}
	const perWord = words.map((word) => ({ indexUid: uid, ...searchParams(request, word, true), limit: PER_WORD, matchingStrategy: 'all' as const }))
	const client = searchClient()
	const [primary, extra] = await Promise.all([
		federated
			? client.multiSearch<FederatedMultiSearchParams, ContentDocument>(federated)
			: client.index<ContentDocument>(uid).search(null, main!),
		perWord.length > 0 ? client.multiSearch<{ queries: typeof perWord }, ContentDocument>({ queries: perWord }) : null,
	])
	const seen = new Set<string>()
	const hits = [...primary.hits, ...(extra?.results.flatMap((r) => r.hits) ?? [])].filter((hit) => {
		// `id` is not retrieved; type and entity id identify a document.
		const key = `${hit.type}-${hit.entityId}`
		return !seen.has(key) && seen.add(key)
	})
	return {
		hits: hits as Array<Hit<ContentDocument>>,
		// Per-word candidates can find documents the main query did not count.
		estimatedTotalHits: Math.max(primary.estimatedTotalHits ?? primary.hits.length, hits.length),
		facetDistribution: primary.facetDistribution ?? {},
		wordings,
	}
}

function keywordWords(q: string): string[] {
	const keywords = keywordQuery(q)
	return isJapanese(keywords) ? terms(keywords) : keywords.split(/\s+/).filter((w) => w.length > 1)
}

export async function searchContent(
	request: SearchRequest,
	who: { userId: string | null; visitorId: string | null; record: boolean },
): Promise<SearchResult> {
	const response = await runSearch(request)
	const total = response.estimatedTotalHits
	const searchId = crypto.randomUUID()
	if (who.record) {
		await db.insert(searches).values({
			id: searchId,
			query: request.q.slice(0, 500),
			filters: Object.fromEntries(
				Object.entries({ type: request.type, tag: request.tag, category: request.category, status: request.status }).filter(([, v]) => v),
			) as Record<string, string>,
			total,
			hits: response.hits.map((hit) => ({ type: hit.type, id: hit.entityId })),
			userId: who.userId,
			visitorId: who.visitorId,
		})
	}
	return {
		searchId,
		total,
		hits: response.hits.map((hit) => {
			const formatted = (hit._formatted ?? {}) as Partial<Record<keyof ContentDocument, unknown>>
			return {
				id: hit.entityId,
				type: hit.type,
				title: hit.title,
				url: hit.url,
				snippet: snippetOf(formatted),
				externalId: hit.externalId ?? null,
				highlightedTitle: highlightToHtml(String(formatted.title ?? hit.title)),
				tags: hit.tags ?? [],
				category: hit.category ?? null,
				solved: Boolean(hit.solved),
			}
		}),
		facets: {
			type: response.facetDistribution.type ?? {},
			tags: response.facetDistribution.tags ?? {},
			category: response.facetDistribution.category ?? {},
		},
	}
}
