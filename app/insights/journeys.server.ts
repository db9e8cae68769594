import { sql } from 'drizzle-orm'
import { db, type Queryable, type Transaction } from '#db/client.server'
import { enqueueIndexTask } from '#search/sync.server'
import { eventChannels } from '~/utils/limits'
import { recomputeFrequencies, type Counted } from './frequency.server'

/** Events further apart than this belong to different journeys. */
export const JOURNEY_GAP = '30 minutes'

// Serialises journey building across processes (the server's worker, `jobs:run`).
export const JOURNEY_LOCK = 0x6b7a6a72

type Target = { type: string; id: number }

/**
 * The stream of one person's events that journeys are cut from: all their community
 * events, or their widget events on one host page (someone with the widget open on two
 * pages of the product is helped on each). The page of a community event means nothing.
 */
const streamPage = (event: string) => `(case when ${event}.channel = 'widget' then ${event}.page end)`
const sameStream = (a: string, aPage: string, b: string, bPage: string) => `${a}.channel = ${b}.channel and ${aPage} is not distinct from ${bPage}`

/**
 * Adds the journeys of a CTE to insight_daily, or takes them away (sign -1): used in
 * the very statements that insert and delete journeys, so the rollup sees exactly
 * the rows they change.
 */
const countJourneys = (cte: string, sign: 1 | -1) =>
	sql.raw(`
		insert into insight_daily (day, account_id, channel, journeys, self_resolved, escalated, deflections)
		select (started_at at time zone 'UTC')::date, account_id, channel, ${sign} * count(*) filter (where is_help), ${sign} * count(*) filter (where self_resolved),
			${sign} * count(*) filter (where escalated), ${sign} * count(*) filter (where deflected)
		from ${cte} group by 1, 2, 3
		on conflict (day, account_id, channel) do update set journeys = insight_daily.journeys + excluded.journeys,
			self_resolved = insight_daily.self_resolved + excluded.self_resolved, escalated = insight_daily.escalated + excluded.escalated,
			deflections = insight_daily.deflections + excluded.deflections`)

/**
 * Events are counted into the search and activity rollups once, in the statement
 * that gives them their first journey: that one snapshot decides both, so an event
 * committed meanwhile is neither counted without a journey nor the other way round.
 */
const countNewEvents = sql.raw(`
	fresh as (select *, (occurred_at at time zone 'UTC')::date as day from covered where was is null),
	searched as (
		insert into insight_daily (day, account_id, channel, searches, zero_result_searches)
		select day, account_id, channel, count(*), count(*) filter (where result_count = 0) from fresh where type = 'search' group by 1, 2, 3
		on conflict (day, account_id, channel) do update set searches = insight_daily.searches + excluded.searches,
			zero_result_searches = insight_daily.zero_result_searches + excluded.zero_result_searches
	),
	unfound as (
		insert into zero_result_daily (day, account_id, normalized_query, searches, last_seen_at, last_query)
		select day, account_id, normalized_query, count(*), max(occurred_at), (array_agg(query order by occurred_at desc))[1]
		from fresh where type = 'search' and result_count = 0 and normalized_query <> '' group by 1, 2, 3
		on conflict (day, account_id, normalized_query) do update set searches = zero_result_daily.searches + excluded.searches,
			last_seen_at = greatest(zero_result_daily.last_seen_at, excluded.last_seen_at),
			last_query = case when excluded.last_seen_at >= zero_result_daily.last_seen_at then excluded.last_query else zero_result_daily.last_query end
	),
	active as (
		insert into account_active_days (account_id, day, user_id)
		select distinct account_id, day, user_id from fresh where account_id is not null and user_id is not null
		on conflict do nothing
	)`)

