import { asc, eq, inArray, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { Queryable } from '#db/client.server'
import { faqs, helpJourneys, learnedPhrasings, questions } from '#db/schema'

/**
 * How often a problem was asked ("Times asked"): it orders the most frequent
 * questions, ranks search results and is one of the insights. It counts what
 * community (me too, duplicates), knowledge (learned phrasings) and insights (help
 * journeys) record, so it lives below all three, which recount it.
 */

/** A question or an FAQ: the items whose frequency is counted. */
export type Counted = { type: 'question' | 'faq'; id: number }

/** Σ over the visible questions closed into it of (1 + their "me too"): a hidden, deleted or held duplicate stops counting until restored. */
const duplicateWeight = (pointer: 'duplicate_of_question_id' | 'duplicate_of_faq_id', id: AnyPgColumn) =>
	sql<number>`coalesce((select sum(1 + d.me_too_count) from ${questions} d where d.${sql.identifier(pointer)} = ${id} and d.state = 'visible'), 0)::int`

/** Learned phrasings: each distinct wording that led people here, solved their problem and now counts in search. */
const learnedWeight = (type: Counted['type'], id: AnyPgColumn) =>
	sql<number>`(select count(*) from ${learnedPhrasings} lp where lp.target_type = ${type} and lp.target_id = ${id} and lp.active)::int`

/** Help journeys that ended on it, solved, without a new question. */
const journeyWeight = (type: Counted['type'], id: AnyPgColumn) =>
	sql<number>`(select count(*) from ${helpJourneys} hj where hj.resolved_target_type = ${type} and hj.resolved_target_id = ${id} and hj.self_resolved)::int`

/**
 * Recomputes how often a problem was asked, from scratch: for a question 1 + its
 * "me too" + its duplicates with theirs + its learned phrasings + the help
 * journeys resolved on it; for an FAQ the same without "me too".
 * The row is locked first so that the recount's snapshot includes every
 * concurrent change that committed before it.
 */
export async function recomputeFrequency(tx: Queryable, target: Counted): Promise<number> {
	await recomputeFrequencies(tx, [target])
	const table = target.type === 'question' ? questions : faqs
	const [row] = await tx.select({ frequency: table.frequency }).from(table).where(eq(table.id, target.id))
	return row?.frequency ?? 0
}

/** The same for many items at once; returns those whose frequency changed. */
export async function recomputeFrequencies(tx: Queryable, targets: Counted[]): Promise<Counted[]> {
	const changed: Counted[] = []
	for (const type of ['question', 'faq'] as const) {
		const ids = [...new Set(targets.filter((target) => target.type === type).map((target) => target.id))].sort((a, b) => a - b)
		if (ids.length === 0) continue
		const table = type === 'question' ? questions : faqs
		await tx.select({ id: table.id }).from(table).where(inArray(table.id, ids)).orderBy(asc(table.id)).for('update')
		const value =
			type === 'question'
				? sql`1 + ${questions.meTooCount} + ${duplicateWeight('duplicate_of_question_id', questions.id)} + ${learnedWeight('question', questions.id)} + ${journeyWeight('question', questions.id)}`
				: sql`1 + ${duplicateWeight('duplicate_of_faq_id', faqs.id)} + ${learnedWeight('faq', faqs.id)} + ${journeyWeight('faq', faqs.id)}`
		const rows = (await tx.execute(sql`
			update ${table} set frequency = counted.value
			from (select ${table.id} as id, ${value} as value from ${table} where ${inArray(table.id, ids)}) counted
			where ${table.id} = counted.id and ${table.frequency} <> counted.value
			returning ${table.id} as id`)) as unknown as Array<{ id: number }>
		for (const row of rows) changed.push({ type, id: row.id })
	}
	return changed
}
