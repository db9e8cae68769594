import { and, count, desc, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { enqueue } from '#db/queue.server'
import { mails } from '#db/schema'
import { authorize, type Actor } from '~/auth/permissions.server'
import { loadConfig } from '~/config.server'
import { DomainError, notFound } from '~/utils/errors.server'
import { pageInfo, pageOf } from '~/utils/paging'
import { carriesAccountLink } from './outbox.server'
import { mailFolder, mailSender, writesMailToFiles } from './transport.server'

/** Where mail goes, for the admin pages: the folder when it is written to files, and the sender. */
function destination() {
	const config = loadConfig()
	return { files: writesMailToFiles(config) ? mailFolder(config) : null, from: mailSender(config) }
}

/** Recent mail, newest first, a page at a time: what was sent, what waits for a retry, what failed. */
export async function listMails(actor: Actor | null, requestedPage: number) {
	authorize(actor, 'mail:view')
	const [total] = await db.select({ n: count() }).from(mails)
	const page = pageOf(requestedPage, total?.n ?? 0)
	const rows = await db
		.select({
			id: mails.id,
			to: mails.toAddress,
			kind: mails.kind,
			subject: mails.subject,
			status: mails.status,
			attempts: mails.attempts,
			lastError: mails.lastError,
			nextAttemptAt: mails.nextAttemptAt,
			createdAt: mails.createdAt,
			sentAt: mails.sentAt,
		})
		.from(mails)
		.orderBy(desc(mails.createdAt), desc(mails.id))
		.limit(page.limit)
		.offset(page.offset)
	return { mails: rows, page: pageInfo(page), ...destination() }
}

/** One mail as it was queued: headers, text and HTML. */
export async function mailDetail(actor: Actor | null, id: number) {
	authorize(actor, 'mail:view')
	const [mail] = await db.select().from(mails).where(eq(mails.id, id))
	if (!mail) throw notFound('Mail')
	const { sendingUntil: _lease, ...shown } = mail
	// A confirmation or reset link opens someone's account: an admin sees only their own (the first admin reads theirs here while mail goes to files).
	if (carriesAccountLink(mail.kind) && mail.toAddress.toLowerCase() !== actor.email.toLowerCase()) {
		return { mail: { ...shown, textBody: '', htmlBody: '' }, bodyHidden: true, ...destination() }
	}
	return { mail: shown, bodyHidden: false, ...destination() }
}

/**
 * "Retry now" for a mail that failed for good: it is queued again with a job of
 * its own, and gets the queue's retries anew.
 */
export async function retryMail(actor: Actor | null, id: number) {
	authorize(actor, 'mail:retry')
	await db.transaction(async (tx) => {
		const [mail] = await tx
			.update(mails)
			.set({ status: 'queued', nextAttemptAt: null, sendingUntil: null })
			.where(and(eq(mails.id, id), eq(mails.status, 'failed')))
			.returning({ id: mails.id })
		if (!mail) {
			const [exists] = await tx.select({ id: mails.id }).from(mails).where(eq(mails.id, id))
			throw exists ? new DomainError('conflict', 'Only a mail that failed can be retried') : notFound('Mail')
		}
		await enqueue(tx, 'mail', { mailId: id })
	})
}
