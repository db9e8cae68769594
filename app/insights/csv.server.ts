import { stringify } from 'csv-stringify/sync'
import type { TFunction } from 'i18next'
import { z } from 'zod'
import type { LifecyclePhase } from '#db/schema'
import type { Actor } from '~/auth/permissions.server'
import { DomainError } from '~/utils/errors.server'
import { accountQuestions, alertsMatching, readAccountFilters, withoutBlanks } from './dashboard.server'
import { alertDetail, alertLabels, feedbackReasonLabels, phaseLabels, questionStatusLabels } from './labels'
import { accountRows, daily, hostPages, leastHelpful, mostFrequentQuestions, unansweredTopics, zeroResultQueries } from './metrics.server'
import { insightsRequest, previousRange, type InsightsRange } from './range.server'

const csvTables = [
	'daily',
	'accounts',
	'alerts',
	'unanswered-topics',
	'zero-result-queries',
	'most-frequent',
	'least-helpful',
	'account-questions',
	'pages',
] as const
export type CsvTable = (typeof csvTables)[number]

/** `daily.csv` → `daily`; anything else is a file that does not exist. */
export const csvFileSchema = z
	.string()
	.transform((file) => file.replace(/\.csv$/, ''))
	.pipe(z.enum(csvTables))

type Cell = string | number | null
/** Rows come as one list, or in batches for the tables that grow with customers (written as they are read). */
type Sheet = { columns: string[]; rows: Cell[][] | AsyncIterable<Cell[][]> }

/**
 * Rows this many at a time: each batch sorts the accounts again, so larger batches
 * are faster overall (50,000 accounts: about 6 s in batches of 1,000); 5,000 rows
 * of figures are well under a megabyte.
 */
const BATCH = 5000

/** Every row of a paged query, a batch at a time, so a file of 50,000 accounts never sits in memory whole. */
async function* batches<T>(read: (slice: { limit: number; offset: number }) => Promise<T[]>, toCells: (row: T) => Cell[]) {
	for (let offset = 0; ; offset += BATCH) {
		const rows = await read({ limit: BATCH, offset })
		if (rows.length > 0) yield rows.map(toCells)
		if (rows.length < BATCH) return
	}
}
type Context = { range: InsightsRange; params: URLSearchParams; t: TFunction; origin: string }

/** Rates as percentages with one decimal, which is what a spreadsheet reader expects to see. */
const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10)
const phase = (t: TFunction, value: string) => t(phaseLabels[value as LifecyclePhase] ?? value)

