import { asc, inArray, lte, sql } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { searchIndexTasks, searchVocabulary } from '#db/schema'
import { singleton } from '~/utils/singleton.server'
import { indexChanged } from './cache.server'
import { indexName, searchClient } from './client.server'
import { allIds, documentId, documentsOf, type DocumentType } from './documents.server'
import { refreshFallback } from './fallback.server'
import { CONTENT_INDEX, contentIndexSettings } from './settings'

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
	state.indexesReady = true
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
 * changes the content: the task commits with the change, so a Meilisearch outage
 * delays the index but never loses an update. The PostgreSQL fallback's row is
 * updated right here, so searches during an outage already see the change.
 */
export async function enqueueIndexTask(tx: Queryable, documentType: IndexedType, entityId: number) {
	await tx.insert(searchIndexTasks).values({ documentType, entityId })
	await refreshFallback(tx, documentType, [entityId])
	notifyWorker()
}

const listeners = singleton('search-sync-listeners', () => new Set<() => void>())
export const onIndexTaskQueued = (listener: () => void) => {
	listeners.add(listener)
	return () => listeners.delete(listener)
}
function notifyWorker() {
	for (const listener of listeners) listener()
}

const BATCH = 500

/**
 * Applies due index tasks to Meilisearch (with includeDeferred, also those waiting
 * for a retry). Failures are retried later with backoff, up to a minute apart.
 */
export async function processIndexTasks(options: { includeDeferred?: boolean } = {}): Promise<{ applied: number; failed: number }> {
	const due = await db
		.select()
		.from(searchIndexTasks)
		.where(options.includeDeferred ? undefined : lte(searchIndexTasks.runAfter, new Date()))
		.orderBy(asc(searchIndexTasks.id))
		.limit(BATCH)
	if (due.length === 0) return { applied: 0, failed: 0 }
	const taskIds = due.map((t) => t.id)
	try {
		await ensureSearchIndexes()
		for (const type of documentTypes) {
			await applyDocuments(type, [...new Set(due.filter((t) => t.documentType === type).map((t) => t.entityId))])
		}
		await db.delete(searchIndexTasks).where(inArray(searchIndexTasks.id, taskIds))
		return { applied: due.length, failed: 0 }
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error)
		await db
			.update(searchIndexTasks)
			.set({
				attempts: sql`${searchIndexTasks.attempts} + 1`,
				lastError: message.slice(0, 1000),
				runAfter: sql`now() + least(power(2, ${searchIndexTasks.attempts}), 60) * interval '1 second'`,
			})
			.where(inArray(searchIndexTasks.id, taskIds))
		return { applied: 0, failed: due.length }
	}
}

/** Upserts the documents that should be searchable and deletes the rest (deleted, drafts, duplicates). */
async function applyDocuments(type: DocumentType, ids: number[]) {
	if (ids.length === 0) return
	const index = searchClient().index(indexName(CONTENT_INDEX))
	const documents = await documentsOf[type](ids)
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

export async function pendingIndexTaskCount(): Promise<number> {
	const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(searchIndexTasks)
	return row?.count ?? 0
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
			const documents = await documentsOf[type](ids.slice(i, i + BATCH))
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
