import { escapeLike } from '~/utils/like'
import { and, asc, desc, eq, gte, lt, ne, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { db } from '#db/client.server'
import { accounts, answers, questions, users } from '#db/schema'
import { authorize, can, type Actor } from '~/auth/permissions.server'
import { questionUrl } from '~/utils/urls'
import { DomainError } from '~/utils/errors.server'
import { invalidInput } from '~/utils/http.server'
import { PAGE_SIZE, pageInfo, pageOf, readPage } from '~/utils/paging'
import { countOpenAlerts, openAlerts } from './alerts.server'
import {
	accountFiltersSchema,
	accountRows,
	countAccounts,
	daily,
	hostPages,
	leastHelpful,
	mostFrequentQuestions,
	overview,
	unansweredTopics,
	weekOverWeek,
	zeroResultQueries,
	type AccountFilters,
} from './metrics.server'
import { insightsRequest, previousRange, type InsightsRange } from './range.server'
import { safeParseInput } from '~/utils/input'

/** What was wrong with the page's input, shown above the form instead of an error page. */
export type InputProblem = { message: string; fieldErrors: Record<string, string> }

/** The period as the pages show it; instants stay on the server. */
const periodOf = (range: InsightsRange) => ({
	from: range.from,
	to: range.to,
	days: range.days,
	account: range.account ? { externalId: range.account.externalId, name: range.account.name } : null,
})

/** A submitted filter form sends empty fields (e.g. "all accounts" is `account=`); they mean "not set". */
export const withoutBlanks = (params: URLSearchParams) => new URLSearchParams([...params].filter(([, value]) => value.trim() !== ''))

/**
 * Authorizes and reads the period. A bad date (or an unknown account in the
 * overview's filter) is a message on the page over the default period, so a
 * mistyped link never ends on an error page. `account` pins the account of an
 * account page, where an unknown one really is a page that does not exist.
 */
async function pageRange(actor: Actor | null, params: URLSearchParams, account?: string) {
	const input = withoutBlanks(params)
	if (account !== undefined) input.set('account', account)
	try {
		return { range: await insightsRequest(actor, input), problem: null }
	} catch (error) {
		const fixable = error instanceof DomainError && (error.code === 'invalid' || (error.code === 'not_found' && account === undefined))
		if (!fixable) throw error
		const fallback = new URLSearchParams(account === undefined ? {} : { account })
		return { range: await insightsRequest(actor, fallback), problem: { message: error.message, fieldErrors: error.fieldErrors } satisfies InputProblem }
	}
}

/** The accounts filters from the query string; a bad one is reported and ignored. */
export function readAccountFilters(params: URLSearchParams): { filters: AccountFilters; problem: InputProblem | null } {
	const given = withoutBlanks(params)
	const parsed = safeParseInput(accountFiltersSchema, { plan: given.get('plan') ?? undefined, phase: given.get('phase') ?? undefined, csm: given.get('csm') ?? undefined })
	if (parsed.success) return { filters: parsed.data, problem: null }
	const refusal = invalidInput(parsed.error)
	return { filters: {}, problem: { message: refusal.message, fieldErrors: refusal.fieldErrors } }
}

const csm = alias(users, 'csm')

/** Choices for the filters: plans in use and the people who own accounts. */
async function filterOptions() {
	const [plans, csms] = await Promise.all([
		db.selectDistinct({ plan: accounts.plan }).from(accounts).where(ne(accounts.plan, '')).orderBy(asc(accounts.plan)),
		db.selectDistinct({ id: csm.id, displayName: csm.displayName }).from(accounts).innerJoin(csm, eq(csm.id, accounts.csmId)).orderBy(asc(csm.displayName)),
	])
	return { plans: plans.map((row) => row.plan), csms }
}

const ACCOUNT_SUGGESTIONS = 10

/**
 * Accounts whose name contains, or whose CRM id starts with, what was typed: the
 * overview's account filter asks as you type, because a select of every account
 * is megabytes of HTML once there are tens of thousands.
 */
export async function suggestAccounts(actor: Actor | null, typed: string) {
	authorize(actor, 'insights:view')
	const text = typed.trim().slice(0, 100)
	if (text === '') return []
	const pattern = escapeLike(text)
	return db
		.select({ externalId: accounts.externalId, name: accounts.name })
		.from(accounts)
		.where(sql`${accounts.name} ilike ${`%${pattern}%`} or ${accounts.externalId} ilike ${`${pattern}%`}`)
		.orderBy(asc(sql`lower(${accounts.name})`), asc(accounts.externalId))
		.limit(ACCOUNT_SUGGESTIONS)
}

/** The figures of a period with their week-over-week change and one point per day. */
async function figuresOf(range: InsightsRange) {
	const [figures, week, days] = await Promise.all([overview(range), weekOverWeek(range), daily(range)])
	return { figures, week, daily: days }
}

/** `/insights`: everything at a glance, for all accounts or one. */
export async function overviewPage(actor: Actor | null, params: URLSearchParams) {
	const { range, problem } = await pageRange(actor, params)
	return { period: periodOf(range), problem, ...(await figuresOf(range)) }
}

/** Open alerts of the accounts that pass the filters (the alerts list follows the table's filters). */
export function alertsMatching(filters: AccountFilters, slice?: { limit: number; offset: number }) {
	return openAlerts(filters, slice)
}

/** `/insights/accounts`: the open alerts, then one row per account. */
export async function accountsPage(actor: Actor | null, params: URLSearchParams) {
	const { range, problem } = await pageRange(actor, params)
	const { filters, problem: filterProblem } = readAccountFilters(params)
	const [accountCount, alertCount] = await Promise.all([countAccounts(range, filters), countOpenAlerts(filters)])
	const page = pageOf(readPage(params), accountCount)
	const alertsPage = pageOf(readPage(params, 'alerts'), alertCount)
	const [rows, alerts, options] = await Promise.all([accountRows(range, filters, page), alertsMatching(filters, alertsPage), filterOptions()])
	return {
		period: periodOf(range),
		problem: problem ?? filterProblem,
		filters,
		rows,
		page: pageInfo(page),
		alerts,
		alertsPage: pageInfo(alertsPage),
		plans: options.plans,
		csms: options.csms,
	}
}

type QuestionStatus = 'solved' | 'answered' | 'closed' | 'unanswered'

/** The questions an account's people asked in the period, newest first. */
export async function accountQuestions(range: InsightsRange, slice: { limit: number; offset: number } = { limit: PAGE_SIZE, offset: 0 }) {
	if (!range.account) throw new DomainError('invalid', 'Choose an account', { account: 'Choose an account' })
	const rows = await db
		.select({
			id: questions.id,
			title: questions.title,
			slug: questions.slug,
			author: users.displayName,
			createdAt: questions.createdAt,
			answerCount: questions.answerCount,
			// Solved as others see it: a hidden or deleted accepted answer solves nothing.
			solved: sql<boolean>`exists (select 1 from ${answers} where ${answers.id} = ${questions.acceptedAnswerId} and ${answers.state} = 'visible')`,
			closedAt: questions.closedAt,
			ageHours: sql<number>`floor(extract(epoch from now() - ${questions.createdAt}) / 3600)::int`,
		})
		.from(questions)
		.innerJoin(users, eq(users.id, questions.authorId))
		.where(and(eq(users.accountId, range.account.id), eq(questions.state, 'visible'), gte(questions.createdAt, range.start), lt(questions.createdAt, range.end)))
		.orderBy(desc(questions.createdAt), desc(questions.id))
		.limit(slice.limit)
		.offset(slice.offset)
	return rows.map((row) => {
		const status: QuestionStatus =
			row.solved ? 'solved' : row.answerCount > 0 ? 'answered' : row.closedAt !== null ? 'closed' : 'unanswered'
		return { id: row.id, title: row.title, url: questionUrl(row), author: row.author, askedAt: row.createdAt.toISOString(), ageHours: row.ageHours, status }
	})
}

/** How many questions an account's people asked in the period (for paging). */
async function countAccountQuestions(range: InsightsRange) {
	const [row] = await db
		.select({ total: sql<number>`count(*)::int` })
		.from(questions)
		.innerJoin(users, eq(users.id, questions.authorId))
		.where(and(eq(users.accountId, range.account!.id), eq(questions.state, 'visible'), gte(questions.createdAt, range.start), lt(questions.createdAt, range.end)))
	return row!.total
}

/** An account's header: what CS know it by. */
async function accountHeader(accountId: number) {
	const [row] = await db
		.select({ externalId: accounts.externalId, name: accounts.name, plan: accounts.plan, phase: accounts.phase, csm: csm.displayName })
		.from(accounts)
		.leftJoin(csm, eq(csm.id, accounts.csmId))
		.where(eq(accounts.id, accountId))
	return row!
}

/** `/insights/accounts/:externalId`: one account's figures, trend, alerts and its people's questions. */
export async function accountPage(actor: Actor | null, externalId: string, params: URLSearchParams) {
	const { range, problem } = await pageRange(actor, params, externalId)
	const account = range.account!
	const page = pageOf(readPage(params), await countAccountQuestions(range))
	const [header, figures, alerts, asked] = await Promise.all([
		accountHeader(account.id),
		figuresOf(range),
		openAlerts({ accountId: account.id }),
		accountQuestions(range, { limit: page.pageSize, offset: page.offset }),
	])
	return {
		period: periodOf(range),
		problem,
		account: { ...header, canManage: can(actor, 'accounts:manage') },
		...figures,
		alerts,
		questions: asked,
		questionsPage: pageInfo(page),
	}
}

/** `/insights/product`: what customers could not find or did not like. */
export async function productPage(actor: Actor | null, params: URLSearchParams) {
	const { range, problem } = await pageRange(actor, params)
	const [unanswered, zeroResults, frequent, unhelpful] = await Promise.all([
		unansweredTopics(range),
		zeroResultQueries(range),
		mostFrequentQuestions(range, previousRange(range)),
		leastHelpful(range),
	])
	return { period: periodOf(range), previous: periodOf(previousRange(range)), problem, unanswered, zeroResults, frequent, unhelpful }
}

/** `/insights/pages`: the product's pages where people opened the help widget, for all accounts or one. */
export async function hostPagesPage(actor: Actor | null, params: URLSearchParams) {
	const { range, problem } = await pageRange(actor, params)
	return { period: periodOf(range), problem, pages: await hostPages(range) }
}
