import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { faqs, questions, searchFallback, searchFallbackState, tutorials } from '#db/schema'
import { singleton } from '~/utils/singleton.server'
import { searchNow } from './client.server'
import { documentsOf, type ContentDocument, type DocumentType } from './documents.server'
import { fallbackQueryGroups, fallbackVector } from './fallback-text'
import { highlighter } from './highlight'
import type { SearchRequest, SearchResult } from './request'
import type { ContentLanguage } from '~/utils/limits'

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
 * Writers take this lock shared (in their transaction), a rebuild batch exclusively:
 * a batch then never reads content that a writer is changing and overwrites the
 * writer's newer row with an older copy. Batches are short, so writers wait little.
 */
const REBUILD_LOCK = 0x6b7a_fb01

/**
 * Brings the fallback rows of these items up to date, reading the content through
 * `q`: called with the transaction that changed it (enqueueIndexTask), so the rows
 * commit with the change and never wait for Meilisearch. Items that may not be
 * found (drafts, duplicates, deleted) lose their row.
 */
export async function refreshFallback(q: Queryable, type: DocumentType, ids: number[]) {
	if (ids.length === 0) return
	await q.execute(sql`select pg_advisory_xact_lock_shared(${REBUILD_LOCK})`)
	await writeRows(q, type, ids)
}

async function writeRows(q: Queryable, type: DocumentType, ids: number[]) {
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
					(['title', 'url', 'external_id', 'tags', 'category', 'solved', 'answered', 'type_rank', 'frequency', 'score', 'texts', 'terms'] as const).map((column) => [
						column.replace(/_(.)/g, (_, c: string) => c.toUpperCase()),
						sql.raw(`excluded."${column}"`),
					]),
				),
			})
	}
	if (gone.length > 0) await q.delete(searchFallback).where(and(eq(searchFallback.documentType, type), inArray(searchFallback.entityId, gone)))
}

/** Items per rebuild batch: 0.1–0.4 s of work (1–4 ms each on the 50,000-question corpus, by load). */
const BATCH = 100
const contentTables = { question: questions, faq: faqs, tutorial: tutorials }

/**
 * One step of (re)building every fallback row from the content: up to `maxBatches`
 * batches, each in its own short transaction that also moves the cursor kept in
 * `search_fallback_state`, so a rebuild survives restarts and never holds writers
 * back for long. Returns whether the rebuild is finished (or none was due).
 */
export async function rebuildFallbackStep(maxBatches = 20): Promise<boolean> {
	// The usual case, without taking the lock that writers would wait for.
	const [due] = await db.select({ done: searchFallbackState.done }).from(searchFallbackState).where(eq(searchFallbackState.id, 1))
	if (!due || due.done) return true
	for (let batch = 0; batch < maxBatches; batch++) {
		const finished = await db.transaction(async (tx) => {
			await tx.execute(sql`select pg_advisory_xact_lock(${REBUILD_LOCK})`)
			const [state] = await tx.select().from(searchFallbackState).where(eq(searchFallbackState.id, 1)).for('update')
			if (!state || state.done) return true
			const type = state.nextType as DocumentType
			const table = contentTables[type]
			const ids = (await tx.select({ id: table.id }).from(table).where(gt(table.id, state.nextId)).orderBy(asc(table.id)).limit(BATCH)).map((row) => row.id)
			if (ids.length > 0) {
				await writeRows(tx, type, ids)
				await tx.update(searchFallbackState).set({ nextId: ids.at(-1)! }).where(eq(searchFallbackState.id, 1))
				return false
			}
			const next = documentTypes[documentTypes.indexOf(type) + 1]
			if (next) {
				await tx.update(searchFallbackState).set({ nextType: next, nextId: 0 }).where(eq(searchFallbackState.id, 1))
				return false
			}
			// Rows of items that no longer exist at all (nothing else removes those).
			for (const [kind, content] of Object.entries(contentTables)) {
				await tx.execute(sql`delete from ${searchFallback} f where f.document_type = ${kind} and not exists (select 1 from ${content} c where c.id = f.entity_id)`)
			}
			await tx.update(searchFallbackState).set({ done: true }).where(eq(searchFallbackState.id, 1))
			return true
		})
		if (finished) return true
	}
	return false
}

