import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm'
import { db, type Transaction } from '#db/client.server'
import type { Job, Payloads } from '#db/queue.server'
import { mails } from '#db/schema'
import { loadConfig, type Config } from '~/config.server'
import { failureOutcome, mailOutcomes } from '~/utils/metrics.server'
import { carriesAccountLink, withoutAccountLinks } from './outbox.server'
import { createMailTransport, mailHost, mailSender, SendError, writesMailToFiles, type MailTransport } from './transport.server'

// As long as the queue lets a job run (expireInSeconds of the `mail` queue): a job that is still running is never
// thought dead by a lease, only by its worker's death (releaseSendingLeases). Sized for a whole batch against an
// SMTP server that never answers: 20 mails × (10 s to connect + 30 s of silence) = 800 s.
const SENDING_LEASE_MS = 900_000

/**
 * The `mail` jobs: each hands its queued mail to the transport once. A mail
 * already sent is skipped (a job retried after its success, "retry now" twice),
 * and a mail another worker is sending is left to it. A failure is recorded on
 * the row (attempts, last error, next attempt) and fails the job, which the queue
 * retries with backoff (30 s doubling, 12 retries: about a day and a half), so a
 * mail outlives an SMTP outage; after the last retry, or when the server refuses
 * the mail itself, it is failed.
 */
export function sendMailJobs() {
	return async (jobs: Array<Job<Payloads['mail']>>) => {
		const config = loadConfig()
		const transport = createMailTransport(config)
		try {
			// Oldest first: mails queued together go out in the order they were queued.
			for (const job of [...jobs].sort((a, b) => a.data.mailId - b.data.mailId)) await sendOne(job, transport, config, new Date())
		} finally {
			transport.close()
		}
	}
}

/**
 * The mails of `mail` jobs whose worker died (db/queue.server.ts hands the jobs back):
 * their leases die with it, so the jobs send them again at once rather than after
 * SENDING_LEASE_MS. Such a mail may have been handed to the server already; it goes
 * again with the same Message-ID, which the README's "Running a fleet" owns up to.
 */
export async function releaseSendingLeases(tx: Transaction, jobs: Array<Payloads['mail']>) {
	await tx
		.update(mails)
		.set({ sendingUntil: null })
		.where(and(inArray(mails.id, jobs.map((job) => job.mailId)), eq(mails.status, 'queued')))
}

/**
 * Claims the mail, counts the attempt and fixes its Message-ID in a commit of its
 * own before the transport is called, and marks it sent right after: what a worker
 * killed in between leaves is a mail whose attempt shows, whose retry reuses that
 * Message-ID (receivers and mail clients drop the repeat), and nothing else.
 */
async function sendOne(job: Job<Payloads['mail']>, transport: MailTransport, config: Config, now: Date) {
	const [mail] = await db
		.update(mails)
		.set({
			sendingUntil: new Date(now.getTime() + SENDING_LEASE_MS),
			attempts: sql`${mails.attempts} + 1`,
			messageId: sql`coalesce(${mails.messageId}, '<mail-' || ${mails.id} || '.' || floor(extract(epoch from ${mails.createdAt}) * 1000)::bigint || '@' || ${mailHost(config)} || '>')`,
		})
		.where(and(eq(mails.id, job.data.mailId), eq(mails.status, 'queued'), or(isNull(mails.sendingUntil), lt(mails.sendingUntil, now))))
		.returning()
	if (!mail) {
		// Sent, failed or gone: this job has nothing to do. Still queued: another worker holds the lease (or held it and died):
		// try again later rather than complete, or the mail would wait with no job left to send it.
		const [current] = await db.select({ status: mails.status }).from(mails).where(eq(mails.id, job.data.mailId))
		if (current?.status === 'queued') await job.fail('Being sent by another worker')
		return
	}
	const messageId = mail.messageId!
	try {
		await transport.send({ id: mail.id, from: mailSender(config), to: mail.toAddress, subject: mail.subject, text: mail.textBody, html: mail.htmlBody, messageId, headers: mail.headers }, now)
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error)
		const retryAt = await job.fail(reason, { final: error instanceof SendError && error.permanent })
		mailOutcomes.inc({ outcome: failureOutcome(retryAt) })
		await db
			.update(mails)
			.set({ lastError: reason, nextAttemptAt: retryAt, status: retryAt ? 'queued' : 'failed', sendingUntil: null })
			.where(eq(mails.id, mail.id))
		return
	}
	// Sent for real, an account link is needed in the outbox no more, where a database dump would hold it working for its lifetime.
	// While mail goes to files the .eml holds it anyway, and the first admin reads their own link at /admin/mail.
	const scrub = carriesAccountLink(mail.kind) && !writesMailToFiles(config) ? { textBody: withoutAccountLinks(mail.textBody), htmlBody: withoutAccountLinks(mail.htmlBody) } : {}
	await db
		.update(mails)
		.set({ status: 'sent', sentAt: now, lastError: null, nextAttemptAt: null, sendingUntil: null, ...scrub })
		.where(eq(mails.id, mail.id))
	mailOutcomes.inc({ outcome: 'sent' })
}
