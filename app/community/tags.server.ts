import { and, eq, inArray, sql } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { questions, questionTags, tags } from '#db/schema'
import { sharedRead } from '#db/shared-reads.server'

/** Replaces a question's tags, creating tags that do not exist yet. */
export async function setQuestionTags(tx: Queryable, questionId: number, names: string[]) {
	await tx.delete(questionTags).where(eq(questionTags.questionId, questionId))
	if (names.length === 0) return
	await tx.insert(tags).values(names.map((name) => ({ name }))).onConflictDoNothing()
	const rows = await tx.select({ id: tags.id }).from(tags).where(inArray(tags.name, names))
	await tx.insert(questionTags).values(rows.map((r) => ({ questionId, tagId: r.id })))
}

export async function tagsOfQuestions(tx: Queryable, questionIds: number[]): Promise<Map<number, string[]>> {
	const map = new Map<number, string[]>()
	if (questionIds.length === 0) return map
	const rows = await tx
		.select({ questionId: questionTags.questionId, name: tags.name })
		.from(questionTags)
		.innerJoin(tags, eq(tags.id, questionTags.tagId))
		.where(inArray(questionTags.questionId, questionIds))
		.orderBy(tags.name)
	for (const row of rows) map.set(row.questionId, [...(map.get(row.questionId) ?? []), row.name])
	return map
}

/** Tags with how many questions use them, most used first. Read on every home and tag-list view and the same for all: shared (it scans every visible question's tags). */
export async function popularTags(limit = 30) {
	return sharedRead('popularTags', String(limit), () =>
		db
			.select({ name: tags.name, count: sql<number>`count(${questionTags.questionId})::int` })
			.from(tags)
			.innerJoin(questionTags, eq(questionTags.tagId, tags.id))
			.innerJoin(questions, and(eq(questions.id, questionTags.questionId), eq(questions.state, 'visible')))
			.groupBy(tags.id)
			.orderBy(sql`count(${questionTags.questionId}) desc`, tags.name)
			.limit(limit),
	)
}
