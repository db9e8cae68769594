import { asc, eq, inArray } from 'drizzle-orm'
import { db } from '#db/client.server'
import { answers, questions, questionTags, tags } from '#db/schema'
import { markdownToText } from '~/markdown/markdown.server'
import { questionUrl } from '~/community/urls'

export type ContentDocument = {
	id: string
	type: 'question'
	entityId: number
	title: string
	body: string
	answers: string[]
	tags: string[]
	solved: boolean
	answered: boolean
	score: number
	answerCount: number
	meTooCount: number
	createdAt: number
	url: string
	externalId: string | null
}

export const documentId = (type: ContentDocument['type'], entityId: number) => `${type}-${entityId}`

/** Search documents for the given questions; ids that no longer exist are simply absent. */
export async function questionDocuments(ids: number[]): Promise<ContentDocument[]> {
	if (ids.length === 0) return []
	const rows = await db.select().from(questions).where(inArray(questions.id, ids))
	const answerRows = await db
		.select({ questionId: answers.questionId, id: answers.id, body: answers.body })
		.from(answers)
		.where(inArray(answers.questionId, ids))
		.orderBy(asc(answers.createdAt))
	const tagRows = await db
		.select({ questionId: questionTags.questionId, name: tags.name })
		.from(questionTags)
		.innerJoin(tags, eq(tags.id, questionTags.tagId))
		.where(inArray(questionTags.questionId, ids))
	return rows.map((q) => {
		const own = answerRows.filter((a) => a.questionId === q.id)
		// The accepted answer first: it is the one most worth matching and showing.
		own.sort((a, b) => Number(b.id === q.acceptedAnswerId) - Number(a.id === q.acceptedAnswerId))
		return {
			id: documentId('question', q.id),
			type: 'question',
			entityId: q.id,
			title: q.title,
			body: markdownToText(q.body),
			answers: own.map((a) => markdownToText(a.body)),
			tags: tagRows.filter((t) => t.questionId === q.id).map((t) => t.name),
			solved: q.acceptedAnswerId !== null,
			answered: q.answerCount > 0,
			score: q.score,
			answerCount: q.answerCount,
			meTooCount: q.meTooCount,
			createdAt: Math.floor(q.createdAt.getTime() / 1000),
			url: questionUrl(q),
			externalId: q.externalId,
		}
	})
}

export async function allQuestionIds(): Promise<number[]> {
	const rows = await db.select({ id: questions.id }).from(questions).orderBy(asc(questions.id))
	return rows.map((r) => r.id)
}
