import { sql } from 'drizzle-orm'
import { db } from '../../db/client.server'
import { discardJobs } from '../../db/queue.server'
import { searchClient } from '../../search/client.server'
import { ensureSearchIndexes } from '../../search/sync.server'

/**
 * Empties the test database and the test search indexes: call it in beforeEach
 * of integration tests. Needs the connections made by tests/setup/integration.ts.
 */
export async function resetData() {
	// Drizzle's own bookkeeping lives in the `drizzle` schema, so public-only is safe.
	const rows = (await db.execute(
		sql`select tablename from pg_tables where schemaname = 'public' and tablename <> '__drizzle_migrations'`,
	)) as unknown as Array<{ tablename: string }>
	if (rows.length > 0) {
		const tables = rows.map((row) => `"public"."${row.tablename.replaceAll('"', '""')}"`).join(', ')
		await db.execute(sql.raw(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`))
	}
	// The job queue's jobs (its queues, made by the migration, stay).
	await discardJobs()

	if (process.env.MEILI_URL) {
		const prefix = process.env.MEILI_INDEX_PREFIX ?? 'test_'
		const client = searchClient()
		const { results } = await client.getIndexes({ limit: 1000 })
		for (const index of results) {
			if (!index.uid.startsWith(prefix)) continue
			const task = await client.index(index.uid).deleteAllDocuments().waitTask()
			if (task.status !== 'succeeded') throw new Error(`Could not empty index ${index.uid}: ${task.error?.message}`)
		}
		await ensureSearchIndexes()
	}
}
