import { sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { searches } from '#db/schema'
import { singleton } from '~/utils/singleton.server'

type SearchRow = Required<Omit<typeof searches.$inferInsert, 'createdAt'>>
type Waiting = { row: SearchRow; resolve: () => void; reject: (error: unknown) => void }

/** Searches per statement, so a burst is not sent as one huge JSON parameter. */
const MAX_BATCH = 500

const queue = singleton('search-history', () => ({ waiting: [] as Waiting[], writing: false }))

/**
 * Records a search (its id is what feedback and clicks refer to). Searches that
 * arrive while a write is under way are written together in the next INSERT, so
 * a busy server spends one statement on many searches; each caller still waits
 * until its own row is stored.
 */
export function recordSearch(row: SearchRow): Promise<void> {
	return new Promise((resolve, reject) => {
		queue.waiting.push({ row, resolve, reject })
		if (!queue.writing) void writeQueued()
	})
}

async function writeQueued() {
	queue.writing = true
	while (queue.waiting.length > 0) {
		const batch = queue.waiting.splice(0, MAX_BATCH)
		try {
			await insertSearches(batch.map((w) => w.row))
			for (const w of batch) w.resolve()
		} catch (error) {
			if (batch.length === 1) batch[0]!.reject(error)
			// One bad row must not lose the others: write them one by one.
			else for (const w of batch) await insertSearches([w.row]).then(w.resolve, w.reject)
		}
	}
	queue.writing = false
}

/**
 * The rows travel as one JSON parameter: building a multi-row INSERT with seven
 * parameters per row cost more CPU than the search itself once results are cached.
 */
function insertSearches(rows: SearchRow[]) {
	return db.execute(sql`
		insert into ${searches} (id, query, filters, total, hits, user_id, visitor_id)
		select id, query, filters, total, hits, "userId", "visitorId"
		from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
			as row(id uuid, query text, filters jsonb, total integer, hits jsonb, "userId" text, "visitorId" text)
	`)
}
