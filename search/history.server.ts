import { db } from '#db/client.server'
import { searches } from '#db/schema'
import { singleton } from '~/utils/singleton.server'

type SearchRow = typeof searches.$inferInsert

/** Rows per INSERT: well below PostgreSQL's limit of 65,535 parameters. */
const MAX_BATCH = 500

const queue = singleton('search-history', () => ({ waiting: [] as SearchRow[], writing: null as Promise<void> | null }))

/**
 * Records a search (its id is what feedback and clicks refer to) without making
 * the search wait: rows are written in the background, many per INSERT when the
 * server is busy. Whatever reads searches back calls searchesRecorded() first.
 */
export function recordSearch(row: SearchRow): void {
	queue.waiting.push(row)
	queue.writing ??= writeQueued().finally(() => {
		queue.writing = null
	})
}

/** Resolves once every search recorded so far is stored. */
export async function searchesRecorded(): Promise<void> {
	while (queue.writing) await queue.writing
}

async function writeQueued() {
	while (queue.waiting.length > 0) {
		const batch = queue.waiting.splice(0, MAX_BATCH)
		try {
			await db.insert(searches).values(batch)
		} catch {
			// One bad row must not lose the others: write them one by one.
			for (const row of batch) await db.insert(searches).values(row).catch((error) => console.error('Recording a search failed:', error))
		}
	}
}
