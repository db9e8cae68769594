import { and, eq, gt, inArray, isNotNull, isNull, sql } from 'drizzle-orm'
import type { Queryable } from '#db/client.server'
import { emailPreferences, notifications, users } from '#db/schema'
import { i18nFor } from '~/i18n/i18n'
import type { Locale } from '~/i18n/locales'
import { notificationTitle } from '~/notifications/describe'
import { loadNotificationViews } from '~/notifications/views.server'
import { mailLink } from './links.server'
import { composeMail, type MailLayout } from './compose.server'
import { queueMail } from './outbox.server'
import { unsubscribeLink, type UnsubscribeScope } from './unsubscribe.server'
import { deliverySql } from './preferences.server'
import { notificationTypeLabels } from './types'

// A notification this old when it is mailed (its job retried for days) is news no more: the bell still has it.
const STALE_MS = 7 * 24 * 3600_000

/**
 * Queues a mail for each notification whose person gets its type "at once", in
 * the transaction that made the notifications (the notify job's). Types in the
 * digest wait for it (see digest.server.ts); "never" sends nothing. People who
 * have not verified their address, and system users, get no mail. A notification
 * is mailed once: its mail's key is `notification:<id>`.
 */
export async function queueNotificationMails(tx: Queryable, notificationIds: number[], now = new Date()): Promise<number[]> {
	const queued: number[] = []
	for (let start = 0; start < notificationIds.length; start += CHUNK) {
		queued.push(...(await queueMailsAtOnce(tx, notificationIds.slice(start, start + CHUNK), now)))
	}
	return queued
}

// Ids per query: a tag's 10,000 followers are one notify job, and one parameter per id would pass PostgreSQL's 65,535 past that.
const CHUNK = 1000

async function queueMailsAtOnce(tx: Queryable, notificationIds: number[], now: Date): Promise<number[]> {
	// The recipients who get these at once, found in SQL first: most of a big fan-out (a tag's followers) waits for the digest, and loading each one's view and excerpt would be wasted.
	const due = await tx
		.select({ id: notifications.id, userId: users.id, email: users.email, locale: users.locale })
		.from(notifications)
		.innerJoin(users, eq(users.id, notifications.userId))
		.leftJoin(emailPreferences, and(eq(emailPreferences.userId, notifications.userId), eq(emailPreferences.type, notifications.type)))
		.where(
			and(
				inArray(notifications.id, notificationIds),
				isNull(notifications.readAt),
				gt(notifications.createdAt, new Date(now.getTime() - STALE_MS)),
				isNotNull(users.emailVerifiedAt),
				eq(users.isSystem, false),
				sql`${deliverySql(notifications.type, emailPreferences.delivery)} = 'now'`,
			),
		)
	if (due.length === 0) return []
	const recipients = new Map(due.map((row) => [row.id, { id: row.userId, email: row.email, locale: row.locale }]))
	const views = [...(await loadNotificationViews(tx, [...recipients.keys()], { excerpts: true })).values()]
	const queued: number[] = []
	for (const view of views) {
		const user = recipients.get(view.id)!
		const { t } = i18nFor(user.locale)
		const title = notificationTitle(t, view)
		const id = await queueNotificationMail(tx, user, {
			kind: 'notification',
			dedupeKey: `notification:${view.id}`,
			subject: title,
			body: { paragraphs: view.excerpt ? [view.excerpt] : [], action: { label: t('Open on Kizuna'), url: mailLink(view.url) } },
			why: t('You get this mail because your email settings send “{{kind}}” at once.', { kind: t(notificationTypeLabels[view.type]) }),
			stop: { scope: view.type, label: t('Unsubscribe from these mails') },
		})
		if (id !== null) queued.push(id)
	}
	return queued
}

export type Recipient = { id: string; email: string; locale: Locale }

/**
 * Queues a mail about notifications (one at once, or the digest) with what every
 * such mail ends with: why the person gets it, where to choose, and the link that
 * stops it, also as List-Unsubscribe for one-click unsubscribe in mail clients.
 */
export async function queueNotificationMail(
	tx: Queryable,
	recipient: Recipient,
	mail: {
		kind: 'notification' | 'digest'
		dedupeKey: string
		subject: string
		body: Omit<MailLayout, 'heading' | 'footer'>
		why: string
		stop: { scope: UnsubscribeScope; label: string }
	},
): Promise<number | null> {
	const { t } = i18nFor(recipient.locale)
	const unsubscribe = await unsubscribeLink(tx, recipient.id, mail.stop.scope)
	const { text, html } = composeMail({
		heading: mail.subject,
		...mail.body,
		footer: [mail.why, { label: t('Choose what Kizuna mails you'), url: mailLink('/settings/email') }, { label: mail.stop.label, url: unsubscribe.url }],
	})
	return queueMail(tx, {
		userId: recipient.id,
		to: recipient.email,
		locale: recipient.locale,
		kind: mail.kind,
		dedupeKey: mail.dedupeKey,
		subject: mail.subject,
		text,
		html,
		headers: unsubscribe.headers,
	})
}
