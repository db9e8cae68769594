import { DrizzleQueryError } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { searchVocabulary } from '#db/schema'
import { announceChange } from '#db/changes.server'
import { enqueue, type Job, type Payloads } from '#db/queue.server'
import { singleton } from '~/utils/singleton.server'
import { indexChanged } from './cache.server'
import { indexName, searchClient } from './client.server'
import { allIds, documentId, documentsOf, type ContentDocument, type DocumentType } from './documents.server'
import { refreshFallback } from './fallback.server'
import { CONTENT_INDEX, contentIndexSettings } from './settings'
import { log } from '~/utils/log.server'
import { ANALYZER_VERSION } from './statistics'

export type IndexedType = DocumentType
const documentTypes: DocumentType[] = ['question', 'faq', 'tutorial']

const state = singleton('search-sync', () => ({ indexesReady: false }))

/** Creates the indexes and applies their settings (idempotent). */
export async function ensureSearchIndexes() {
	if (state.indexesReady) return
	const client = searchClient()
	const uid = indexName(CONTENT_INDEX)
	await client.createIndex(uid, { primaryKey: 'id' }).waitTask()
	await succeeded(client.index(uid).updateSettings(await settingsWithVocabulary()).waitTask())
	await queueOutdated(uid)
	state.indexesReady = true
}

/**
 * Queues the documents indexed with an older analysis (or before it had a version) for
 * re-indexing, so that after an upgrade their terms meet the new queries' without an
 * operator remembering to run a reindex. Jobs are keyed by document: processes that
 * start together queue each one once.
 */
async function queueOutdated(uid: string) {
	const index = searchClient().index<Pick<ContentDocument, 'type' | 'entityId'>>(uid)
	const filter = `analyzer NOT EXISTS OR analyzer != ${ANALYZER_VERSION}`
	const outdated: Array<Pick<ContentDocument, 'type' | 'entityId'>> = []
	for (let offset = 0; ; offset += 1000) {
		const { results } = await index.getDocuments({ filter, fields: ['type', 'entityId'], limit: 1000, offset })
		outdated.push(...results)
		if (results.length < 1000) break
	}
	for (const doc of outdated) await enqueue(db, 'search-index', { type: doc.type, id: doc.entityId }, { key: `${doc.type}:${doc.entityId}` })
	if (outdated.length > 0) console.log(`Search index: ${outdated.length} document(s) indexed with an older analysis are queued for re-indexing.`)
}

/** The index settings plus the stop words CS keep in the database (synonyms apply at query time). */
async function settingsWithVocabulary() {
	const [vocabulary] = await db.select({ stopWords: searchVocabulary.stopWords }).from(searchVocabulary)
	return { ...contentIndexSettings, stopWords: vocabulary?.stopWords ?? [] }
}

/** Re-applies the vocabulary after CS change it, so it takes effect at once. */
export async function applySearchVocabulary() {
	state.indexesReady = false
	await ensureSearchIndexes()
}

/**
 * Records that a document must be (re)indexed. Call it inside the transaction that
 * changes the content: the job commits with the change, so a Meilisearch outage
 * delays the index but never loses an update. Jobs are keyed by document, so quick
 * edits leave one waiting job, which reads the document when it runs: the newest
 * version wins. The PostgreSQL fallback's row is updated right here, so searches
 * during an outage already see the change. Whatever changes a document changes the
 * pages that show it too: the page cache hears of it here (db/changes.server.ts).
 */
export async function enqueueIndexTask(tx: Queryable, documentType: IndexedType, entityId: number) {
	await enqueue(tx, 'search-index', { type: documentType, id: entityId }, { key: `${documentType}:${entityId}` })
	await refreshFallback(tx, documentType, [entityId])
	await announceChange(tx, 'pages')
}

const BATCH = 500

/**
 * The `search-index` jobs: builds each document as it is now and applies it to
 * Meilisearch. When Meilisearch (or the database) does not answer, the jobs fail
 * and are retried with backoff. A document that cannot be built (a content
 * problem, not an outage) fails its job for good, with the reason, so it neither
 * holds up the others nor is retried; the next edit queues a new job.
 */
