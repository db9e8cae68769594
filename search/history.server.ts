import { db } from '#db/client.server'
import { searches } from '#db/schema'
import { singleton } from '~/utils/singleton.server'

type SearchRow = typeof searches.$inferInsert
type Waiting = { row: SearchRow; resolve: () => void; reject: (error: unknown) => void }

/** Rows per INSERT: well below PostgreSQL's limit of 65,535 parameters. */
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
			await db.insert(searches).values(batch.map((w) => w.row))
			for (const w of batch) w.resolve()
		} catch (error) {
			if (batch.length === 1) batch[0]!.reject(error)
			// One bad row must not lose the others: write them one by one.
			else for (const w of batch) await db.insert(searches).values(w.row).then(w.resolve, w.reject)
		}
	}
	queue.writing = false
}
