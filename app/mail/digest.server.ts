import { and, eq, gt, isNull, lte, or, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import type { Job, Payloads } from '#db/queue.server'
import { emailPreferences, mails, notifications, users } from '#db/schema'
import { i18nFor } from '~/i18n/i18n'
import { notificationTitle } from '~/notifications/describe'
import { loadNotificationViews } from '~/notifications/views.server'
import { mailLink } from './links.server'
import { queueNotificationMail } from './notification-mails.server'
import { deliverySql } from './preferences.server'

/** People handled per run: the job repeats until none is due, so one run never holds the database for long. */
const DIGEST_BATCH = 50
/** Notifications listed in one digest; the rest are counted ("and 12 more"). */
export const DIGEST_ITEMS = 20
// A day, less the schedule's 15 minutes: a digest sent at 08:05 is due again at the 08:00 run, not at 08:15.
const DIGEST_INTERVAL_MS = 24 * 3600_000 - 15 * 60_000

const utcDay = (now: Date) => now.toISOString().slice(0, 10)

/**
 * The `mail-digest` job (every 15 minutes, and `jobs:run`): one mail per person
 * whose last digest is a day old, listing their unread notifications of the types
 * they get in the digest made since it, newest first. A batch of people per run;
 * the job repeats while there may be more.
 */
export function digestJob() {
	return async ([job]: Array<Job<Payloads['mail-digest']>>) => {
		if ((await sendDigests(new Date())).more) job?.repeat()
	}
}

/** One batch of digests as of `now`. `more`: the batch was full, so others may be due. */
export async function sendDigests(now: Date, batch = DIGEST_BATCH): Promise<{ queued: number; more: boolean }> {
	const due = await db
		.selectDistinct({ id: users.id })
		.from(users)
		.innerJoin(notifications, eq(notifications.userId, users.id))
		.leftJoin(emailPreferences, and(eq(emailPreferences.userId, users.id), eq(emailPreferences.type, notifications.type)))
		.where(
			and(
				...digestable(now),
				// A person already mailed a digest today (a digest near midnight, then one a day less 15 minutes later) waits for tomorrow's.
				sql`not exists (select 1 from ${mails} where ${mails.dedupeKey} = 'digest:' || ${users.id} || ':' || ${utcDay(now)})`,
			),
		)
		.orderBy(users.id)
		.limit(batch)
	let queued = 0
	for (const { id } of due) if (await sendDigest(id, now)) queued++
	return { queued, more: due.length === batch }
}

/** Who is due and which of their notifications go in: verified, no system user, a day since the last digest, unread digest-type notifications made since. */
function digestable(now: Date) {
	return [
		isNull(notifications.readAt),
		lte(notifications.createdAt, now),
		sql`${deliverySql(notifications.type, emailPreferences.delivery)} = 'digest'`,
		or(isNull(users.digestSentAt), gt(notifications.createdAt, users.digestSentAt)),
		or(isNull(users.digestSentAt), lte(users.digestSentAt, new Date(now.getTime() - DIGEST_INTERVAL_MS))),
		sql`${users.emailVerifiedAt} is not null`,
		eq(users.isSystem, false),
	]
}

/**
 * One person's digest, in one transaction with `digest_sent_at`: the person's row
 * is locked and checked again, so two workers never send one twice, and what the
 * mail lists is exactly what is marked as sent.
 */
async function sendDigest(userId: string, now: Date): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [user] = await tx.select({ id: users.id, email: users.email, locale: users.locale }).from(users).where(eq(users.id, userId)).for('update')
		if (!user) return false
		const rows = await tx
			.select({ id: notifications.id })
			.from(notifications)
			.innerJoin(users, eq(users.id, notifications.userId))
			.leftJoin(emailPreferences, and(eq(emailPreferences.userId, users.id), eq(emailPreferences.type, notifications.type)))
			.where(and(eq(notifications.userId, userId), ...digestable(now)))
		// Another worker sent it meanwhile (or it is not due): nothing to do.
		if (rows.length === 0) return false
		// Marked as digested even when nothing is left to list (its question deleted): the person is not picked again until tomorrow.
		await tx.update(users).set({ digestSentAt: now }).where(eq(users.id, userId))
		const views = [...(await loadNotificationViews(tx, rows.map((row) => row.id))).values()]
		if (views.length === 0) return false
		const { t } = i18nFor(user.locale)
		const shown = views.slice(0, DIGEST_ITEMS)
		const subject = t('Your Kizuna digest: {{count}} new notifications', { count: views.length })
		const id = await queueNotificationMail(tx, user, {
			kind: 'digest',
			dedupeKey: `digest:${user.id}:${utcDay(now)}`,
			subject,
			body: {
				paragraphs: [],
				links: [
					...shown.map((view) => ({ label: notificationTitle(t, view), url: mailLink(view.url) })),
					...(views.length > shown.length ? [{ label: t('…and {{more}} more', { more: views.length - shown.length }), url: mailLink('/notifications') }] : []),
				],
				action: { label: t('Open your notifications'), url: mailLink('/notifications') },
			},
			why: t('You get this daily digest because your email settings send some notifications in it.'),
			stop: { scope: 'digest', label: t('Stop the daily digest') },
		})
		return id !== null
	})
}
