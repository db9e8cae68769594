import type { MailDelivery, NotificationType } from '#db/schema'

/**
 * What each notification type sends by mail until a person chooses: what concerns
 * them directly at once, the wider news (answers on threads they only follow, new
 * questions in followed tags) in the daily digest.
 */
export const defaultDelivery: Record<NotificationType, MailDelivery> = {
	answer: 'now',
	solved: 'now',
	duplicate: 'now',
	faq: 'now',
	mention: 'now',
	accepted: 'now',
	followed_answer: 'digest',
	tag_question: 'digest',
}

/** Each type as the settings page, mails and the unsubscribe page name it (i18n keys). */
export const notificationTypeLabels: Record<NotificationType, string> = {
	answer: 'Answers to my questions',
	followed_answer: 'Answers on questions I follow',
	accepted: 'My answers accepted',
	solved: 'Questions I asked or follow solved',
	duplicate: 'My questions closed as duplicates',
	faq: 'My questions answered in an FAQ',
	mention: 'Mentions of me',
	tag_question: 'New questions in tags I follow',
}

export const deliveryLabels: Record<MailDelivery, string> = {
	now: 'At once',
	digest: 'In the daily digest',
	never: 'Never',
}
