import { alias } from 'drizzle-orm/pg-core'
import { eq, inArray, sql } from 'drizzle-orm'
import type { Queryable } from '#db/client.server'
import { answers, faqs, notifications, questions, users } from '#db/schema'
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
export async function loadNotificationViews(q: Queryable, ids: number[]): Promise<Map<number, NotificationView>> {
	if (ids.length === 0) return new Map()
	const rows = await q
		.select({
			id: notifications.id,
			userId: notifications.userId,
			type: notifications.type,
			answerId: notifications.answerId,
			readAt: notifications.readAt,
			createdAt: notifications.createdAt,
			actorName: actor.displayName,
			question: { id: questions.id, slug: questions.slug, title: questions.title },
			faq: { id: faqs.id, slug: faqs.slug, title: faqs.title },
			original: { id: original.id, slug: original.slug, title: original.title },
			originalFaq: { id: originalFaq.id, slug: originalFaq.slug, title: originalFaq.title },
		})
		.from(notifications)
		.leftJoin(actor, eq(actor.id, notifications.actorId))
		.leftJoin(questions, eq(questions.id, notifications.questionId))
		.leftJoin(faqs, eq(faqs.id, notifications.faqId))
		.leftJoin(original, eq(original.id, questions.duplicateOfQuestionId))
		.leftJoin(originalFaq, eq(originalFaq.id, questions.duplicateOfFaqId))
		.where(inArray(notifications.id, ids))
		.orderBy(sql`${notifications.createdAt} desc, ${notifications.id} desc`)
	const views = new Map<number, NotificationView>()
	for (const row of rows) {
		const place = placeOf(row)
		if (!place) continue
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
