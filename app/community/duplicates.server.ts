import { and, asc, desc, eq, inArray } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Queryable } from '#db/client.server'
import { sharedRead } from '#db/shared-reads.server'
import { faqRevisions, faqs, questions, users } from '#db/schema'
import { enqueueIndexTask } from '#search/sync.server'
import { authorize, can, type Actor } from '~/auth/permissions.server'
import { recomputeFrequency, type Counted } from '~/insights/frequency.server'
import { DomainError, notFound } from '~/utils/errors.server'
import { idParam } from '~/utils/http.server'
import { notifyLater } from '~/notifications/triggers.server'
import { canSee } from '~/moderation/visibility.server'
import { faqUrl, questionUrl } from '~/utils/urls'

/** What a duplicate points to: the question or FAQ that answers it. */
export type Canonical = Counted

const REFERENCE = /^\/(questions|faq)\/([^/]+)(?:\/|$)/

/**
 * Reads "12", "#12", "/questions/12/slug", "/faq/3/slug" or a full link. A link
 * names its own kind; a bare number is of the kind chosen in the form.
 */
export function parseCanonicalReference(text: string, chosen: Canonical['type']): Canonical | null {
	const reference = text.trim()
	const bare = /^#?(\d+)$/.exec(reference)
	if (bare) {
		const id = idParam.safeParse(bare[1])
		return id.success ? { type: chosen, id: id.data } : null
	}
	if (!URL.canParse(reference, 'http://kizuna.invalid')) return null
	const match = REFERENCE.exec(new URL(reference, 'http://kizuna.invalid').pathname)
	const id = idParam.safeParse(match?.[2])
	if (!match || !id.success) return null
	return { type: match[1] === 'faq' ? 'faq' : 'question', id: id.data }
}

export const duplicateFormSchema = z
	.object({
		targetType: z.enum(['question', 'faq'], { errorMap: () => ({ message: 'Choose whether the original is a question or an FAQ' }) }),
		target: z.string({ required_error: 'Enter the number or link of the original' }).trim().min(1, 'Enter the number or link of the original').max(500),
	})
	.transform((input, ctx): Canonical => {
		const canonical = parseCanonicalReference(input.target, input.targetType)
		if (canonical) return canonical
		ctx.addIssue({ code: 'custom', path: ['target'], message: 'Enter a number, or a link to a question or an FAQ' })
		return z.NEVER
	})

const canonicalOfRow = (row: { duplicateOfQuestionId: number | null; duplicateOfFaqId: number | null }): Canonical | null =>
	row.duplicateOfQuestionId !== null
		? { type: 'question', id: row.duplicateOfQuestionId }
		: row.duplicateOfFaqId !== null
			? { type: 'faq', id: row.duplicateOfFaqId }
			: null

/** The question or FAQ a question was closed into, if it was. */
export async function canonicalOf(tx: Queryable, questionId: number): Promise<Canonical | null> {
	const [row] = await tx
		.select({ duplicateOfQuestionId: questions.duplicateOfQuestionId, duplicateOfFaqId: questions.duplicateOfFaqId })
		.from(questions)
		.where(eq(questions.id, questionId))
	return row ? canonicalOfRow(row) : null
}

export type OriginalLink = { title: string | null; url: string | null }

/**
 * For lists: the original of each closed duplicate among `rows`, by question id.
 * An FAQ unpublished since the closure, or a question held, hidden or deleted since, has
 * neither title nor link: lists are the same for everyone, so they show only what everyone may see.
 */