/** Rebuilds every fallback row now (`reindex`); returns how many there are. */
export async function rebuildFallback(): Promise<number> {
	await db
		.insert(searchFallbackState)
		.values({ id: 1, done: false, nextType: 'question', nextId: 0 })
		.onConflictDoUpdate({ target: searchFallbackState.id, set: { done: false, nextType: 'question', nextId: 0 } })
	let finished = false
	while (!finished) finished = await rebuildFallbackStep()
	const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(searchFallback)
	return row?.count ?? 0
}

/** The most values listed per facet, as Meilisearch's `maxValuesPerFacet` (settings.ts). */
const MAX_FACET_VALUES = 100
/** Query parts (words) that count towards ranking; more cost time and change little. */
const MAX_GROUPS = 12
/** ts_rank weights for D, C (answers), B (body, tags, category), A (title, phrasings). */
const RANK_WEIGHTS = '{0.05, 0.2, 0.4, 1.0}'

/** A fallback row's language, read from its content (the rows predate content languages). */
const LANGUAGE_OF = sql`(case f.document_type
	when 'question' then (select l.language from ${questions} l where l.id = f.entity_id)
	when 'faq' then (select l.language from ${faqs} l where l.id = f.entity_id)
	else (select l.language from ${tutorials} l where l.id = f.entity_id) end)::text`

function filters(request: SearchRequest): SQL[] {
	const where: SQL[] = []
	if (request.language) where.push(sql`${LANGUAGE_OF} = ${request.language}`)
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
	language: ContentLanguage
	texts: string[]
	total: number
	facets: Array<{ facet: 'type' | 'tags' | 'category'; value: string; count: number }> | null
}

const emptyFacets = (): Page['facets'] => ({ type: {}, tags: {}, category: {} })

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
	const searching = request.q.trim() !== ''
	// As-you-type requests skip the counts; their last word is likely unfinished.
	const groups = [...new Set(wordings.flatMap((q) => fallbackQueryGroups(q, request.facets === false)))].slice(0, MAX_GROUPS)
	if (searching && groups.length === 0) return { total: 0, hits: [], facets: emptyFacets() }
	const facets = request.facets !== false
	const selecting = searching ? await selectiveGroups(groups) : []
	const query = (limit: number, at: number) => (searching ? matching(selecting, groups, filters(request), facets, limit, at) : everything(filters(request), facets, limit, at))
	const rows = await query(request.limit, offset)
	// A page past the end has no row to carry the count and facets.
	const counts = rows[0] ?? (offset > 0 ? (await query(1, 0))[0] : undefined)
	const { highlight, snippet } = highlighter(wordings)
	const facetCounts = emptyFacets()
	for (const row of counts?.facets ?? []) facetCounts[row.facet][row.value] = row.count
	return {
		total: counts?.total ?? 0,
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
			language: row.language,
		})),
		facets: facetCounts,
	}
}

const HIT_COLUMNS = sql`f.document_type, f.entity_id, f.title, f.url, f.external_id, f.tags, f.category, f.solved, f.texts, ${LANGUAGE_OF} as language`
const and_ = (where: SQL[]) => (where.length > 0 ? sql` and ${sql.join(where, sql` and `)}` : sql``)

/** Counts per type, tag and category of the CTE `matched` (columns document_type, tags, category), as one JSON value. */
function facetColumn(wanted: boolean) {
	if (!wanted) return sql`null::json`
	return sql`(select json_agg(c) from (
		select facet, value, count from (
			select *, row_number() over (partition by facet order by count desc, value) as n from (
				select 'type' as facet, document_type as value, count(*)::int as count from matched group by 2
				union all select 'tags', tag, count(*)::int from matched, unnest(tags) as tag group by 2
				union all select 'category', category, count(*)::int from matched where category is not null group by 2
			) counted
		) limited where n <= ${MAX_FACET_VALUES}) c)`
}

/** The empty query: everything (filtered), curated help and frequent questions first, as Meilisearch orders it. */
function everything(where: SQL[], facets: boolean, limit: number, offset: number) {
	return db.execute<HitRow>(sql`
		with matched as (select document_type, tags, category from ${searchFallback} f where true ${and_(where)})
		select ${HIT_COLUMNS}, (select count(*)::int from matched) as total, ${facetColumn(facets)} as facets
		from ${searchFallback} f where true ${and_(where)}
		order by f.type_rank desc, f.frequency desc, f.score desc, f.entity_id
		limit ${limit} offset ${offset}`)
}

