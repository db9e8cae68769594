import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { answers, faqCategories, faqs, learnedPhrasings, questions, questionTags, tags, tutorials, tutorialSteps } from '#db/schema'
import { markdownToText } from '~/markdown/markdown.server'
import { faqUrl, questionUrl, tutorialUrl } from '~/utils/urls'
import { ANALYZER_VERSION, termStatistics, type TermStatistics } from './statistics'
import type { ContentLanguage } from '~/utils/limits'

export type DocumentType = 'question' | 'faq' | 'tutorial'

export type ContentDocument = {
	id: string
	type: DocumentType
	entityId: number
	title: string
	/** Other wordings of the same problem: titles of duplicates closed into it and learned phrasings. */
	phrasings: string[]
	body: string
	answers: string[]
	tags: string[]
	category: string | null
	solved: boolean
	answered: boolean
	/** Curated help ranks above a community thread that matches equally well. */
	typeRank: number
	score: number
	frequency: number
	createdAt: number
	url: string
	externalId: string | null
	/** Filterable: readers see their language first. */
	language: ContentLanguage
	/** An article and its translations share one (`faq-<original id>`), so search can show one version of it; a thread is its own. */
	translationGroup: string
	/** For re-ranking; not searchable. */
	statistics: TermStatistics
	/** Distinct stemmed terms, filterable only: document frequencies are counted on them. */
	terms: string[]
	/** The analysis `statistics` and `terms` were made with (statistics.ts ANALYZER_VERSION). */
	analyzer: number
}

export const documentId = (type: DocumentType, entityId: number) => `${type}-${entityId}`

const withStatistics = (doc: Omit<ContentDocument, 'statistics' | 'terms' | 'analyzer'>): ContentDocument => ({
	...doc,
	...termStatistics(doc),
	analyzer: ANALYZER_VERSION,
})

/** Other wordings of each document: titles of duplicates closed into it, then learned phrasings (most used first). */
async function phrasingsOf(q: Queryable, target: DocumentType, ids: number[]) {
	const map = new Map<number, string[]>()
	const add = (id: number, text: string) => map.set(id, [...(map.get(id) ?? []), text])
	if (target !== 'tutorial') {
		const column = target === 'question' ? questions.duplicateOfQuestionId : questions.duplicateOfFaqId
		const rows = await q
			.select({ canonical: column, title: questions.title })
			.from(questions)
			.where(and(isNotNull(column), inArray(column, ids), eq(questions.state, 'visible')))
		for (const row of rows) add(row.canonical!, row.title)
	}
	const learned = await q
		.select({ targetId: learnedPhrasings.targetId, phrasing: learnedPhrasings.phrasing })
		.from(learnedPhrasings)
		.where(and(eq(learnedPhrasings.targetType, target), inArray(learnedPhrasings.targetId, ids), eq(learnedPhrasings.active, true)))
		.orderBy(desc(learnedPhrasings.count))
	for (const row of learned) add(row.targetId, row.phrasing)
	return map
}

/**
 * Search documents for the given questions. Questions closed as duplicates are
 * left out (their title lives on as a phrasing of the canonical), as are ids that
 * no longer exist and questions held, hidden or deleted by moderation: the caller
 * deletes those from the index. Answers others cannot see are left out too.
 */
export async function questionDocuments(ids: number[], q: Queryable = db): Promise<ContentDocument[]> {
	if (ids.length === 0) return []
	const rows = await q.select().from(questions).where(inArray(questions.id, ids))
	const open = rows.filter((q) => q.duplicateOfQuestionId === null && q.duplicateOfFaqId === null && q.state === 'visible')
	const openIds = open.map((q) => q.id)
	if (openIds.length === 0) return []
	const answerRows = await q
		.select({ questionId: answers.questionId, id: answers.id, body: answers.body })
		.from(answers)
		.where(and(inArray(answers.questionId, openIds), eq(answers.state, 'visible')))
		.orderBy(asc(answers.createdAt))
	const tagRows = await q
		.select({ questionId: questionTags.questionId, name: tags.name })
		.from(questionTags)
		.innerJoin(tags, eq(tags.id, questionTags.tagId))
		.where(inArray(questionTags.questionId, openIds))
	const phrasings = await phrasingsOf(q, 'question', openIds)
	return open.map((q) => {
		const own = answerRows.filter((a) => a.questionId === q.id)
		// The accepted answer first: it is the one most worth matching and showing.
		own.sort((a, b) => Number(b.id === q.acceptedAnswerId) - Number(a.id === q.acceptedAnswerId))
		return withStatistics({
			id: documentId('question', q.id),
			type: 'question',
			entityId: q.id,
			title: q.title,
			phrasings: phrasings.get(q.id) ?? [],
			body: markdownToText(q.body),
			answers: own.map((a) => markdownToText(a.body)),
			tags: tagRows.filter((t) => t.questionId === q.id).map((t) => t.name),
			category: null,
			solved: own.some((a) => a.id === q.acceptedAnswerId),
			answered: q.answerCount > 0,
			typeRank: 1,
			score: q.score,
			frequency: q.frequency,
			createdAt: Math.floor(q.createdAt.getTime() / 1000),
			url: questionUrl(q),
			externalId: q.externalId,
			language: q.language,
			translationGroup: documentId('question', q.id),
		})
	})
}

