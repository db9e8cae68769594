import { and, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { faqs, questions, searchFallback, tutorials } from '#db/schema'
import { allIds, documentsOf, type ContentDocument, type DocumentType } from './documents.server'
import { fallbackQueryGroups, fallbackVector } from './fallback-text'
import { highlighter } from './highlight'
import type { SearchRequest, SearchResult } from './query.server'

/**
 * Search answered by PostgreSQL while Meilisearch is unreachable: the same
 * documents (documents.server.ts decides what may be found), the same filters,
 * paging and facets, ranked by full-text match instead of the re-ranker. There
 * is no typo tolerance and no learned ranking: the page says results may be less
 * relevant.
 */

const documentTypes: DocumentType[] = ['question', 'faq', 'tutorial']

function fallbackRow(doc: ContentDocument): typeof searchFallback.$inferInsert {
	return {
		documentType: doc.type,
		entityId: doc.entityId,
		title: doc.title,
		url: doc.url,
		externalId: doc.externalId,
		tags: doc.tags,
		category: doc.category,
		solved: doc.solved,
		answered: doc.answered,
		typeRank: doc.typeRank,
		frequency: doc.frequency,
		score: doc.score,
		createdAt: new Date(doc.createdAt * 1000),
		texts: [doc.body, ...doc.answers],
		// The fields Meilisearch searches, weighted as the re-ranker weighs them.
		terms: fallbackVector([
			{ weight: 'A', texts: [doc.title, ...doc.phrasings] },
			{ weight: 'B', texts: [...doc.tags, doc.category ?? '', doc.body] },
			{ weight: 'C', texts: doc.answers },
		]),
	}
}

/**
 * Brings the fallback rows of these items up to date, reading the content through
 * `q`: called with the transaction that changed it (enqueueIndexTask), so the rows
 * commit with the change and never wait for Meilisearch. Items that may not be
 * found (drafts, duplicates, deleted) lose their row.
 */
export async function refreshFallback(q: Queryable, type: DocumentType, ids: number[]) {
	if (ids.length === 0) return
	const documents = await documentsOf[type](ids, q)
	const present = documents.map((doc) => doc.entityId)
	const gone = ids.filter((id) => !present.includes(id))
	if (documents.length > 0) {
		const rows = documents.map(fallbackRow)
		await q
			.insert(searchFallback)
			.values(rows)
			.onConflictDoUpdate({
				target: [searchFallback.documentType, searchFallback.entityId],
				set: Object.fromEntries(
					(['title', 'url', 'external_id', 'tags', 'category', 'solved', 'answered', 'type_rank', 'frequency', 'score', 'created_at', 'texts', 'terms'] as const).map((column) => [
						column.replace(/_(.)/g, (_, c: string) => c.toUpperCase()),
						sql.raw(`excluded."${column}"`),
					]),
				),
			})
	}
	if (gone.length > 0) await q.delete(searchFallback).where(and(eq(searchFallback.documentType, type), inArray(searchFallback.entityId, gone)))
}

const BATCH = 500

/**
 * Rebuilds every fallback row from the content, in one transaction so that a write
 * made meanwhile (which updates its own row) is never overwritten by an older copy.
 */
export async function rebuildFallback(): Promise<number> {
	return db.transaction(async (tx) => {
		await tx.delete(searchFallback)
		for (const type of documentTypes) {
			const ids = await allIds(type, tx)
			for (let i = 0; i < ids.length; i += BATCH) await refreshFallback(tx, type, ids.slice(i, i + BATCH))
		}
		const [row] = await tx.select({ count: sql<number>`count(*)::int` }).from(searchFallback)
		return row?.count ?? 0
	})
}

/** After upgrading to a version with the fallback, or if its rows were lost: builds them once, at start. */
export async function ensureFallbackBuilt(): Promise<void> {
	const [row] = await db.execute<{ empty: boolean; content: boolean }>(sql`
		select not exists (select 1 from ${searchFallback}) as empty,
			exists (select 1 from ${questions}) or exists (select 1 from ${faqs}) or exists (select 1 from ${tutorials}) as content`)
	if (row?.empty && row.content) await rebuildFallback()
}

/** The most values listed per facet, as Meilisearch's `maxValuesPerFacet` (settings.ts). */
const MAX_FACET_VALUES = 100
/** Query parts (words) that count towards ranking; more cost time and change little. */
const MAX_GROUPS = 12
/** ts_rank weights for D, C (answers), B (body, tags, category), A (title, phrasings). */
const RANK_WEIGHTS = '{0.05, 0.2, 0.4, 1.0}'

function filters(request: SearchRequest): SQL[] {
	const where: SQL[] = []
	if (request.answersOnly) where.push(sql`(${searchFallback.documentType} in ('faq', 'tutorial') or ${searchFallback.solved})`)
	if (request.category) where.push(sql`${searchFallback.category} = ${request.category}`)
	if (request.type) where.push(sql`${searchFallback.documentType} = ${request.type}`)
	if (request.tag) where.push(sql`${request.tag} = any(${searchFallback.tags})`)
	if (request.status === 'solved') where.push(sql`${searchFallback.solved}`)
	if (request.status === 'answered') where.push(sql`${searchFallback.answered}`)
	if (request.status === 'unanswered') where.push(sql`not ${searchFallback.answered}`)
	return where
}

type Page = Omit<SearchResult, 'searchId' | 'degraded'>
type HitRow = {
	document_type: DocumentType
	entity_id: number
	title: string
	url: string
	external_id: string | null
	tags: string[]
	category: string | null
	solved: boolean
	texts: string[]
	total: number
}

const emptyFacets = () => ({ type: {}, tags: {}, category: {} })

/**
 * One page of results from PostgreSQL. Documents matching more of the query's words
 * come first (as Meilisearch drops words only when nothing matches them all), then
 * by weighted term frequency; FAQs and tutorials win ties, as in the re-ranker.
 */
export async function fallbackSearch(request: SearchRequest, wordings: string[]): Promise<Page> {
	const offset = request.offset ?? 0
	const searching = request.q.trim() !== ''
	// As-you-type requests skip the counts: their last word is likely unfinished.
	const groups = [...new Set(wordings.flatMap((q) => fallbackQueryGroups(q, request.facets === false)))].slice(0, MAX_GROUPS)
	if (searching && groups.length === 0) return { total: 0, hits: [], facets: emptyFacets() }
	const tsquery = groups.join(' | ')
	const where = [...filters(request), ...(searching ? [sql`${searchFallback.terms} @@ ${tsquery}::tsquery`] : [])]
	const condition = where.length > 0 ? sql`where ${sql.join(where, sql` and `)}` : sql``
	const order = searching
		? sql`${sql.join(
				groups.map((group) => sql`(${searchFallback.terms} @@ ${group}::tsquery)::int`),
				sql` + `,
			)} desc, ts_rank(${RANK_WEIGHTS}::float4[], ${searchFallback.terms}, ${tsquery}::tsquery, 1) * (case when ${searchFallback.typeRank} > 1 then 1.05 else 1 end) desc,`
		: sql``
	const rows = await db.execute<HitRow>(sql`
		select document_type, entity_id, title, url, external_id, tags, category, solved, texts, count(*) over ()::int as total
		from ${searchFallback} ${condition}
		order by ${order} type_rank desc, frequency desc, score desc, entity_id
		limit ${request.limit} offset ${offset}`)
	let total = rows[0]?.total ?? 0
	// A page past the end has no row to carry the count.
	if (rows.length === 0 && offset > 0) {
		const [count] = await db.execute<{ total: number }>(sql`select count(*)::int as total from ${searchFallback} ${condition}`)
		total = count?.total ?? 0
	}
	const { highlight, snippet } = highlighter(wordings)
	return {
		total,
		hits: rows.map((row) => ({
			id: row.entity_id,
			type: row.document_type,
			title: row.title,
			url: row.url,
			snippet: snippet(row.texts),
			externalId: row.external_id,
			highlightedTitle: highlight(row.title),
			tags: row.tags,
			category: row.category,
			solved: row.solved,
		})),
		facets: request.facets === false ? emptyFacets() : await facetsOf(condition),
	}
}

async function facetsOf(condition: SQL): Promise<Page['facets']> {
	const rows = await db.execute<{ facet: 'type' | 'tags' | 'category'; value: string; count: number }>(sql`
		with matches as (select document_type, tags, category from ${searchFallback} ${condition}),
		counted as (
			select 'type' as facet, document_type as value, count(*)::int as count from matches group by 2
			union all select 'tags', tag, count(*)::int from matches, unnest(tags) as tag group by 2
			union all select 'category', category, count(*)::int from matches where category is not null group by 2
		)
		select facet, value, count from (
			select *, row_number() over (partition by facet order by count desc, value) as n from counted
		) ranked where n <= ${MAX_FACET_VALUES}`)
	const facets: Page['facets'] = emptyFacets()
	for (const row of rows) facets[row.facet][row.value] = row.count
	return facets
}