const sheets: Record<CsvTable, (context: Context) => Promise<Sheet>> = {
	async daily({ range, t }) {
		const days = await daily(range)
		return {
			columns: [t('Day'), t('Help journeys'), t('Self-resolved'), t('Self-resolution rate (%)'), t('Questions asked'), t('Zero-result searches')],
			rows: days.map((d) => [d.day, d.journeys, d.selfResolved, percent(d.selfResolutionRate), d.questions, d.zeroResultSearches]),
		}
	},
	async accounts({ range, params, t }) {
		const filters = readAccountFilters(params).filters
		return {
			columns: [
				t('CRM id'),
				t('Account'),
				t('Plan'),
				t('Phase'),
				t('CSM'),
				t('Members'),
				t('Active members (30 days)'),
				t('Help journeys'),
				t('Self-resolution rate (%)'),
				t('Questions asked'),
				t('Unanswered questions'),
				t('Onboarding completion (%)'),
				t('Last activity'),
			],
			rows: batches(
				(slice) => accountRows(range, filters, slice),
				(a) => [
				a.externalId,
				a.name,
				a.plan,
				phase(t, a.phase),
				a.csm,
				a.members,
				a.activeMembers,
				a.journeys,
				percent(a.selfResolutionRate),
				a.questionsAsked,
				a.unanswered,
				percent(a.onboardingCompletionRate),
				a.lastActivity,
				],
			),
		}
	},
	async alerts({ params, t }) {
		const filters = readAccountFilters(params).filters
		return {
			columns: [t('Raised'), t('CRM id'), t('Account'), t('Plan'), t('Phase'), t('CSM'), t('Alert'), t('Details')],
			rows: batches(
				(slice) => alertsMatching(filters, slice),
				(a) => [
				a.raisedAt,
				a.account.externalId,
				a.account.name,
				a.account.plan,
				phase(t, a.account.phase),
				a.account.csm,
				t(alertLabels[a.kind]),
				alertDetail(t, a),
				],
			),
		}
	},
	async 'unanswered-topics'({ range, t, origin }) {
		const topics = await unansweredTopics(range)
		return {
			columns: [t('Question'), t('Link'), t('Times asked'), t('Me too'), t('Views'), t('Age (hours)'), t('Tags')],
			rows: topics.map((q) => [q.title, origin + q.url, q.frequency, q.meToo, q.views, q.ageHours, q.tags.join(' ')]),
		}
	},
	async 'zero-result-queries'({ range, t }) {
		const queries = await zeroResultQueries(range)
		return {
			columns: [t('Search'), t('Times searched'), t('Last searched')],
			rows: queries.map((q) => [q.query, q.count, q.lastSeen]),
		}
	},
	async 'most-frequent'({ range, t, origin }) {
		const previous = previousRange(range)
		const questions = await mostFrequentQuestions(range, previous)
		return {
			columns: [t('Question'), t('Link'), t('This period ({{from}} to {{to}})', range), t('Previous period ({{from}} to {{to}})', previous)],
			rows: questions.map((q) => [q.title, origin + q.url, q.current, q.previous]),
		}
	},
	async 'least-helpful'({ range, t, origin }) {
		const items = await leastHelpful(range)
		return {
			columns: [t('Type'), t('Title'), t('Link'), t('Not helpful'), t('Helpful'), t('Helpful share (%)'), t('Reasons')],
			rows: items.map((item) => [
				t(`type.${item.targetType}`),
				item.title,
				origin + item.url,
				item.notHelpful,
				item.helpful,
				percent(item.helpfulShare),
				item.reasons
					.map((r) => [r.reason ? t(feedbackReasonLabels[r.reason] ?? r.reason) : null, r.comment].filter(Boolean).join(': '))
					.join(' | '),
			]),
		}
	},
	async pages({ range, t }) {
		const pages = await hostPages(range)
		return {
			columns: [t('Host page'), t('Help journeys'), t('Self-resolution rate (%)'), t('Escalated')],
			rows: pages.map((p) => [p.page, p.journeys, percent(p.selfResolutionRate), p.escalated]),
		}
	},
	async 'account-questions'({ range, t, origin }) {
		return {
			columns: [t('Asked'), t('Question'), t('Link'), t('Asked by'), t('Status'), t('Age (hours)')],
			rows: batches(
				(slice) => accountQuestions(range, slice),
				(q) => [q.askedAt, q.title, origin + q.url, q.author, t(questionStatusLabels[q.status]), q.ageHours],
			),
		}
	},
}

/**
 * Spreadsheets run a cell that starts with = + - @ as a formula; titles and
 * search queries are typed by customers, so such text is quoted as text.
 */
const defuse = (cell: Cell) => (typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell)

/**
 * One dashboard table as a CSV file, for the same period and filters as the
 * page. The byte order mark makes Excel (notably in Japan) read it as UTF-8.
 */
export async function exportTable(actor: Actor | null, table: CsvTable, params: URLSearchParams, t: TFunction, origin: string) {
	const range = await insightsRequest(actor, withoutBlanks(params))
	if (table === 'account-questions' && !range.account) throw new DomainError('invalid', 'Choose an account: add account=<CRM id> to the address')
	const sheet = await sheets[table]({ range, params, t, origin })
	const name = ['kizuna', table, range.account?.externalId, range.from, range.to].filter(Boolean).join('_')
	const head = stringify([sheet.columns], { bom: true, record_delimiter: 'windows' })
	const lines = (rows: Cell[][]) => stringify(rows.map((row) => row.map(defuse)), { record_delimiter: 'windows' })
	const { rows } = sheet
	if (Array.isArray(rows)) return { filename: `${name}.csv`, body: head + lines(rows) }
	const iterator = rows[Symbol.asyncIterator]()
	const encoder = new TextEncoder()
	// Pulled by the response as the client reads it, so a slow download holds one batch at a time.
	const body = new ReadableStream<Uint8Array>({
		start: (controller) => controller.enqueue(encoder.encode(head)),
		pull: async (controller) => {
			const next = await iterator.next()
			if (next.done) controller.close()
			else controller.enqueue(encoder.encode(lines(next.value)))
		},
		cancel: async () => {
			await iterator.return?.()
		},
	})
	return { filename: `${name}.csv`, body }
}

/** `attachment` with a plain fallback name and the exact (possibly Japanese) name for browsers that read it. */
export function contentDisposition(filename: string) {
	const plain = filename.replace(/[^\w.-]/g, '_')
	return `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}