export async function originalsOf(rows: Array<{ id: number; duplicateOfQuestionId: number | null; duplicateOfFaqId: number | null }>, tx: Queryable = db) {
	const questionIds = [...new Set(rows.flatMap((row) => (row.duplicateOfQuestionId === null ? [] : [row.duplicateOfQuestionId])))]
	const faqIds = [...new Set(rows.flatMap((row) => (row.duplicateOfFaqId === null ? [] : [row.duplicateOfFaqId])))]
	const [originalQuestions, originalFaqs] = await Promise.all([
		questionIds.length ? tx.select({ id: questions.id, title: questions.title, slug: questions.slug, state: questions.state }).from(questions).where(inArray(questions.id, questionIds)) : [],
		faqIds.length ? tx.select({ id: faqs.id, title: faqs.title, slug: faqs.slug, published: faqs.published }).from(faqs).where(inArray(faqs.id, faqIds)) : [],
	])
	const byQuestion = new Map(originalQuestions.map((q): [number, OriginalLink] => [q.id, q.state === 'visible' ? { title: q.title, url: questionUrl(q) } : { title: null, url: null }]))
	const byFaq = new Map(originalFaqs.map((f): [number, OriginalLink] => [f.id, f.published ? { title: f.title, url: faqUrl(f) } : { title: null, url: null }]))
	const originals = new Map<number, OriginalLink>()
	for (const row of rows) {
		const original = row.duplicateOfQuestionId !== null ? byQuestion.get(row.duplicateOfQuestionId) : row.duplicateOfFaqId !== null ? byFaq.get(row.duplicateOfFaqId) : undefined
		if (row.duplicateOfQuestionId !== null || row.duplicateOfFaqId !== null) originals.set(row.id, original ?? { title: null, url: null })
	}
	return originals
}

/** The questions closed into a question or FAQ, oldest closure first, and their views together. */
export async function duplicatesOf(target: Canonical, tx: Queryable = db) {
	// Outside a transaction the same for every reader of the thread or FAQ: shared.
	return tx === db ? sharedRead('duplicatesOf', `${target.type}:${target.id}`, () => readDuplicatesOf(target, db)) : readDuplicatesOf(target, tx)
}

async function readDuplicatesOf(target: Canonical, tx: Queryable) {
	const column = target.type === 'question' ? questions.duplicateOfQuestionId : questions.duplicateOfFaqId
	const rows = await tx
		.select({ id: questions.id, title: questions.title, slug: questions.slug, views: questions.viewCount })
		.from(questions)
		.where(and(eq(column, target.id), eq(questions.state, 'visible')))
		.orderBy(asc(questions.closedAt), asc(questions.id))
	return {
		items: rows.map((row) => ({ id: row.id, title: row.title, url: questionUrl(row) })),
		views: rows.reduce((sum, row) => sum + row.views, 0),
	}
}

const refuse = (message: string) => new DomainError('invalid', message, { target: message })

/** Locks the canonical and checks that it can take duplicates. */
async function checkCanonical(tx: Queryable, questionId: number, target: Canonical) {
	if (target.type === 'faq') {
		const [faq] = await tx.select({ published: faqs.published }).from(faqs).where(eq(faqs.id, target.id)).for('update')
		if (!faq) throw refuse('There is no FAQ with that number')
		if (!faq.published) throw refuse('That FAQ is a draft: publish it first')
		return
	}
	if (target.id === questionId) throw refuse('A question cannot be a duplicate of itself')
	const [original] = await tx.select().from(questions).where(eq(questions.id, target.id))
	if (!original) throw refuse('There is no question with that number')
	if (canonicalOfRow(original)) throw refuse('That question is itself a duplicate: choose the question or FAQ it points to')
}

/**
 * Closes a question as a duplicate of another question or of an FAQ. Questions
 * already closed into this one move on to the new original, so that a duplicate
 * never points at another duplicate.
 */
export async function closeAsDuplicate(actor: Actor | null, questionId: number, target: Canonical) {
	authorize(actor, 'question:moderate')
	return db.transaction(async (tx) => {
		// Both questions are locked in id order, so two staff closing them into each other cannot deadlock.
		const lockIds = target.type === 'question' ? [questionId, target.id].sort((a, b) => a - b) : [questionId]
		const locked = await tx.select().from(questions).where(inArray(questions.id, lockIds)).orderBy(asc(questions.id)).for('update')
		const question = locked.find((row) => row.id === questionId)
		if (!question) throw notFound('Question')
		if (canonicalOfRow(question)) throw new DomainError('conflict', 'This question is already closed as a duplicate')
		await checkCanonical(tx, questionId, target)
		const pointer = target.type === 'question' ? { duplicateOfQuestionId: target.id, duplicateOfFaqId: null } : { duplicateOfQuestionId: null, duplicateOfFaqId: target.id }
		const moved = await tx.update(questions).set(pointer).where(eq(questions.duplicateOfQuestionId, questionId)).returning({ id: questions.id })
		await tx
			.update(questions)
			.set({ ...pointer, closedAt: new Date(), closedById: actor.id })
			.where(eq(questions.id, questionId))
		await recomputeFrequency(tx, { type: 'question', id: questionId })
		const frequency = await recomputeFrequency(tx, target)
		// The duplicates leave the index; the original gains their titles as phrasings.
		for (const id of [questionId, ...moved.map((row) => row.id)]) await enqueueIndexTask(tx, 'question', id)
		await enqueueIndexTask(tx, target.type, target.id)
		await notifyLater(tx, 'duplicate', questionId, actor.id)
		return { canonical: target, frequency, moved: moved.length }
	})
}