export async function indexDocumentJobs(jobs: Array<Job<Payloads['search-index']>>) {
	await ensureSearchIndexes()
	for (const type of documentTypes) {
		const ofType = jobs.filter((job) => job.data.type === type)
		if (ofType.length === 0) continue
		const built = await buildDocuments(type, [...new Set(ofType.map((job) => job.data.id))])
		for (const job of ofType) {
			const reason = built.unbuildable.get(job.data.id)
			if (reason === undefined) continue
			log.error({ documentType: type, documentId: job.data.id, reason }, 'Search index: this document cannot be indexed; its job failed for good')
			await job.fail(reason, { final: true })
		}
		await applyDocuments(type, built.ids, built.documents)
	}
}

/** A database error or an unreachable service: worth a retry, unlike an error in building a document. */
function isTransient(error: unknown): boolean {
	for (let e = error; e instanceof Error; e = e.cause) {
		if (e instanceof DrizzleQueryError || typeof (e as { code?: unknown }).code === 'string') return true
	}
	return false
}

/**
 * The documents for these ids. When building them fails for another reason than
 * the database, each id is built alone to find the ones that cannot be built.
 */
async function buildDocuments(type: DocumentType, ids: number[]) {
	const unbuildable = new Map<number, string>()
	if (ids.length === 0) return { ids, documents: [] as ContentDocument[], unbuildable }
	try {
		return { ids, documents: await documentsOf[type](ids), unbuildable }
	} catch (error) {
		if (isTransient(error)) throw error
	}
	const documents: ContentDocument[] = []
	for (const id of ids) {
		try {
			documents.push(...(await documentsOf[type]([id])))
		} catch (error) {
			if (isTransient(error)) throw error
			unbuildable.set(id, `Could not build the search document: ${error instanceof Error ? error.message : String(error)}`)
		}
	}
	return { ids: ids.filter((id) => !unbuildable.has(id)), documents, unbuildable }
}

/** Upserts the documents that should be searchable and deletes the rest (deleted, drafts, duplicates). */
async function applyDocuments(type: DocumentType, ids: number[], documents: ContentDocument[]) {
	if (ids.length === 0) return
	const index = searchClient().index(indexName(CONTENT_INDEX))
	const present = new Set(documents.map((d) => d.entityId))
	const gone = ids.filter((id) => !present.has(id)).map((id) => documentId(type, id))
	if (documents.length > 0) await succeeded(index.addDocuments(documents).waitTask({ timeout: 60_000 }))
	if (gone.length > 0) await succeeded(index.deleteDocuments(gone).waitTask({ timeout: 60_000 }))
}

/** Waits for an index task; once it succeeded, results cached before it are stale. */
async function succeeded(task: Promise<{ status: string; error?: { message: string } | null }>) {
	const done = await task
	if (done.status !== 'succeeded') throw new Error(`Meilisearch task ${done.status}: ${done.error?.message ?? ''}`)
	indexChanged()
}

/** Rebuilds the content index from PostgreSQL into a fresh index, then swaps it in. */
export async function reindexAll(): Promise<Record<DocumentType, number>> {
	const client = searchClient()
	const live = indexName(CONTENT_INDEX)
	const staging = `${live}_rebuild`
	await client.deleteIndex(staging).waitTask()
	await client.createIndex(staging, { primaryKey: 'id' }).waitTask()
	await succeeded(client.index(staging).updateSettings(await settingsWithVocabulary()).waitTask())
	const counts = { question: 0, faq: 0, tutorial: 0 }
	// Batches are only enqueued here and awaited at the end: Meilisearch indexes one
	// batch (merging those queued meanwhile) while the next ones are built.
	const enqueued: number[] = []
	for (const type of documentTypes) {
		const ids = await allIds(type)
		for (let i = 0; i < ids.length; i += BATCH) {
			const { documents, unbuildable } = await buildDocuments(type, ids.slice(i, i + BATCH))
			for (const [id, reason] of unbuildable) log.error({ documentType: type, documentId: id, reason }, 'Search index: this document cannot be indexed')
			counts[type] += documents.length
			if (documents.length > 0) enqueued.push((await client.index(staging).addDocuments(documents)).taskUid)
		}
	}
	for (const uid of enqueued) await succeeded(client.tasks.waitForTask(uid, { timeout: 120_000 }))
	await client.createIndex(live, { primaryKey: 'id' }).waitTask()
	await succeeded(client.swapIndexes([{ indexes: [live, staging], rename: false }]).waitTask())
	await client.deleteIndex(staging).waitTask()
	state.indexesReady = false
	return counts
}