/**
 * Lexemes in more than this share of the documents do not select candidates (they
 * still rank them): like stop words, they make most documents a match, and each
 * match costs a heap visit. Measured on the 50,000-question corpus: "csv" alone was
 * in 42 % of the documents. Meilisearch's "frequency" strategy drops such words too.
 */
const COMMON_SHARE = 0.05
/** How often the lexeme statistics are read again; ANALYZE (autovacuum) refreshes them. */
const STATISTICS_MS = 60_000
const statistics = singleton('search-fallback-statistics', () => ({ loadedAt: -Infinity, shares: new Map<string, number>() }))

/** The share of documents containing each common lexeme, from PostgreSQL's own statistics of the tsvector column. */
async function commonLexemes(): Promise<Map<string, number>> {
	if (searchNow() - statistics.loadedAt > STATISTICS_MS) {
		const [row] = await db.execute<{ elems: string[] | null; freqs: number[] | null }>(sql`
			select most_common_elems::text::text[] as elems, most_common_elem_freqs as freqs
			from pg_stats where schemaname = current_schema() and tablename = 'search_fallback' and attname = 'terms'`)
		statistics.shares = new Map((row?.elems ?? []).map((lexeme, i) => [lexeme, row?.freqs?.[i] ?? 0]))
		statistics.loadedAt = searchNow()
	}
	return statistics.shares
}

const plainLexemes = (group: string) =>
	[...group.matchAll(/'((?:[^'\\]|''|\\.)*)'(:\*)?/g)].filter((match) => !match[2]).map((match) => match[1]!.replace(/''/g, "'").replace(/\\(.)/g, '$1'))

/** The query parts that select candidates: all but those as common as stop words, or else the rarest one. */
async function selectiveGroups(groups: string[]): Promise<string[]> {
	const shares = await commonLexemes()
	if (shares.size === 0) return groups
	// A part needs all its lexemes: it is at most as common as the rarest of them.
	// A prefix (an unfinished last word) may stand for many words: it selects only when nothing else does.
	const shareOf = (group: string) => {
		const lexemes = plainLexemes(group)
		return lexemes.length === 0 ? 1 : Math.min(...lexemes.map((lexeme) => shares.get(lexeme) ?? 0))
	}
	const rated = groups.map((group) => ({ group, share: shareOf(group) }))
	const selective = rated.filter((part) => part.share <= COMMON_SHARE).map((part) => part.group)
	return selective.length > 0 ? selective : [rated.reduce((rarest, part) => (part.share < rarest.share ? part : rarest)).group]
}

/**
 * Which documents match each query part is read from the GIN index (one scan per
 * part, without reading the documents' lexemes); how many parts a document matches
 * orders the candidates, only the best RANKED of them are scored with ts_rank, and
 * only the page's rows are read whole. Counts and facets come from the same matches.
 */
function matching(selecting: string[], groups: string[], where: SQL[], facets: boolean, limit: number, offset: number) {
	const tsquery = groups.join(' | ')
	const parts = selecting.map(
		(group) => sql`select document_type, entity_id, type_rank, frequency, score, tags, category from ${searchFallback} f where f.terms @@ ${group}::tsquery ${and_(where)}`,
	)
	return db.execute<HitRow>(sql`
		with matched as (
			select document_type, entity_id, type_rank, frequency, score, tags, category, count(*)::int as coverage
			from (${sql.join(parts, sql` union all `)}) parts group by 1, 2, 3, 4, 5, 6, 7
		),
		ordered as (
			select document_type, entity_id, coverage, row_number() over (order by coverage desc, type_rank desc, frequency desc, score desc, entity_id) as pre from matched
		),
		ranked as (
			select o.document_type, o.entity_id, 0 as tier, o.coverage,
				ts_rank(${RANK_WEIGHTS}::float4[], f.terms, ${tsquery}::tsquery, 1) * (case when f.type_rank > 1 then 1.05 else 1 end) as rank, o.pre
			from ordered o join ${searchFallback} f using (document_type, entity_id) where o.pre <= ${RANKED}
		),
		page as (
			select * from ranked
			union all select document_type, entity_id, 1, coverage, 0, pre from ordered where pre > ${RANKED}
			order by tier, coverage desc, rank desc, pre
			limit ${limit} offset ${offset}
		)
		select ${HIT_COLUMNS}, (select count(*)::int from matched) as total, ${facetColumn(facets)} as facets
		from page p join ${searchFallback} f using (document_type, entity_id)
		order by p.tier, p.coverage desc, p.rank desc, p.pre`)
}