/** Undoes a duplicate closure: the question is searchable again and no longer counts for its former original. */
export async function reopenQuestion(actor: Actor | null, questionId: number) {
	authorize(actor, 'question:moderate')
	return db.transaction(async (tx) => {
		const [question] = await tx.select().from(questions).where(eq(questions.id, questionId)).for('update')
		if (!question) throw notFound('Question')
		const canonical = canonicalOfRow(question)
		if (!canonical) throw new DomainError('conflict', 'This question is not closed as a duplicate')
		await tx
			.update(questions)
			.set({ duplicateOfQuestionId: null, duplicateOfFaqId: null, closedAt: null, closedById: null })
			.where(eq(questions.id, questionId))
		await recomputeFrequency(tx, { type: 'question', id: questionId })
		await recomputeFrequency(tx, canonical)
		await enqueueIndexTask(tx, 'question', questionId)
		await enqueueIndexTask(tx, canonical.type, canonical.id)
		return { questionId }
	})
}

/** The title an FAQ had when it was last saved or switched while published; null if it never was. */
async function lastPublishedTitle(faqId: number) {
	const [revision] = await db
		.select({ title: faqRevisions.title })
		.from(faqRevisions)
		.where(and(eq(faqRevisions.faqId, faqId), eq(faqRevisions.published, true)))
		.orderBy(desc(faqRevisions.id))
		.limit(1)
	return revision?.title ?? null
}

/**
 * What the question page shows about duplicates: the original if this question
 * is closed, otherwise the questions closed into it, with the frequency and the
 * views counted over all of them.
 */
export async function duplicateStatus(questionId: number, viewer: Actor | null) {
	const [row] = await db
		.select({ question: questions, closedBy: users.displayName })
		.from(questions)
		.leftJoin(users, eq(users.id, questions.closedById))
		.where(eq(questions.id, questionId))
	if (!row) throw notFound('Question')
	const { question } = row
	const canonical = canonicalOfRow(question)
	let original: { type: Canonical['type']; title: string | null; url: string | null } | null = null
	if (canonical?.type === 'question') {
		const [target] = await db
			.select({ id: questions.id, title: questions.title, slug: questions.slug, state: questions.state, authorId: questions.authorId })
			.from(questions)
			.where(eq(questions.id, canonical.id))
		// An original held, hidden or deleted since the closure is named only to those who may still see it.
		if (target) original = canSee(viewer, target) ? { type: 'question', title: target.title, url: questionUrl(target) } : { type: 'question', title: null, url: null }
	} else if (canonical?.type === 'faq') {
		const [target] = await db.select().from(faqs).where(eq(faqs.id, canonical.id))
		if (target && (target.published || can(viewer, 'knowledge:manage'))) original = { type: 'faq', title: target.title, url: faqUrl(target) }
		// An FAQ unpublished since the closure is a draft again, and so is any title it got since:
		// others see the title it last had while published, and no link.
		else if (target) original = { type: 'faq', title: await lastPublishedTitle(target.id), url: null }
	}
	const duplicates = await duplicatesOf({ type: 'question', id: questionId })
	return {
		original,
		closed: canonical !== null,
		closedAt: question.closedAt?.toISOString() ?? null,
		closedBy: row.closedBy,
		frequency: question.frequency,
		views: question.viewCount + duplicates.views,
		duplicates: duplicates.items,
		permissions: { moderate: can(viewer, 'question:moderate') },
	}
}
