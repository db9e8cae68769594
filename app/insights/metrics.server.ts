import { sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { phaseEnum } from '#db/schema'
import { eventChannels, type EventChannel } from '~/utils/limits'
import { faqUrl, questionUrl, tutorialUrl } from '~/utils/urls'
import { addDays, daysBetween, type InsightsRange } from './range.server'

/**
 * The insights figures. Every definition is in README "Insights"; the SQL below is
 * the one place that implements each. Rates are null when nothing was measured.
 */

type Row = Record<string, unknown>
const rows = async <T extends Row>(query: SQL) => (await db.execute(query)) as unknown as T[]
/**
 * For the accounts query: asked about one account, the planner cannot tell that each
 * per-account figure has one row per account, estimates its joins at millions of
 * rows and would spend about a second compiling (JIT) a query that takes milliseconds.
 */
const withoutJit = <T extends Row>(query: SQL) =>
	db.transaction(async (tx) => {
		await tx.execute(sql`set local jit = off`)
		return (await tx.execute(query)) as unknown as T[]
	})
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null)

const accountFilter = (column: SQL, range: InsightsRange) => (range.account ? sql`and ${column} = ${range.account.id}` : sql``)
const within = (column: SQL, range: InsightsRange) =>
	sql`${column} >= ${range.start.toISOString()}::timestamptz and ${column} < ${range.end.toISOString()}::timestamptz`
/** For the per-UTC-day rollups (journeys.server.ts keeps them): the same period, as days. */
const onDays = (range: InsightsRange) => sql`day >= ${range.from}::date and day <= ${range.to}::date`

/** Help journeys of one channel (README "Insights", Definitions: channel of a journey). */
export type ChannelFigures = { journeys: number; selfResolved: number; escalated: number; selfResolutionRate: number | null }

export type Summary = {
	journeys: number
	selfResolved: number
	escalated: number
	selfResolutionRate: number | null
	deflections: number
	searches: number
	zeroResultSearches: number
	questionsAsked: number
	questionsAnswered: number
	answerRate24h: number | null
	medianFirstAnswerMinutes: number | null
	helpfulShare: number | null
	onboardingCompletionRate: number | null
	byChannel: Record<EventChannel, ChannelFigures>
}

type JourneyCounts = { journeys: number; selfResolved: number; escalated: number; deflections: number }

/** The period's help journeys, in all and per channel (every channel is listed, with zeros when unused). */
export async function journeyFigures(range: InsightsRange): Promise<JourneyCounts & { byChannel: Record<EventChannel, JourneyCounts> }> {
	const result = await rows<{ channel: EventChannel; journeys: number; self_resolved: number; escalated: number; deflections: number }>(sql`
		select channel, sum(journeys)::int as journeys, sum(self_resolved)::int as self_resolved,
			sum(escalated)::int as escalated, sum(deflections)::int as deflections
		from insight_daily where ${onDays(range)} ${accountFilter(sql`account_id`, range)} group by channel`)
	const countsOf = (channel: EventChannel): JourneyCounts => {
		const row = result.find((r) => r.channel === channel)
		return { journeys: row?.journeys ?? 0, selfResolved: row?.self_resolved ?? 0, escalated: row?.escalated ?? 0, deflections: row?.deflections ?? 0 }
	}
	const byChannel = Object.fromEntries(eventChannels.map((channel) => [channel, countsOf(channel)])) as Record<EventChannel, JourneyCounts>
	const total = (key: keyof JourneyCounts) => eventChannels.reduce((sum, channel) => sum + byChannel[channel][key], 0)
	return { journeys: total('journeys'), selfResolved: total('selfResolved'), escalated: total('escalated'), deflections: total('deflections'), byChannel }
}

const channelFigures = (counts: JourneyCounts): ChannelFigures => ({
	journeys: counts.journeys,
	selfResolved: counts.selfResolved,
	escalated: counts.escalated,
	selfResolutionRate: ratio(counts.selfResolved, counts.journeys),
})

async function searchFigures(range: InsightsRange) {
	const [row] = await rows<{ searches: number; zero: number }>(sql`
		select coalesce(sum(searches), 0)::int as searches, coalesce(sum(zero_result_searches), 0)::int as zero
		from insight_daily where ${onDays(range)} ${accountFilter(sql`account_id`, range)}`)
	return { searches: row!.searches, zeroResultSearches: row!.zero }
}

