import { and, asc, DrizzleQueryError, eq, inArray, isNull, lte, sql } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { searchIndexTasks, searchVocabulary } from '#db/schema'
import { singleton } from '~/utils/singleton.server'
import { indexChanged } from './cache.server'
import { indexName, searchClient } from './client.server'
import { allIds, documentId, documentsOf, type ContentDocument, type DocumentType } from './documents.server'
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

export type IndexTaskResult = {
	applied: number
	/** Left queued for a retry: Meilisearch (or the database) did not answer. */
	failed: number
	/** Set aside for good: their document could not be built, so retrying would not help. */
	parked: Array<{ documentType: string; entityId: number; reason: string }>
}

/**
 * Applies due index tasks to Meilisearch (with includeDeferred, also those waiting
 * for a retry). Failures to reach Meilisearch are retried later with backoff, up to
 * a minute apart. A task whose document cannot be built (a content problem, not an
 * outage) is parked with its reason and logged, so it neither blocks the tasks
 * after it nor is retried forever.
 */
export async function processIndexTasks(options: { includeDeferred?: boolean } = {}): Promise<IndexTaskResult> {
	// Due by the database's clock, which set run_after: this process's clock has only
	// milliseconds (a task queued in the same millisecond looked not yet due) and, in
	// a fleet, may differ from the database's.
	const due = await db
		.select()
		.from(searchIndexTasks)
		.where(and(isNull(searchIndexTasks.parkedAt), options.includeDeferred ? undefined : lte(searchIndexTasks.runAfter, sql`now()`)))
		.orderBy(asc(searchIndexTasks.id))
		.limit(BATCH)
	if (due.length === 0) return { applied: 0, failed: 0, parked: [] }
	const parkedIds = new Set<number>()
	const parked: IndexTaskResult['parked'] = []
	try {
		await ensureSearchIndexes()
		for (const type of documentTypes) {
			const tasks = due.filter((t) => t.documentType === type)
			const built = await buildDocuments(type, [...new Set(tasks.map((t) => t.entityId))])
			for (const task of tasks) {
				const reason = built.unbuildable.get(task.entityId)
				if (reason === undefined) continue
				parkedIds.add(task.id)
				parked.push({ documentType: type, entityId: task.entityId, reason })
			}
			for (const item of parked.filter((p) => p.documentType === type)) {
				console.error(`Search index: the ${type} ${item.entityId} cannot be indexed, task set aside: ${item.reason}`)
			}
			await parkTasks(tasks.filter((t) => parkedIds.has(t.id)), built.unbuildable)
			await applyDocuments(type, built.ids, built.documents)
		}
		const done = due.filter((t) => !parkedIds.has(t.id)).map((t) => t.id)
		if (done.length > 0) await db.delete(searchIndexTasks).where(inArray(searchIndexTasks.id, done))
		return { applied: done.length, failed: 0, parked }
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error)
		const retried = due.filter((t) => !parkedIds.has(t.id)).map((t) => t.id)
		await db
			.update(searchIndexTasks)
			.set({
				attempts: sql`${searchIndexTasks.attempts} + 1`,
				lastError: message.slice(0, 1000),
				runAfter: sql`now() + least(power(2, ${searchIndexTasks.attempts}), 60) * interval '1 second'`,
			})
			.where(inArray(searchIndexTasks.id, retried))
		return { applied: 0, failed: retried.length, parked }
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

async function parkTasks(tasks: Array<{ id: number; entityId: number }>, reasons: Map<number, string>) {
	for (const task of tasks) {
		await db
			.update(searchIndexTasks)
			.set({ parkedAt: new Date(), lastError: (reasons.get(task.entityId) ?? '').slice(0, 1000) })
			.where(eq(searchIndexTasks.id, task.id))
	}
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

export async function pendingIndexTaskCount(): Promise<number> {
	const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(searchIndexTasks).where(isNull(searchIndexTasks.parkedAt))
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
			const { documents, unbuildable } = await buildDocuments(type, ids.slice(i, i + BATCH))
			for (const [id, reason] of unbuildable) console.error(`Search index: the ${type} ${id} cannot be indexed: ${reason}`)
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