/**
 * Groups newly recorded events into help journeys (README "Insights" has the
 * definitions). For every person's stream (see streamPage) with new events it
 * rebuilds, from events, the journeys those events could extend or merge, so late
 * or out-of-order events land where they belong; everything else stays as it was. Question frequency
 * counts journeys resolved on an item, so the items whose resolved journeys
 * changed are recounted. The rollups the insights read (insight_daily,
 * zero_result_daily, account_active_days) change in the same statements.
 *
 * `wait: false` is for pages: while the worker holds the lock (a rebuild after
 * moderation can take a while), a page shows the journeys already built rather
 * than waiting for it; the worker builds the new ones within a minute.
 */
export async function buildJourneys(options: { wait?: boolean } = {}): Promise<{ events: number; journeys: number }> {
	return db.transaction(async (tx) => {
		if (options.wait === false) {
			const [lock] = (await tx.execute(sql`select pg_try_advisory_xact_lock(${JOURNEY_LOCK}) as taken`)) as unknown as Array<{ taken: boolean }>
			if (!lock?.taken) return { events: 0, journeys: 0 }
		} else {
			await tx.execute(sql`select pg_advisory_xact_lock(${JOURNEY_LOCK})`)
		}
		const [pending] = (await tx.execute(sql`select count(*)::int as n from events where journey_id is null`)) as unknown as Array<{ n: number }>
		if (!pending || pending.n === 0) return { events: 0, journeys: 0 }
		await tx.execute(sql`
			create temporary table rebuild on commit drop as
			select p.actor_key, p.channel, p.page, least(p.since, coalesce(min(j.started_at), p.since)) as since, 'infinity'::timestamptz as until
			from (select actor_key, channel, ${sql.raw(streamPage('events'))} as page, min(occurred_at) as since from events where journey_id is null group by 1, 2, 3) p
			left join help_journeys j on j.actor_key = p.actor_key and ${sql.raw(sameStream('j', 'j.page', 'p', 'p.page'))}
				and j.ended_at >= p.since - ${sql.raw(`interval '${JOURNEY_GAP}'`)}
			group by p.actor_key, p.channel, p.page, p.since`)
		return rebuildListed(tx)
	})
}

/**
 * A question hidden, deleted, held or restored changes the journeys that touched it:
 * one that escalated with it, ended on it or only read it counts as if that had not
 * happened while others cannot see it, and as before once they can again. Only the
 * journeys that hold an event about the question are rebuilt, each on its own:
 * journeys are split where events are more than JOURNEY_GAP apart, so the person's
 * other journeys (months of them, for an old and popular question) cannot change.
 * Events about it not in a journey yet are built by buildJourneys, which reads the
 * question's state then. In the queue (never in a request); `events_target_idx`
 * finds the events, and each names its journey.
 */