/** Questions asked in the period, and how (fast) they were answered. */
export async function questionFigures(range: InsightsRange) {
	const [row] = await rows<{ asked: number; answered: number; answered_24h: number; accepted: number; median: number | null }>(sql`
		select count(*)::int as asked, count(q.first_answered_at)::int as answered,
			count(*) filter (where q.first_answered_at <= q.created_at + interval '24 hours')::int as answered_24h,
			count(*) filter (where exists (select 1 from answers a where a.id = q.accepted_answer_id and a.state = 'visible'))::int as accepted,
			percentile_cont(0.5) within group (order by extract(epoch from q.first_answered_at - q.created_at) / 60)
				filter (where q.first_answered_at is not null) as median
		from questions q ${range.account ? sql`join users u on u.id = q.author_id and u.account_id = ${range.account.id}` : sql``}
		where q.state = 'visible' and ${within(sql`q.created_at`, range)}`)
	return {
		questionsAsked: row!.asked,
		questionsAnswered: row!.answered,
		answerRate24h: ratio(row!.answered_24h, row!.asked),
		medianFirstAnswerMinutes: row!.median === null ? null : Math.round(Number(row!.median)),
		acceptanceRate: ratio(row!.accepted, row!.asked),
	}
}

/** Answers written in the period by customers (members) and by the company's staff. */
async function answerAuthorship(range: InsightsRange) {
	const [row] = await rows<{ customers: number; staff: number }>(sql`
		select count(*) filter (where u.role = 'member' and not u.is_system)::int as customers,
			count(*) filter (where u.role <> 'member')::int as staff
		from answers a join users u on u.id = a.author_id
		where a.state = 'visible' and ${within(sql`a.created_at`, range)} ${accountFilter(sql`u.account_id`, range)}`)
	const total = row!.customers + row!.staff
	return { answersByCustomers: row!.customers, answersByStaff: row!.staff, customerAnswerShare: ratio(row!.customers, total) }
}

/** "Did this solve your problem?" votes cast or changed in the period (one current vote per person and item). */
async function helpfulFigures(range: InsightsRange) {
	const [row] = await rows<{ helpful: number; total: number }>(sql`
		select count(*) filter (where f.helpful)::int as helpful, count(*)::int as total
		from content_feedback f ${range.account ? sql`join users u on u.id = f.user_id and u.account_id = ${range.account.id}` : sql``}
		where ${within(sql`f.updated_at`, range)}`)
	return { helpfulVotes: row!.helpful, notHelpfulVotes: row!.total - row!.helpful, helpfulShare: ratio(row!.helpful, row!.total) }
}

const onboardingSteps = sql`select s.id from tutorial_steps s join tutorials t on t.id = s.tutorial_id where t.phase = 'onboarding' and t.published`

/**
 * Members (customers, not staff) and how many of them have done every step of
 * every published onboarding tutorial, per account (or for one account, or all).
 */
async function onboarding(scope: { byAccount: boolean; accountId?: number; accountIds?: string }) {
	const narrowed = scope.accountId !== undefined || scope.accountIds !== undefined
	return rows<{ account_id: number | null; members: number; completed: number; steps: number }>(sql`
		with steps as (${onboardingSteps}),
		people as (
			select u.id, u.account_id from users u where u.role = 'member' and not u.is_system
			${scope.accountId === undefined ? sql`` : sql`and u.account_id = ${scope.accountId}`}
			${scope.accountIds === undefined ? sql`` : sql`and u.account_id = any(${scope.accountIds}::int[])`}
		),
		done as (
			select p.user_id from tutorial_progress p
			where p.step_id = any(array(select id from steps)) ${narrowed ? sql`and p.user_id in (select id from people)` : sql``}
			group by p.user_id having count(*) = (select count(*) from steps)
		)
		select ${scope.byAccount ? sql`people.account_id` : sql`null::int`} as account_id, count(*)::int as members,
			count(done.user_id)::int as completed, (select count(*) from steps)::int as steps
		from people left join done on done.user_id = people.id
		${scope.byAccount ? sql`group by people.account_id` : sql``}`)
}

/** Null when there is no onboarding tutorial or nobody to complete it. */
const completionRate = (row: { members: number; completed: number; steps: number } | undefined) =>
	row && row.steps > 0 ? ratio(row.completed, row.members) : null

async function onboardingCompletionRate(range: InsightsRange) {
	const [row] = await onboarding({ byAccount: false, accountId: range.account?.id })
	return completionRate(row)
}

