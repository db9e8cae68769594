import crypto from 'node:crypto'
import type { FederatedMultiSearchParams, Hit } from 'meilisearch'
import { db } from '#db/client.server'
import { searches } from '#db/schema'
import { indexName, searchClient } from './client.server'
import type { ContentDocument, DocumentType } from './documents.server'
import { expandQuery } from './expansion'
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

const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u

/** Japanese queries are segmented as Japanese; otherwise Meilisearch's own detection applies. */
export const queryLocales = (q: string) => (JAPANESE.test(q) ? ['jpn'] : undefined)

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

function searchParams(request: SearchRequest, q: string) {
	return {
		q,
		filter: buildFilter(request),
		attributesToRetrieve: ['entityId', 'type', 'title', 'url', 'externalId', 'tags', 'category', 'solved'],
		attributesToHighlight: ['title', 'body', 'answers'],
		attributesToCrop: ['body', 'answers'],
		cropLength: 28,
		cropMarker: '…',
		highlightPreTag: PRE,
		highlightPostTag: POST,
		locales: queryLocales(q),
	}
}

type RawResult = { hits: Array<Hit<ContentDocument>>; estimatedTotalHits: number; facetDistribution: Record<string, Record<string, number>> }

/** One query, or with synonyms the original and its rewrites merged by Meilisearch's federated search. */
async function runSearch(request: SearchRequest): Promise<RawResult> {
	const uid = indexName(CONTENT_INDEX)
	const variants = request.q ? expandQuery(request.q, await synonymGroups()) : []
	if (variants.length === 0) {
		const response = await searchClient()
			.index<ContentDocument>(uid)
			.search(request.q, { ...searchParams(request, request.q), limit: request.limit, offset: request.offset ?? 0, facets: FACETS })
		return { hits: response.hits, estimatedTotalHits: response.estimatedTotalHits ?? response.hits.length, facetDistribution: response.facetDistribution ?? {} }
	}
	const federated: FederatedMultiSearchParams = {
		federation: { limit: request.limit, offset: request.offset ?? 0, facetsByIndex: { [uid]: FACETS }, mergeFacets: {} },
		queries: [request.q, ...variants].map((q, i) => ({ indexUid: uid, ...searchParams(request, q), federationOptions: { weight: i === 0 ? 1 : 0.9 } })),
	}
	const response = await searchClient().multiSearch<FederatedMultiSearchParams, ContentDocument>(federated)
	const seen = new Set<string>()
	const hits = response.hits.filter((hit) => !seen.has(hit.id) && seen.add(hit.id))
	return { hits, estimatedTotalHits: response.estimatedTotalHits ?? hits.length, facetDistribution: response.facetDistribution ?? {} }
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
