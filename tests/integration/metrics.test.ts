import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { queueMail } from '../../app/mail/outbox.server'
import { registerScrapedMetrics } from '../../app/server/metrics'
import { metricsRegistry } from '../../app/utils/metrics.server'
import { registerWebhook, webhookSchema } from '../../app/webhooks/webhooks.server'
import { db } from '../../db/client.server'
import { searchContent } from '../../search/query.server'
import { person, question } from '../support/factories'
import { resetData } from '../support/reset'
import { startWebhookReceiver } from '../support/webhook-receiver'

/** One sample of a scrape: the value of `name` with exactly these labels, or 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
	const wanted = Object.entries(labels)
		.map(([key, value]) => `${key}="${value}"`)
		.sort()
		.join(',')
	for (const line of text.split('\n')) {
		const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line)
		if (!match || match[1] !== name) continue
		const have = (match[2] ?? '').split(/,(?=[a-z_]+=")/).filter(Boolean).sort().join(',')
		if (have === wanted) return Number(match[3])
	}
	return 0
}

const scrape = () => metricsRegistry.metrics()
const saved = { ...process.env }

describe('metrics', () => {
	beforeAll(() => registerScrapedMetrics())
	beforeEach(resetData)
	afterAll(() => {
		process.env = saved
	})

	it('counts webhook outcomes and job failures, and reads the queue depth from the job table when scraped', async () => {
		const receiver = await startWebhookReceiver([500])
		try {
			await registerWebhook(await person('admin'), webhookSchema.parse({ url: receiver.url, secret: 'a-shared-secret-of-32-characters', events: ['question.created'] }))
			const before = await scrape()
			await question(await person('member'))
			const queued = await scrape()
			expect(sample(queued, 'kizuna_jobs', { queue: 'webhook-delivery', state: 'created' })).toBe(1)

			await runPendingJobs({ includeRetries: false })
			const after = await scrape()
			expect(receiver.requests).toHaveLength(1)
			expect(sample(after, 'kizuna_webhook_deliveries_total', { outcome: 'retry' }) - sample(before, 'kizuna_webhook_deliveries_total', { outcome: 'retry' })).toBe(1)
			expect(sample(after, 'kizuna_jobs_total', { queue: 'webhook-delivery', outcome: 'retry' }) - sample(before, 'kizuna_jobs_total', { queue: 'webhook-delivery', outcome: 'retry' })).toBe(1)
			expect(sample(after, 'kizuna_jobs', { queue: 'webhook-delivery', state: 'created' })).toBe(0)
			expect(sample(after, 'kizuna_jobs', { queue: 'webhook-delivery', state: 'retry' })).toBe(1)
			// The search-index job of the question ran.
			expect(sample(after, 'kizuna_jobs_total', { queue: 'search-index', outcome: 'completed' })).toBeGreaterThan(sample(before, 'kizuna_jobs_total', { queue: 'search-index', outcome: 'completed' }))
			// Waiting for its retry, not due: no lag.
			expect(sample(after, 'kizuna_jobs_oldest_due_seconds', { queue: 'webhook-delivery' })).toBe(0)
		} finally {
			await receiver.close()
		}
	})

	it('counts mail sent', async () => {
		process.env.KIZUNA_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-metrics-mail-'))
		delete process.env.SMTP_URL
		const before = sample(await scrape(), 'kizuna_mail_total', { outcome: 'sent' })
		await db.transaction((tx) => queueMail(tx, { userId: null, to: 'someone@example.test', locale: 'en', kind: 'notification', dedupeKey: `metrics-${Date.now()}`, subject: 'Hello', text: 'Plain words', html: '<p>Plain words</p>' }))
		await runPendingJobs()
		expect(sample(await scrape(), 'kizuna_mail_total', { outcome: 'sent' }) - before).toBe(1)
		fs.rmSync(process.env.KIZUNA_DATA_DIR, { recursive: true, force: true })
	})

	it('times searches and counts result-cache hits, and shows Meilisearch up with its task queue', async () => {
		const before = await scrape()
		const anonymous = { userId: null, visitorId: 'metrics-visitor', record: false }
		let searches = 0
		const search = () => (searches++, searchContent({ q: 'export a board to csv metrics', limit: 10 }, anonymous))
		const delta = (text: string, name: string, labels: Record<string, string>) => sample(text, name, labels) - sample(before, name, labels)
		await search()
		// The cache keeps results once it knows Meilisearch's index version (looked up in the background): then the same search is a hit.
		await expect.poll(async () => (await search(), delta(await scrape(), 'kizuna_search_cache_requests_total', { result: 'hit' }))).toBeGreaterThanOrEqual(1)
		const after = await scrape()
		expect(delta(after, 'kizuna_search_duration_seconds_count', { source: 'meilisearch' })).toBe(searches)
		expect(delta(after, 'kizuna_search_cache_requests_total', { result: 'miss' }) + delta(after, 'kizuna_search_cache_requests_total', { result: 'hit' })).toBe(searches)
		expect(delta(after, 'kizuna_search_cache_requests_total', { result: 'miss' })).toBeGreaterThanOrEqual(1)
		expect(sample(after, 'kizuna_meilisearch_up')).toBe(1)
		expect(after).toMatch(/^kizuna_meilisearch_tasks\{status="enqueued"\} \d+$/m)
		expect(after).toMatch(/^kizuna_meilisearch_oldest_task_seconds \d/m)
		// Process figures from prom-client's default collectors.
		expect(sample(after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0)
	})
})