/** The figures of `GET /api/v1/insights/summary`. */
export async function summary(range: InsightsRange): Promise<Summary> {
	return (await summaryAndJourneys(range)).summary
}

async function summaryAndJourneys(range: InsightsRange) {
	const [journeys, searches, questions, helpful, onboarding] = await Promise.all([
		journeyFigures(range),
		searchFigures(range),
		questionFigures(range),
		helpfulFigures(range),
		onboardingCompletionRate(range),
	])
	const summary: Summary = {
		journeys: journeys.journeys,
		selfResolved: journeys.selfResolved,
		escalated: journeys.escalated,
		selfResolutionRate: ratio(journeys.selfResolved, journeys.journeys),
		deflections: journeys.deflections,
		searches: searches.searches,
		zeroResultSearches: searches.zeroResultSearches,
		questionsAsked: questions.questionsAsked,
		questionsAnswered: questions.questionsAnswered,
		answerRate24h: questions.answerRate24h,
		medianFirstAnswerMinutes: questions.medianFirstAnswerMinutes,
		helpfulShare: helpful.helpfulShare,
		onboardingCompletionRate: onboarding,
		byChannel: Object.fromEntries(eventChannels.map((channel) => [channel, channelFigures(journeys.byChannel[channel])])) as Summary['byChannel'],
	}
	return { summary, journeys }
}

/** Per channel on the dashboards: the summary's figures and the deflections. */
export type ChannelRow = ChannelFigures & { channel: EventChannel; deflections: number }

/** The overview dashboard: the summary plus the figures only people read. */
export async function overview(range: InsightsRange) {
	const [{ summary: figures, journeys }, questions, authorship, helpful] = await Promise.all([summaryAndJourneys(range), questionFigures(range), answerAuthorship(range), helpfulFigures(range)])
	const channels: ChannelRow[] = eventChannels.map((channel) => ({ channel, ...figures.byChannel[channel], deflections: journeys.byChannel[channel].deflections }))
	return { ...figures, acceptanceRate: questions.acceptanceRate, ...authorship, helpfulVotes: helpful.helpfulVotes, notHelpfulVotes: helpful.notHelpfulVotes, channels }
}

export type HostPage = { page: string; journeys: number; selfResolutionRate: number | null; escalated: number }

/**
 * The host pages of the product where people opened the widget for help in the
 * period: most help journeys first, then most escalated (`help_journeys_widget_idx`).
 */
export async function hostPages(range: InsightsRange, limit = 50): Promise<HostPage[]> {
	const result = await rows<{ page: string; journeys: number; self_resolved: number; escalated: number }>(sql`
		select page, count(*)::int as journeys, count(*) filter (where self_resolved)::int as self_resolved, count(*) filter (where escalated)::int as escalated
		from help_journeys
		where channel = 'widget' and is_help and page is not null and ${within(sql`started_at`, range)} ${accountFilter(sql`account_id`, range)}
		group by page
		order by count(*) desc, count(*) filter (where escalated) desc, page
		limit ${limit}`)
	return result.map((row) => ({ page: row.page, journeys: row.journeys, selfResolutionRate: ratio(row.self_resolved, row.journeys), escalated: row.escalated }))
}

export type DailyPoint = { day: string; journeys: number; selfResolved: number; selfResolutionRate: number | null; questions: number; zeroResultSearches: number }

/** One point per day of the period, for the charts. */
export async function daily(range: InsightsRange): Promise<DailyPoint[]> {
	const day = (column: SQL) => sql`(${column} at time zone 'UTC')::date`
	const result = await rows<{ day: string; journeys: number; self_resolved: number; questions: number; zero: number }>(sql`
		with days as (select d::date as day from generate_series(${range.from}::date, ${range.to}::date, interval '1 day') d),
		j as (
			select ${day(sql`started_at`)} as day, count(*) filter (where is_help)::int as journeys, count(*) filter (where self_resolved)::int as self_resolved
			from help_journeys where ${within(sql`started_at`, range)} ${accountFilter(sql`account_id`, range)} group by 1
		),
		q as (
			select ${day(sql`q.created_at`)} as day, count(*)::int as questions
			from questions q ${range.account ? sql`join users u on u.id = q.author_id and u.account_id = ${range.account.id}` : sql``}
			where q.state = 'visible' and ${within(sql`q.created_at`, range)} group by 1
		),
		z as (
			select ${day(sql`occurred_at`)} as day, count(*)::int as zero
			from events where type = 'search' and result_count = 0 and ${within(sql`occurred_at`, range)} ${accountFilter(sql`account_id`, range)} group by 1
		)
		select to_char(days.day, 'YYYY-MM-DD') as day, coalesce(j.journeys, 0) as journeys, coalesce(j.self_resolved, 0) as self_resolved,
			coalesce(q.questions, 0) as questions, coalesce(z.zero, 0) as zero
		from days left join j on j.day = days.day left join q on q.day = days.day left join z on z.day = days.day
		order by days.day`)
	return result.map((row) => ({
		day: row.day,
		journeys: row.journeys,
		selfResolved: row.self_resolved,
		selfResolutionRate: ratio(row.self_resolved, row.journeys),
		questions: row.questions,
		zeroResultSearches: row.zero,
	}))
}