export async function rebuildJourneysAbout(questionId: number): Promise<{ events: number; journeys: number }> {
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${JOURNEY_LOCK})`)
		await tx.execute(sql`
			create temporary table rebuild on commit drop as
			select distinct j.actor_key, j.channel, j.page, j.started_at as since, j.ended_at as until
			from events e join help_journeys j on j.id = e.journey_id
			where e.target_type = 'question' and e.target_id = ${questionId}`)
		return rebuildListed(tx)
	})
}

/**
 * Rebuilds, from events, the journeys of the streams in the temporary table
 * `rebuild` that start from its `since` to its `until` (each row a span of one
 * person's stream of events); everything else stays as it was. Within a stream
 * journeys never overlap, which is what makes a span rebuild on its own. An event
 * about a question that others cannot see (held, hidden or deleted) stays in its
 * journey but neither makes it a help journey, nor escalates, resolves or deflects it.
 */
async function rebuildListed(tx: Transaction): Promise<{ events: number; journeys: number }> {
	const removed = (await tx.execute(sql`
		with removed as (
			delete from help_journeys j using rebuild r
			where j.actor_key = r.actor_key and ${sql.raw(sameStream('j', 'j.page', 'r', 'r.page'))} and j.started_at between r.since and r.until returning j.*
		),
		uncounted as (${countJourneys('removed', -1)})
		select resolved_target_type as type, resolved_target_id as id from removed`)) as unknown as Target[]
	const created = (await tx.execute(sql`
		with ordered as (
			select e.*, r.page as stream_page,
				not exists (select 1 from questions q where e.target_type = 'question' and q.id = e.target_id and q.state <> 'visible') as live,
				case when lag(e.occurred_at) over w is null
				or e.occurred_at - lag(e.occurred_at) over w > ${sql.raw(`interval '${JOURNEY_GAP}'`)} then 1 else 0 end as starts
			from events e join rebuild r on e.actor_key = r.actor_key and ${sql.raw(sameStream('e', streamPage('e'), 'r', 'r.page'))}
				and e.occurred_at between r.since and r.until
			window w as (partition by e.actor_key, r.channel, r.page order by e.occurred_at, e.id)
		),
		runs as (
			select *, sum(starts) over (partition by actor_key, channel, stream_page order by occurred_at, id) as run from ordered
		),
		summarised as (
			select actor_key, channel, stream_page, max(user_id) as user_id, max(account_id) as account_id,
				min(occurred_at) as started_at, max(occurred_at) as ended_at, count(*)::int as event_count,
				bool_or(type in ('search', 'ask_form_opened', 'support_contacted') or (type = 'content_view' and live)) as is_help,
				bool_or((type = 'question_posted' and live) or type = 'support_contacted') as escalated,
				bool_or(type = 'helpful' and live) as voted_helpful,
				bool_or(type in ('result_click', 'content_view') and live) as found,
				bool_or(type = 'ask_form_opened') and bool_or(type = 'suggestion_clicked' and live) as deflection_path,
				(array_agg(target_type order by occurred_at desc, id desc) filter (where type = 'helpful' and live))[1] as helpful_type,
				(array_agg(target_id order by occurred_at desc, id desc) filter (where type = 'helpful' and live))[1] as helpful_id,
				(array_agg(target_type order by occurred_at desc, id desc) filter (where type in ('result_click', 'content_view') and target_type in ('question', 'faq', 'tutorial') and live))[1] as found_type,
				(array_agg(target_id order by occurred_at desc, id desc) filter (where type in ('result_click', 'content_view') and target_type in ('question', 'faq', 'tutorial') and live))[1] as found_id
			from runs group by actor_key, channel, stream_page, run
		),
		created as (
			insert into help_journeys (actor_key, channel, page, user_id, account_id, started_at, ended_at, event_count, is_help, self_resolved, escalated, deflected, resolved_target_type, resolved_target_id)
			select actor_key, channel, stream_page, user_id, account_id, started_at, ended_at, event_count, is_help,
				is_help and not escalated and (voted_helpful or found),
				is_help and escalated,
				is_help and deflection_path and not escalated,
				case when is_help and not escalated then coalesce(helpful_type, found_type) end,
				case when is_help and not escalated then coalesce(helpful_id, found_id) end
			from summarised
			returning *
		),
		counted as (${countJourneys('created', 1)})
		select resolved_target_type as type, resolved_target_id as id from created`)) as unknown as Target[]
	const [assigned] = (await tx.execute(sql`
		with covered as (
			select e.id, e.journey_id as was, j.id as journey, e.type, e.occurred_at, e.account_id, e.user_id, e.result_count, e.query, e.normalized_query, e.channel
			from events e join help_journeys j on e.actor_key = j.actor_key and ${sql.raw(sameStream('e', streamPage('e'), 'j', 'j.page'))}
				and e.occurred_at between j.started_at and j.ended_at
			join rebuild r on r.actor_key = j.actor_key and ${sql.raw(sameStream('r', 'r.page', 'j', 'j.page'))}
			where j.started_at between r.since and r.until
		),
		assigned as (update events e set journey_id = c.journey from covered c where e.id = c.id and c.was is distinct from c.journey returning e.id),
		${countNewEvents}
		select count(*)::int as count from assigned`)) as unknown as Array<{ count: number }>

	const touched = [...removed, ...created].filter(
		(target): target is Counted => (target.type === 'question' || target.type === 'faq') && target.id !== null,
	)
	for (const item of await recomputeFrequencies(tx, touched)) await enqueueIndexTask(tx, item.type, item.id)
	return { events: assigned!.count, journeys: created.length }
}

const dayStart = (day: string) => `(${day}::timestamp at time zone 'UTC')`
const sameAccount = (column: string) => `(${column} = p.account_id or (p.account_id is null and ${column} is null))`

/**
 * Moves people's history to another account (or to none), with the rollups: the
 * days and accounts their journeys and events touched are recounted from the
 * journeys and events themselves, before and after the move.
 */
export async function moveHistory(tx: Queryable, userIds: string[], accountId: number | null) {
	if (userIds.length === 0) return
	await tx.execute(sql`select pg_advisory_xact_lock(${JOURNEY_LOCK})`)
	await tx.execute(sql`create temporary table if not exists rollup_pairs (day date, account_id integer) on commit drop`)
	await tx.execute(sql`truncate rollup_pairs`)
	const touchedDays = sql`
		insert into rollup_pairs
		select (started_at at time zone 'UTC')::date, account_id from help_journeys where actor_key in ${userIds}
		union
		select (occurred_at at time zone 'UTC')::date, account_id from events where actor_key in ${userIds} and journey_id is not null`
	await tx.execute(touchedDays)
	// A signed-in person's actor key is their id, and it is the indexed column.
	await tx.execute(sql`update events set account_id = ${accountId} where actor_key in ${userIds}`)
	await tx.execute(sql`update help_journeys set account_id = ${accountId} where actor_key in ${userIds}`)
	await tx.execute(touchedDays)

	const inDay = (column: string) => `${column} >= ${dayStart('p.day')} and ${column} < ${dayStart('(p.day + 1)')}`
	await tx.execute(sql`delete from insight_daily d using (select distinct day, account_id from rollup_pairs) p where d.day = p.day and d.account_id is not distinct from p.account_id`)
	await tx.execute(
		sql.raw(`
		insert into insight_daily (day, account_id, channel, journeys, self_resolved, escalated, deflections, searches, zero_result_searches)
		select p.day, p.account_id, c.channel, j.journeys, j.self_resolved, j.escalated, j.deflections, s.searches, s.zero
		from (select distinct day, account_id from rollup_pairs) p
		cross join (values ${eventChannels.map((channel) => `('${channel}')`).join(', ')}) c (channel)
		cross join lateral (
			select count(*) filter (where is_help) as journeys, count(*) filter (where self_resolved) as self_resolved,
				count(*) filter (where escalated) as escalated, count(*) filter (where deflected) as deflections
			from help_journeys where ${sameAccount('account_id')} and ${inDay('started_at')} and channel = c.channel
		) j
		cross join lateral (
			select count(*) as searches, count(*) filter (where result_count = 0) as zero
			from events where type = 'search' and journey_id is not null and ${sameAccount('account_id')} and ${inDay('occurred_at')} and channel = c.channel
		) s`),
	)
	await tx.execute(sql`delete from zero_result_daily d using (select distinct day, account_id from rollup_pairs) p where d.day = p.day and d.account_id is not distinct from p.account_id`)
	await tx.execute(
		sql.raw(`
		insert into zero_result_daily (day, account_id, normalized_query, searches, last_seen_at, last_query)
		select p.day, p.account_id, e.normalized_query, count(*), max(e.occurred_at), (array_agg(e.query order by e.occurred_at desc))[1]
		from (select distinct day, account_id from rollup_pairs) p
		join events e on e.type = 'search' and e.result_count = 0 and e.normalized_query <> '' and e.journey_id is not null
			and ${sameAccount('e.account_id')} and ${inDay('e.occurred_at')}
		group by p.day, p.account_id, e.normalized_query`),
	)
	await tx.execute(sql`delete from account_active_days where user_id in ${userIds}`)
	await tx.execute(sql`
		insert into account_active_days (account_id, day, user_id)
		select distinct account_id, (occurred_at at time zone 'UTC')::date, user_id from events
		where actor_key in ${userIds} and account_id is not null and user_id is not null and journey_id is not null
		on conflict do nothing`)
}
