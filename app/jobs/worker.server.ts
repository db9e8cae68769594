import { db } from '#db/client.server'
import { removeUnusedUploads } from '~/attachments/attachments.server'
import { rebuildFallbackStep } from '#search/fallback.server'
import { indexDocumentJobs } from '#search/sync.server'
import { loadConfig, type Config } from '~/config.server'
import { alertsJob, dailyMetricsJob, journeysJob, startDailyMetrics } from '~/insights/jobs.server'
import { digestJob } from '~/mail/digest.server'
import { queueNotificationMails } from '~/mail/notification-mails.server'
import { releaseSendingLeases, sendMailJobs } from '~/mail/send.server'
import { mailFolder, writesMailToFiles } from '~/mail/transport.server'
import { backfillRenderedMarkdown } from './rendered-markdown.server'
import type { Lookup } from '~/utils/outbound.server'
import { deliverWebhookJobs } from '~/webhooks/deliveries.server'
import { notifyJobs } from '~/notifications/fanout.server'
import { enqueue, queueScheduledNow, runUntilIdle, startQueueWorker, type FailedJob, type Handlers, type QueueWorker } from '#db/queue.server'
import { log } from '~/utils/log.server'

/** What runs each queue's jobs. `lookup` replaces DNS for webhook deliveries (tests). */
function handlers(options: { lookup?: Lookup } = {}): Handlers {
	return {
		'search-index': indexDocumentJobs,
		'webhook-delivery': deliverWebhookJobs(options),
		'insights-journeys': journeysJob,
		'insights-alerts': alertsJob,
		'insights-daily': dailyMetricsJob,
		// Stores the HTML of posts saved before it was stored, a batch at a time.
		'stored-html': async ([job]) => {
			if ((await backfillRenderedMarkdown()) > 0) job?.repeat()
		},
		// Builds the search fallback's rows after the upgrade that added them (or `reindex`), a few seconds' work at a time.
		'search-fallback': async ([job]) => {
			if (!(await rebuildFallbackStep())) job?.repeat()
		},
		notify: notifyJobs({ onNotified: async (tx, ids) => void (await queueNotificationMails(tx, ids)) }),
		mail: sendMailJobs(),
		'mail-digest': digestJob(),
		// Uploads of people who never upload again (each upload clears its uploader's own).
		'attachments-cleanup': async () => void (await removeUnusedUploads(db, null, new Date())),
	}
}

/** Work that may be left over from before this start (an upgrade): each finds quickly when there is none. */
async function queueStartupWork() {
	await enqueue(db, 'stored-html', {}, { key: 'stored-html' })
	await enqueue(db, 'search-fallback', {}, { key: 'search-fallback' })
	await startDailyMetrics()
}

/** Runs jobs in this process until stopped, unless it only serves the site (KIZUNA_ROLE=web). */
export async function startWorker(role: Config['KIZUNA_ROLE']): Promise<QueueWorker | null> {
	if (role === 'web') return null
	const config = loadConfig()
	if (writesMailToFiles(config)) log.info({ folder: mailFolder(config) }, 'Mail: SMTP_URL is not set, so mail is written to this folder as .eml files (admins read it at /admin/mail)')
	await queueStartupWork()
	return startQueueWorker(handlers(), { orphanHooks: { mail: releaseSendingLeases } })
}

export type PendingJobsResult = { completed: number; failed: FailedJob[] }

/**
 * Processes every pending job now, retries included, until none is left
 * (`jobs:run`, `import`, and tests instead of waiting for a worker). `recurring`
 * also runs the recurring jobs (journeys, alerts) now.
 */
export async function runPendingJobs(options: { lookup?: Lookup; includeRetries?: boolean; recurring?: boolean } = {}): Promise<PendingJobsResult> {
	if (options.recurring) await queueScheduledNow()
	return runUntilIdle(handlers(options), { includeRetries: options.includeRetries ?? true })
}