/** The last 7 days of the period against the 7 days before them. */
export async function weekOverWeek(range: InsightsRange) {
	const week = (to: string) => daysBetween(addDays(to, -6), to, range.account)
	const [current, previous] = await Promise.all([summary(week(range.to)), summary(week(addDays(range.to, -7)))])
	return { current, previous }
}

export type UnansweredTopic = {
	questionId: number
	title: string
	url: string
	frequency: number
	meToo: number
	views: number
	ageHours: number
	tags: string[]
}

/** Questions asked in the period that nobody has answered (and are not closed), most asked first. */
export async function unansweredTopics(range: InsightsRange, limit = 50): Promise<UnansweredTopic[]> {
	const result = await rows<{ id: number; title: string; slug: string; frequency: number; me_too: number; views: number; age_hours: number; tags: string[] }>(sql`
		select q.id, q.title, q.slug, q.frequency, q.me_too_count as me_too, q.view_count as views,
			floor(extract(epoch from now() - q.created_at) / 3600)::int as age_hours,
			coalesce((select array_agg(t.name order by t.name) from question_tags qt join tags t on t.id = qt.tag_id where qt.question_id = q.id), '{}') as tags
		from questions q ${range.account ? sql`join users u on u.id = q.author_id and u.account_id = ${range.account.id}` : sql``}
		where q.state = 'visible' and q.answer_count = 0 and q.closed_at is null and ${within(sql`q.created_at`, range)}
		order by q.frequency desc, q.view_count desc, q.created_at asc, q.id asc
		limit ${limit}`)
	return result.map((row) => ({
		questionId: row.id,
		title: row.title,
		url: questionUrl(row),
		frequency: row.frequency,
		meToo: row.me_too,
		views: row.views,
		ageHours: row.age_hours,
		tags: row.tags,
	}))
}

export type ZeroResultQuery = { query: string; count: number; lastSeen: string }

/** Searches that found nothing, grouped by their normalised text, most frequent first. */
export async function zeroResultQueries(range: InsightsRange, limit = 50): Promise<ZeroResultQuery[]> {
	const result = await rows<{ query: string; count: number; last_seen: Date | string }>(sql`
		select (array_agg(last_query order by last_seen_at desc))[1] as query, sum(searches)::int as count, max(last_seen_at) as last_seen
		from zero_result_daily
		where ${onDays(range)} ${accountFilter(sql`account_id`, range)}
		group by normalized_query
		order by sum(searches) desc, max(last_seen_at) desc
		limit ${limit}`)
	return result.map((row) => ({ query: row.query, count: row.count, lastSeen: new Date(row.last_seen).toISOString() }))
}

/** Questions asked most often (by frequency gained) in the period, with the previous period's count. */
export async function mostFrequentQuestions(range: InsightsRange, previous: InsightsRange, limit = 20) {
	const asked = (r: InsightsRange) => sql`
		select coalesce(
			case when e.target_type = 'question' then coalesce(q.duplicate_of_question_id, q.id) end, e.target_id) as question_id,
			count(*)::int as n
		from events e left join questions q on e.target_type = 'question' and q.id = e.target_id
		where e.type in ('question_posted', 'me_too') and ${within(sql`e.occurred_at`, r)} ${accountFilter(sql`e.account_id`, r)}
		group by 1`
	const resolved = (r: InsightsRange) => sql`
		select resolved_target_id as question_id, count(*)::int as n from help_journeys
		where resolved_target_type = 'question' and self_resolved and ${within(sql`started_at`, r)} ${accountFilter(sql`account_id`, r)}
		group by 1`
	const result = await rows<{ id: number; title: string; slug: string; current: number; previous: number }>(sql`
		with cur as (select question_id, sum(n)::int as n from (${asked(range)} union all ${resolved(range)}) x group by 1),
		prev as (select question_id, sum(n)::int as n from (${asked(previous)} union all ${resolved(previous)}) x group by 1)
		select q.id, q.title, q.slug, cur.n as current, coalesce(prev.n, 0) as previous
		from cur join questions q on q.id = cur.question_id left join prev on prev.question_id = cur.question_id
		where q.duplicate_of_question_id is null and q.duplicate_of_faq_id is null and q.state = 'visible'
		order by cur.n desc, q.id asc limit ${limit}`)
	return result.map((row) => ({ questionId: row.id, title: row.title, url: questionUrl(row), current: row.current, previous: row.previous }))
}

