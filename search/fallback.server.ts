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
	if (request.answersOnly) where.push(sql`(f.document_type in ('faq', 'tutorial') or f.solved)`)
	if (request.category) where.push(sql`f.category = ${request.category}`)
	if (request.type) where.push(sql`f.document_type = ${request.type}`)
	if (request.tag) where.push(sql`${request.tag} = any(f.tags)`)
	if (request.status === 'solved') where.push(sql`f.solved`)
	if (request.status === 'answered') where.push(sql`f.answered`)
	if (request.status === 'unanswered') where.push(sql`not f.answered`)
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
 * Only this many of the best-covered matches are ranked by ts_rank, which reads
 * each document's lexemes; the rest follow in cheaper order (words matched, curated
 * first, frequency). Measured on 50,000 questions: see "When Meilisearch is down".
 */
const RANKED = 300

/**
 * One page of results from PostgreSQL. Documents matching more of the query's words
 * come first (as Meilisearch drops words only when nothing matches them all), then
 * by weighted term frequency; FAQs and tutorials win ties, as in the re-ranker.
 */
export async function fallbackSearch(request: SearchRequest, wordings: string[]): Promise<Page> {
	const offset = request.offset ?? 0
	// As-you-type requests skip the counts; their last word is likely unfinished.
	const groups = [...new Set(wordings.flatMap((q) => fallbackQueryGroups(q, request.facets === false)))].slice(0, MAX_GROUPS)
	const where = filters(request)
	const rows =
		request.q.trim() === ''
			? await everything(where, request.limit, offset)
			: groups.length === 0
				? []
				: await matching(groups, where, request.limit, offset)
	let total = rows[0]?.total ?? 0
	// A page past the end has no row to carry the count.
	if (rows.length === 0 && offset > 0 && groups.length > 0) total = (await matching(groups, where, 1, 0))[0]?.total ?? 0
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
		facets: request.facets === false || (request.q.trim() !== '' && groups.length === 0) ? emptyFacets() : await facetsOf(request.q.trim() === '' ? [] : groups, where),
	}
}

const HIT_COLUMNS = sql`f.document_type, f.entity_id, f.title, f.url, f.external_id, f.tags, f.category, f.solved, f.texts`
const and_ = (where: SQL[]) => (where.length > 0 ? sql` and ${sql.join(where, sql` and `)}` : sql``)

/** The empty query: everything (filtered), curated help and frequent questions first, as Meilisearch orders it. */
function everything(where: SQL[], limit: number, offset: number) {
	return db.execute<HitRow>(sql`
		select ${HIT_COLUMNS}, count(*) over ()::int as total
		from ${searchFallback} f where true ${and_(where)}
		order by f.type_rank desc, f.frequency desc, f.score desc, f.entity_id
		limit ${limit} offset ${offset}`)
}

/**
 * Which documents match each query part is read from the GIN index alone (one
 * scan per part, no document is read); how many parts a document matches orders
 * the candidates, and only the best RANKED of them are scored with ts_rank.
 */
function matching(groups: string[], where: SQL[], limit: number, offset: number) {
	const tsquery = groups.join(' | ')
	return db.execute<HitRow>(sql`
		with ${matchedParts(groups, where)},
		ordered as (
			select m.document_type, m.entity_id, m.coverage,
				row_number() over (order by m.coverage desc, f.type_rank desc, f.frequency desc, f.score desc, f.entity_id) as pre
			from matched m join ${searchFallback} f using (document_type, entity_id)
		)
		select ${HIT_COLUMNS}, (select count(*)::int from matched) as total
		from ordered o join ${searchFallback} f using (document_type, entity_id)
		order by o.pre <= ${RANKED} desc, o.coverage desc,
			case when o.pre <= ${RANKED} then ts_rank(${RANK_WEIGHTS}::float4[], f.terms, ${tsquery}::tsquery, 1) * (case when f.type_rank > 1 then 1.05 else 1 end) else 0 end desc,
			o.pre
		limit ${limit} offset ${offset}`)
}

function matchedParts(groups: string[], where: SQL[]) {
	const parts = groups.map((group) => sql`select document_type, entity_id from ${searchFallback} f where f.terms @@ ${group}::tsquery ${and_(where)}`)
	return sql`matched as (select document_type, entity_id, count(*)::int as coverage from (${sql.join(parts, sql` union all `)}) parts group by 1, 2)`
}

async function facetsOf(groups: string[], where: SQL[]): Promise<Page['facets']> {
	const matches =
		groups.length > 0
			? sql`${matchedParts(groups, where)}, matches as (select f.document_type, f.tags, f.category from matched m join ${searchFallback} f using (document_type, entity_id))`
			: sql`matches as (select f.document_type, f.tags, f.category from ${searchFallback} f where true ${and_(where)})`
	const rows = await db.execute<{ facet: 'type' | 'tags' | 'category'; value: string; count: number }>(sql`
		with ${matches},
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
