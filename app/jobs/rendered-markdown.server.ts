import { and, eq, isNull, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { answers, faqs, questions, tutorialSteps } from '#db/schema'
import { renderMarkdown } from '~/markdown/markdown.server'

const tables = [questions, answers, faqs, tutorialSteps] as const

const BATCH = 200

/**
 * Renders and stores the HTML of rows that have none, a batch per table per call;
 * returns how many rows it stored. A backfill rather than a write on read, so page
 * loads stay reads, and rather than in the migration, which cannot run marked.
 * A row edited meanwhile keeps the HTML its edit stored: the update only applies
 * while the body is still the one rendered here.
 */
export async function backfillRenderedMarkdown(): Promise<number> {
	let stored = 0
	for (const table of tables) {
		const rows = await db.select({ id: table.id, body: table.body }).from(table).where(isNull(table.bodyHtml)).limit(BATCH)
		for (const row of rows) {
			const updated = await db
				.update(table)
				.set({ bodyHtml: renderMarkdown(row.body) })
				.where(and(eq(table.id, row.id), isNull(table.bodyHtml), sql`${table.body} = ${row.body}`))
				.returning({ id: table.id })
			stored += updated.length
		}
	}
	return stored
}