/** FAQs, tutorials and questions with the most "not helpful" votes in the period, with the reasons given. */
export async function leastHelpful(range: InsightsRange, limit = 20) {
	const result = await rows<{
		target_type: 'question' | 'faq' | 'tutorial'
		target_id: number
		title: string | null
		slug: string | null
		not_helpful: number
		helpful: number
		reasons: Array<{ reason: string | null; comment: string | null }>
	}>(sql`
		select f.target_type, f.target_id, coalesce(q.title, fq.title, t.title) as title, coalesce(q.slug, fq.slug, t.slug) as slug,
			count(*) filter (where not f.helpful)::int as not_helpful, count(*) filter (where f.helpful)::int as helpful,
			coalesce(json_agg(json_build_object('reason', f.reason, 'comment', f.comment) order by f.updated_at desc) filter (where not f.helpful), '[]') as reasons
		from content_feedback f
		left join questions q on f.target_type = 'question' and q.id = f.target_id
		left join faqs fq on f.target_type = 'faq' and fq.id = f.target_id
		left join tutorials t on f.target_type = 'tutorial' and t.id = f.target_id
		${range.account ? sql`join users u on u.id = f.user_id and u.account_id = ${range.account.id}` : sql``}
		where ${within(sql`f.updated_at`, range)}
		group by f.target_type, f.target_id, q.title, fq.title, t.title, q.slug, fq.slug, t.slug
		having count(*) filter (where not f.helpful) > 0
		order by not_helpful desc, f.target_type, f.target_id limit ${limit}`)
	return result.map((row) => ({
		targetType: row.target_type,
		targetId: row.target_id,
		title: row.title ?? '',
		url:
			row.target_type === 'question'
				? questionUrl({ id: row.target_id, slug: row.slug ?? '' })
				: row.target_type === 'faq'
					? faqUrl({ id: row.target_id, slug: row.slug ?? '' })
					: tutorialUrl({ id: row.target_id, slug: row.slug ?? '' }),
		notHelpful: row.not_helpful,
		helpful: row.helpful,
		helpfulShare: ratio(row.helpful, row.helpful + row.not_helpful),
		reasons: row.reasons.slice(0, 10),
	}))
}

export type AccountRow = {
	externalId: string
	name: string
	plan: string
	phase: string
	csm: string | null
	members: number
	activeMembers: number
	journeys: number
	selfResolutionRate: number | null
	questionsAsked: number
	unanswered: number
	onboardingCompletionRate: number | null
	lastActivity: string | null
}

export const accountFiltersSchema = z.object({
	plan: z.string().trim().max(100).optional(),
	phase: z.enum(phaseEnum.enumValues, { errorMap: () => ({ message: `phase must be one of: ${phaseEnum.enumValues.join(', ')}` }) }).optional(),
	/** The owning CSM's user id. */
	csm: z.string().trim().max(100).optional(),
})
export type AccountFilters = z.infer<typeof accountFiltersSchema>

const accountConditions = (range: InsightsRange, filters: AccountFilters) =>
	[
		range.account ? sql`a.id = ${range.account.id}` : null,
		filters.plan ? sql`a.plan = ${filters.plan}` : null,
		filters.phase ? sql`a.phase = ${filters.phase}` : null,
		filters.csm ? sql`a.csm_id = ${filters.csm}` : null,
	].filter((part): part is SQL => part !== null)

const whereAll = (parts: SQL[]) => (parts.length > 0 ? sql`where ${sql.join(parts, sql` and `)}` : sql``)

