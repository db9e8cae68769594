import type { Queryable } from '#db/client.server'
import { enqueue } from '#db/queue.server'
import { mails } from '#db/schema'
import type { Locale } from '~/i18n/locales'

export type MailKind = 'notification' | 'digest' | 'password_reset' | 'email_verification' | 'invitation'

/** Mails whose link opens the recipient's account: their bodies are shown to nobody else and kept only until sent (app/mail/send.server.ts). */
export const carriesAccountLink = (kind: string) => kind === 'password_reset' || kind === 'email_verification' || kind === 'invitation'

/** The mail's text with its account links cut off after the path, so the outbox keeps no working link once it is sent. */
export const withoutAccountLinks = (body: string) => body.replace(/(\/(?:verify-email|reset-password|invitations)\/)[A-Za-z0-9_-]+/g, '$1…')
export type MailContent = { subject: string; text: string; html: string; headers?: Record<string, string> }
export type MailToQueue = MailContent & {
	/** The person it is for, when it is for one (null: an address not yet anyone's). */
	userId: string | null
	to: string
	locale: Locale
	kind: MailKind
	/** What makes this mail the same mail: queueing it again under the same key does nothing. */
	dedupeKey: string
}

/**
 * Queues a mail in the transaction of the change that causes it: the mail and the
 * job that sends it commit with the change, or not at all. Returns the mail's id,
 * or null when a mail with this key was already queued.
 */
export async function queueMail(tx: Queryable, mail: MailToQueue): Promise<number | null> {
	const [row] = await tx
		.insert(mails)
		.values({
			userId: mail.userId,
			toAddress: mail.to,
			kind: mail.kind,
			dedupeKey: mail.dedupeKey,
			locale: mail.locale,
			subject: mail.subject,
			textBody: mail.text,
			htmlBody: mail.html,
			headers: mail.headers ?? {},
		})
		.onConflictDoNothing({ target: mails.dedupeKey })
		.returning({ id: mails.id })
	if (!row) return null
	await enqueue(tx, 'mail', { mailId: row.id })
	return row.id
}
