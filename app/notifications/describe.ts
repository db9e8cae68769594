import type { TFunction } from 'i18next'
import type { NotificationType } from '#db/schema'

/** What a notification says, read from the rows it points at (see loadNotificationViews). */
export type NotificationView = {
	id: number
	userId: string
	type: NotificationType
	/** Who caused it, by display name (null: a person since removed, or no person). */
	actorName: string | null
	/** The question, or for `faq` the FAQ, or for `duplicate` the original it was closed into. */
	subjectTitle: string
	/** The page to open: a path on this site (answers with their #answer-N anchor). */
	url: string
	read: boolean
	createdAt: Date
	/** The thread it concerns, to group several notifications about one thread. */
	questionId: number | null
	/** The start of the post it is about, as plain text (loaded for mail only). */
	excerpt?: string | null
}

/**
 * The one sentence for a notification, in the reader's language: the bell, the
 * notifications page, the API's `title` and the mail's subject all say this.
 */
export function notificationTitle(t: TFunction, n: Pick<NotificationView, 'type' | 'actorName' | 'subjectTitle'>): string {
	const values = { actor: n.actorName ?? t('Someone'), title: n.subjectTitle }
	switch (n.type) {
		case 'answer':
			return t('{{actor}} answered your question “{{title}}”', values)
		case 'followed_answer':
			return t('{{actor}} answered “{{title}}”, which you follow', values)
		case 'accepted':
			return t('Your answer to “{{title}}” was accepted', values)
		case 'solved':
			return t('“{{title}}” is solved', values)
		case 'duplicate':
			return t('Your question was closed as a duplicate of “{{title}}”', values)
		case 'faq':
			return t('Your question is answered in the FAQ “{{title}}”', values)
		case 'mention':
			return t('{{actor}} mentioned you in “{{title}}”', values)
		case 'tag_question':
			return t('New question in a tag you follow: “{{title}}”', values)
	}
}