/** How many accounts pass the filters (for paging). */
export async function countAccounts(range: InsightsRange, filters: AccountFilters = {}): Promise<number> {
	const [row] = await rows<{ total: number }>(sql`select count(*)::int as total from accounts a ${whereAll(accountConditions(range, filters))}`)
	return row!.total
}

export type AccountSlice = { limit: number; offset: number }

/**
 * One row per account: the accounts dashboard and `GET /api/v1/insights/accounts`.
 * With `slice`, only that part of the list (by name) is computed: every figure is
 * then counted for those accounts only, which keeps a page fast with 50,000 accounts.
 */
export async function accountRows(range: InsightsRange, filters: AccountFilters = {}, slice?: AccountSlice): Promise<AccountRow[]> {
	const where = accountConditions(range, filters)
	let scope = (column: SQL) => accountFilter(column, range)
	let pageIds: string | undefined
	if (slice) {
		const page = await rows<{ id: number }>(sql`
			select a.id from accounts a ${whereAll(where)} order by a.name, a.external_id limit ${slice.limit} offset ${slice.offset}`)
		if (page.length === 0) return []
		// A PostgreSQL array literal of integers read from the database: one parameter however long the page.
		const ids = `{${page.map((row) => row.id).join(',')}}`
		where.push(sql`a.id = any(${ids}::int[])`)
		scope = (column: SQL) => sql`and ${column} = any(${ids}::int[])`
		pageIds = ids
	}
	const activeSince = new Date(range.end.getTime() - 30 * 86_400_000).toISOString().slice(0, 10)
	// Four queries at once, each on a connection of its own: they take about as long as each other.
	const [result, activeRows, askedRows, onboardingRows] = await Promise.all([
		withoutJit<{
			id: number
			external_id: string
			name: string
			plan: string
			phase: string
			csm: string | null
			members: number
			journeys: number
			self_resolved: number
			last_activity: Date | string | null
		}>(sql`
			with m as (
				select account_id, count(*)::int as members, max(last_seen_at) as last_activity from users
				where account_id is not null ${scope(sql`account_id`)} group by account_id
			),
			j as (
				select account_id, sum(journeys)::int as journeys, sum(self_resolved)::int as self_resolved
				from insight_daily where account_id is not null and ${onDays(range)} ${scope(sql`account_id`)} group by account_id
			)
			select a.id, a.external_id, a.name, a.plan, a.phase, csm.display_name as csm, coalesce(m.members, 0) as members,
				coalesce(j.journeys, 0) as journeys, coalesce(j.self_resolved, 0) as self_resolved, m.last_activity
			from accounts a left join users csm on csm.id = a.csm_id left join m on m.account_id = a.id left join j on j.account_id = a.id
			${whereAll(where)}
			order by a.name, a.external_id`),
		rows<{ account_id: number; active: number }>(sql`
			select account_id, count(*)::int as active from (
				select distinct account_id, user_id from account_active_days
				where day >= ${activeSince}::date and day < ${range.end.toISOString().slice(0, 10)}::date ${scope(sql`account_id`)}
			) d group by account_id`),
		rows<{ account_id: number; asked: number; unanswered: number }>(sql`
			select u.account_id, count(*)::int as asked, count(*) filter (where q.answer_count = 0 and q.closed_at is null)::int as unanswered
			from questions q join users u on u.id = q.author_id
			where u.account_id is not null and q.state = 'visible' ${scope(sql`u.account_id`)} and ${within(sql`q.created_at`, range)} group by u.account_id`),
		onboarding({ byAccount: true, accountId: range.account?.id, accountIds: pageIds }),
	])
	const active = new Map(activeRows.map((row) => [row.account_id, row.active]))
	const asked = new Map(askedRows.map((row) => [row.account_id, row]))
	const people = new Map(onboardingRows.map((row) => [row.account_id, row]))
	return result.map((row) => {
		return {
			externalId: row.external_id,
			name: row.name,
			plan: row.plan,
			phase: row.phase,
			csm: row.csm,
			members: row.members,
			activeMembers: active.get(row.id) ?? 0,
			journeys: row.journeys,
			selfResolutionRate: ratio(row.self_resolved, row.journeys),
			questionsAsked: asked.get(row.id)?.asked ?? 0,
			unanswered: asked.get(row.id)?.unanswered ?? 0,
			onboardingCompletionRate: completionRate(people.get(row.id)),
			lastActivity: row.last_activity ? new Date(row.last_activity).toISOString() : null,
		}
	})
}
