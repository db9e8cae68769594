import { Counter, Histogram, Registry } from 'prom-client'
import { singleton } from './singleton.server'

/**
 * Kizuna's Prometheus metrics, in a registry of their own (nothing a library puts in
 * prom-client's global one leaks into /metrics). Counters and histograms are
 * updated where things happen; the figures read from PostgreSQL and Meilisearch
 * when scraped (queue depth, task lag) are added by app/server/metrics.ts. Kept on
 * globalThis: the Remix build has its own copy of this module, and both must count
 * into one registry (see singleton.server.ts). Every label has a bounded set of values.
 */
export const metricsRegistry = singleton('metrics-registry', () => new Registry())

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

export const httpDuration = singleton(
	'metric-http',
	() =>
		new Histogram({
			name: 'kizuna_http_request_duration_seconds',
			help: 'Time to answer an HTTP request, by route (the Remix route id, or api/v1/search, static, healthz, metrics, none), method and status class',
			labelNames: ['route', 'method', 'status_class'] as const,
			buckets: SECONDS,
			registers: [metricsRegistry],
		}),
)

export const searchDuration = singleton(
	'metric-search',
	() =>
		new Histogram({
			name: 'kizuna_search_duration_seconds',
			help: 'Time to answer a search (GET /api/v1/search, the search page, suggestions), by where the results came from',
			labelNames: ['source'] as const,
			buckets: SECONDS,
			registers: [metricsRegistry],
		}),
)

export const searchCache = singleton(
	'metric-search-cache',
	() =>
		new Counter({
			name: 'kizuna_search_cache_requests_total',
			help: 'Searches looked up in the result cache: hit (answered from memory) or miss (computed by Meilisearch)',
			labelNames: ['result'] as const,
			registers: [metricsRegistry],
		}),
)

export const pageCacheRequests = singleton(
	'metric-page-cache',
	() =>
		new Counter({
			name: 'kizuna_page_cache_requests_total',
			help: 'Anonymous pages the page cache could serve: memory (this process), shared (the PostgreSQL table) or miss (rendered)',
			labelNames: ['result'] as const,
			registers: [metricsRegistry],
		}),
)

export const meilisearchRequests = singleton(
	'metric-meilisearch-requests',
	() =>
		new Counter({
			name: 'kizuna_meilisearch_requests_total',
			help: 'HTTP requests this process sent to Meilisearch, by operation: search (a search or a multi-search), documents (fetched or written), tasks, other',
			labelNames: ['operation'] as const,
			registers: [metricsRegistry],
		}),
)

export const jobOutcomes = singleton(
	'metric-jobs',
	() =>
		new Counter({
			name: 'kizuna_jobs_total',
			help: 'Background jobs run by this process, by queue and outcome: completed, retry (failed, will be retried) or failed (for good)',
			labelNames: ['queue', 'outcome'] as const,
			registers: [metricsRegistry],
		}),
)

export const mailOutcomes = singleton(
	'metric-mail',
	() =>
		new Counter({
			name: 'kizuna_mail_total',
			help: 'Mail handed to the transport by this process: sent, retry (failed, will be retried) or failed (for good)',
			labelNames: ['outcome'] as const,
			registers: [metricsRegistry],
		}),
)

export const webhookOutcomes = singleton(
	'metric-webhooks',
	() =>
		new Counter({
			name: 'kizuna_webhook_deliveries_total',
			help: 'Webhook delivery attempts by this process: delivered, retry (failed, will be retried) or failed (for good)',
			labelNames: ['outcome'] as const,
			registers: [metricsRegistry],
		}),
)

/** `retry` or `failed` for an attempt that did not succeed, from whether another attempt is due. */
export const failureOutcome = (retryAt: Date | null) => (retryAt ? 'retry' : 'failed')
