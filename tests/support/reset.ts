import { sql } from 'drizzle-orm'
import { announceChange } from '../../db/changes.server'
import { db } from '../../db/client.server'
import { discardJobs } from '../../db/queue.server'
import { searchClient } from '../../search/client.server'
import { ensureSearchIndexes } from '../../search/sync.server'

const rowsOf = async <T>(query: ReturnType<typeof sql>) => (await db.execute(query)) as unknown as T[]
const quoted = (name: string) => `"public"."${name.replaceAll('"', '""')}"`

/**
 * Empties the worker's database and search index: call it in beforeEach of
 * integration tests. Needs the connections made by tests/setup/integration.ts.
 *
 * It deletes the rows of the tables that hold any (a test writes to a few) with
 * foreign-key triggers off, then restarts the sequences that were used, so ids start
 * at 1 again as after TRUNCATE … RESTART IDENTITY. TRUNCATE made a new file for every
 * table and index its CASCADE reached: 0.6–1.1 s each time on this machine, before each
 * of about 170 tests; this takes tens of milliseconds.
 */
export async function resetData() {
	// Drizzle's own bookkeeping lives in the `drizzle` schema, so public-only is safe.
	const tables = await rowsOf<{ tablename: string }>(sql`select tablename from pg_tables where schemaname = 'public' and tablename <> '__drizzle_migrations'`)
	if (tables.length > 0) {
		const filled = await rowsOf<{ name: string }>(
			sql.raw(tables.map(({ tablename }) => `select '${quoted(tablename).replaceAll("'", "''")}' as name where exists (select from ${quoted(tablename)})`).join(' union all ')),
		)
		await db.transaction(async (tx) => {
			// Everything goes, so the order of the deletes does not matter (needs a superuser, as in the test cluster).
			await tx.execute(sql`set local session_replication_role = replica`)
			for (const { name } of filled) await tx.execute(sql.raw(`DELETE FROM ${name}`))
			// Deleted behind the app's back: what pages and shared reads keep (db/shared-reads.server.ts) is stale now.
			await announceChange(tx, 'pages')
		})
		const used = await rowsOf<{ sequencename: string }>(sql`select sequencename from pg_sequences where schemaname = 'public' and last_value is not null`)
		for (const { sequencename } of used) await db.execute(sql.raw(`ALTER SEQUENCE ${quoted(sequencename)} RESTART`))
	}
	// The job queue's jobs (its queues, made by the migration, stay).
	await discardJobs()

	if (process.env.MEILI_URL) {
		const prefix = process.env.MEILI_INDEX_PREFIX ?? 'test_'
		const client = searchClient()
		const { results } = await client.getIndexes({ limit: 1000 })
		for (const index of results) {
			if (!index.uid.startsWith(prefix)) continue
			// Most tests never index anything: Meilisearch runs one task at a time for all
			// workers, and a deletion cost 0.3 s there on average (290 tasks in one run).
			const pending = await client.tasks.getTasks({ indexUids: [index.uid], statuses: ['enqueued', 'processing'], limit: 1 })
			if (pending.results.length === 0 && (await client.index(index.uid).getStats()).numberOfDocuments === 0) continue
			const task = await client.index(index.uid).deleteAllDocuments().waitTask()
			if (task.status !== 'succeeded') throw new Error(`Could not empty index ${index.uid}: ${task.error?.message}`)
		}
		await ensureSearchIndexes()
	}
}
