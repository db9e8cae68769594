import { alias } from 'drizzle-orm/pg-core'
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Queryable } from '#db/client.server'
import { answers, faqs, notifications, questions, users } from '#db/schema'
import { markdownToText } from '~/markdown/markdown.server'
import { answerUrl, faqUrl, questionUrl } from '~/utils/urls'
import type { NotificationView } from './describe'

const original = alias(questions, 'original_question')
const originalFaq = alias(faqs, 'original_faq')
const actor = alias(users, 'actor')

/**
 * Notifications with what they point at, for the page, the API and mail. A
 * `duplicate` points at the original its question was closed into; an answer-type
 * notification at the answer's anchor on its thread.
 */
export async function loadNotificationViews(q: Queryable, ids: number[], options: { excerpts?: boolean } = {}): Promise<Map<number, NotificationView>> {
	if (ids.length === 0) return new Map()
	// Bodies only for mail: the bell and the page show titles, and a page of 30 would read 30 posts for nothing.
	const none = sql<string | null>`null`
	const bodies = { answerBody: options.excerpts ? answers.body : none, questionBody: options.excerpts ? questions.body : none }
	const rows = await q
		.select({
			id: notifications.id,
			userId: notifications.userId,
			type: notifications.type,
			answerId: notifications.answerId,
			readAt: notifications.readAt,
			createdAt: notifications.createdAt,
			actorName: actor.displayName,
			answerShown: sql<boolean>`${answers.id} is not null`,
			question: { id: questions.id, slug: questions.slug, title: questions.title },
			faq: { id: faqs.id, slug: faqs.slug, title: faqs.title },
			original: { id: original.id, slug: original.slug, title: original.title },
			originalFaq: { id: originalFaq.id, slug: originalFaq.slug, title: originalFaq.title },
			...bodies,
		})
		.from(notifications)
		.leftJoin(actor, eq(actor.id, notifications.actorId))
		// Posts held, hidden or deleted by moderation drop out of notifications and their mails, as deleted ones do.
		.leftJoin(answers, and(eq(answers.id, notifications.answerId), eq(answers.state, 'visible')))
		.leftJoin(questions, and(eq(questions.id, notifications.questionId), eq(questions.state, 'visible')))
		.leftJoin(faqs, eq(faqs.id, notifications.faqId))
		.leftJoin(original, eq(original.id, questions.duplicateOfQuestionId))
		.leftJoin(originalFaq, eq(originalFaq.id, questions.duplicateOfFaqId))
		.where(inArray(notifications.id, ids))
		.orderBy(sql`${notifications.createdAt} desc, ${notifications.id} desc`)
	const views = new Map<number, NotificationView>()
	for (const row of rows) {
		const place = placeOf(row)
		if (!place || (row.answerId !== null && !row.answerShown)) continue
		views.set(row.id, {
			id: row.id,
			userId: row.userId,
			type: row.type,
			actorName: row.actorName,
			subjectTitle: place.title,
			url: place.url,
			read: row.readAt !== null,
			createdAt: row.createdAt,
			questionId: row.question?.id ?? null,
			...(options.excerpts ? { excerpt: excerptOf(row) } : {}),
		})
	}
	return views
}

type Ref = { id: number; slug: string; title: string } | null
type Row = { type: NotificationView['type']; answerId: number | null; question: Ref; faq: Ref; original: Ref; originalFaq: Ref }

function placeOf(row: Row): { title: string; url: string } | null {
	if (row.type === 'faq') return row.faq ? { title: row.faq.title, url: faqUrl(row.faq) } : null
	if (row.type === 'duplicate') {
		if (row.original) return { title: row.original.title, url: questionUrl(row.original) }
		if (row.originalFaq) return { title: row.originalFaq.title, url: faqUrl(row.originalFaq) }
		return null
	}
	if (!row.question) return null
	return { title: row.question.title, url: row.answerId ? answerUrl(row.question, row.answerId) : questionUrl(row.question) }
}

const EXCERPT_CHARACTERS = 280

/** The start of the answer (or, for a new question or a mention in one, the question) as plain text; none for FAQs and duplicates, whose title says it all. */
function excerptOf(row: { type: NotificationView['type']; answerBody?: string | null; questionBody?: string | null }): string | null {
	if (row.type === 'faq' || row.type === 'duplicate') return null
	const body = row.answerBody ?? row.questionBody
	if (!body) return null
	const text = markdownToText(body)
	if (text.length <= EXCERPT_CHARACTERS) return text
	const cut = text.slice(0, EXCERPT_CHARACTERS)
	// At a word boundary where there is one near the end (English); Japanese has none and is cut at the limit.
	const space = cut.lastIndexOf(' ')
	return `${space > EXCERPT_CHARACTERS * 0.7 ? cut.slice(0, space) : cut}…`
}