/** Published FAQs only: drafts never reach the index. */
export async function faqDocuments(ids: number[], q: Queryable = db): Promise<ContentDocument[]> {
	if (ids.length === 0) return []
	const rows = await q
		.select({ faq: faqs, category: faqCategories.name })
		.from(faqs)
		.leftJoin(faqCategories, eq(faqCategories.id, faqs.categoryId))
		.where(and(inArray(faqs.id, ids), eq(faqs.published, true)))
	const phrasings = await phrasingsOf(q, 'faq', rows.map((r) => r.faq.id))
	return rows.map(({ faq, category }) =>
		withStatistics({
			id: documentId('faq', faq.id),
			type: 'faq',
			entityId: faq.id,
			title: faq.title,
			phrasings: phrasings.get(faq.id) ?? [],
			body: markdownToText(faq.body),
			answers: [],
			tags: faq.tags,
			category,
			solved: true,
			answered: true,
			typeRank: 2,
			score: 0,
			frequency: faq.frequency,
			createdAt: Math.floor(faq.createdAt.getTime() / 1000),
			url: faqUrl(faq),
			externalId: faq.externalId,
			language: faq.language,
			translationGroup: documentId('faq', faq.translationOfId ?? faq.id),
		}),
	)
}

/** Published tutorials only, with their steps' text as the body. */
export async function tutorialDocuments(ids: number[], q: Queryable = db): Promise<ContentDocument[]> {
	if (ids.length === 0) return []
	const rows = await q.select().from(tutorials).where(and(inArray(tutorials.id, ids), eq(tutorials.published, true)))
	if (rows.length === 0) return []
	const phrasings = await phrasingsOf(q, 'tutorial', rows.map((r) => r.id))
	const steps = await q
		.select()
		.from(tutorialSteps)
		.where(inArray(tutorialSteps.tutorialId, rows.map((r) => r.id)))
		.orderBy(asc(tutorialSteps.position))
	return rows.map((tutorial) =>
		withStatistics({
			id: documentId('tutorial', tutorial.id),
			type: 'tutorial',
			entityId: tutorial.id,
			title: tutorial.title,
			phrasings: phrasings.get(tutorial.id) ?? [],
			body: [tutorial.summary, ...steps.filter((s) => s.tutorialId === tutorial.id).map((s) => `${s.title}. ${markdownToText(s.body)}`)].join(' '),
			answers: [],
			tags: [tutorial.phase],
			category: null,
			solved: true,
			answered: true,
			typeRank: 2,
			score: 0,
			frequency: 1,
			createdAt: Math.floor(tutorial.createdAt.getTime() / 1000),
			url: tutorialUrl(tutorial),
			externalId: tutorial.externalId,
			language: tutorial.language,
			translationGroup: documentId('tutorial', tutorial.translationOfId ?? tutorial.id),
		}),
	)
}

/** `q`: the transaction that changed the content, to see it before it commits. */
export const documentsOf: Record<DocumentType, (ids: number[], q?: Queryable) => Promise<ContentDocument[]>> = {
	question: questionDocuments,
	faq: faqDocuments,
	tutorial: tutorialDocuments,
}

export async function allIds(type: DocumentType, q: Queryable = db): Promise<number[]> {
	const table = { question: questions, faq: faqs, tutorial: tutorials }[type]
	const rows = await q.select({ id: table.id }).from(table).orderBy(asc(table.id))
	return rows.map((r) => r.id)
}
