import { sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { enqueueIndexTask } from '#search/sync.server'
import { recomputeFrequencies, type Canonical } from '~/community/duplicates.server'

/** Events further apart than this belong to different journeys. */
export const JOURNEY_GAP = '30 minutes'

// Serialises journey building across processes (the server's worker, `jobs:run`).
const JOURNEY_LOCK = 0x6b7a6a72

type Target = { type: string; id: number }

/**
 * Groups newly recorded events into help journeys (README "Insights" has the
 * definitions). For every person with new events it rebuilds, from events, the
 * journeys those events could extend or merge, so late or out-of-order events
 * land where they belong; everything else stays as it was. Question frequency
 * counts journeys resolved on an item, so the items whose resolved journeys
 * changed are recounted.
 */
export async function buildJourneys(): Promise<{ events: number; journeys: number }> {
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(${JOURNEY_LOCK})`)
		const [pending] = (await tx.execute(sql`select count(*)::int as n from events where journey_id is null`)) as unknown as Array<{ n: number }>
		if (!pending || pending.n === 0) return { events: 0, journeys: 0 }

		await tx.execute(sql`
			create temporary table rebuild on commit drop as
			select p.actor_key, least(p.since, coalesce(min(j.started_at), p.since)) as since
			from (select actor_key, min(occurred_at) as since from events where journey_id is null group by actor_key) p
			left join help_journeys j on j.actor_key = p.actor_key and j.ended_at >= p.since - ${sql.raw(`interval '${JOURNEY_GAP}'`)}
			group by p.actor_key, p.since`)
		const removed = (await tx.execute(sql`
			delete from help_journeys j using rebuild r
			where j.actor_key = r.actor_key and j.started_at >= r.since
			returning j.resolved_target_type as type, j.resolved_target_id as id`)) as unknown as Target[]
		const created = (await tx.execute(sql`
			with ordered as (
				select e.*, case when lag(e.occurred_at) over w is null
					or e.occurred_at - lag(e.occurred_at) over w > ${sql.raw(`interval '${JOURNEY_GAP}'`)} then 1 else 0 end as starts
				from events e join rebuild r on e.actor_key = r.actor_key and e.occurred_at >= r.since
				window w as (partition by e.actor_key order by e.occurred_at, e.id)
			),
			runs as (
				select *, sum(starts) over (partition by actor_key order by occurred_at, id) as run from ordered
			),
			summarised as (
				select actor_key, max(user_id) as user_id, max(account_id) as account_id,
					min(occurred_at) as started_at, max(occurred_at) as ended_at, count(*)::int as event_count,
					bool_or(type in ('search', 'ask_form_opened', 'content_view')) as is_help,
					bool_or(type = 'question_posted') as escalated,
					bool_or(type = 'helpful') as voted_helpful,
					bool_or(type in ('result_click', 'content_view')) as found,
					bool_or(type = 'ask_form_opened') and bool_or(type = 'suggestion_clicked') as deflection_path,
					(array_agg(target_type order by occurred_at desc, id desc) filter (where type = 'helpful'))[1] as helpful_type,
					(array_agg(target_id order by occurred_at desc, id desc) filter (where type = 'helpful'))[1] as helpful_id,
					(array_agg(target_type order by occurred_at desc, id desc) filter (where type in ('result_click', 'content_view') and target_type in ('question', 'faq', 'tutorial')))[1] as found_type,
					(array_agg(target_id order by occurred_at desc, id desc) filter (where type in ('result_click', 'content_view') and target_type in ('question', 'faq', 'tutorial')))[1] as found_id
				from runs group by actor_key, run
			)
			insert into help_journeys (actor_key, user_id, account_id, started_at, ended_at, event_count, is_help, self_resolved, escalated, deflected, resolved_target_type, resolved_target_id)
			select actor_key, user_id, account_id, started_at, ended_at, event_count, is_help,
				is_help and not escalated and (voted_helpful or found),
				is_help and escalated,
				is_help and deflection_path and not escalated,
				case when is_help and not escalated then coalesce(helpful_type, found_type) end,
				case when is_help and not escalated then coalesce(helpful_id, found_id) end
			from summarised
			returning resolved_target_type as type, resolved_target_id as id`)) as unknown as Target[]
		const assigned = (await tx.execute(sql`
			update events e set journey_id = j.id
			from help_journeys j join rebuild r on r.actor_key = j.actor_key
			where j.started_at >= r.since and e.actor_key = j.actor_key
				and e.occurred_at between j.started_at and j.ended_at
				and e.journey_id is distinct from j.id`)) as unknown as { count: number }

		const touched = [...removed, ...created].filter(
			(target): target is Canonical => (target.type === 'question' || target.type === 'faq') && target.id !== null,
		)
		for (const item of await recomputeFrequencies(tx, touched)) await enqueueIndexTask(tx, item.type, item.id)
		return { events: assigned.count, journeys: created.length }
	})
}
