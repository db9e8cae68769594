import { sql } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { events, users, type EventType } from '#db/schema'
import { pagePath, type EventPlace } from '~/utils/event-place'
import { noteView } from '~/utils/recorded-views.server'

/**
 * Who did it: a signed-in person (by id) or an anonymous visitor (by cookie), and
 * where (the community site when `place` is left out).
 */
export type EventActor = { actor: { id: string } | null; visitorId: string | null; place?: EventPlace }

export type EventInput = {
	type: EventType
	targetType?: 'question' | 'answer' | 'faq' | 'tutorial'
	targetId?: number
	searchId?: string
	query?: string
	resultCount?: number
}

type Row = Required<Omit<typeof events.$inferInsert, 'id' | 'accountId' | 'journeyId'>>

export const actorKeyOf = (who: EventActor) => (who.actor ? who.actor.id : who.visitorId ? `visitor:${who.visitorId}` : null)

/** Lower-cased, punctuation and spacing collapsed: "Reset  password?" and "reset password" group together. */
export function normalizeQuery(query: string): string {
	return query
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[\p{P}\p{S}]+/gu, ' ')
		.replace(/\s+/g, ' ')
		.trim()
}

/**
 * The one event recorder. Pass the transaction of the change the event belongs to
 * (a question posted, a vote): the event commits with it, or not at all. Events
 * that change nothing (views, searches, clicks) go through recordActivity.
 */
export async function recordEvent(q: Queryable, who: EventActor, input: EventInput, occurredAt = new Date()) {
	await writeEvents(q, who, [input], occurredAt)
}

/**
 * An event that changes nothing else (a search, an opened form, a click), written
 * on its own before the request answers, so none waits in memory to be lost.
 * Writing each directly costs no measurable throughput: `npm run bench:search`
 * (5,000 questions, 20 clients, 15 s, on this 2-core machine under a load of 12-19
 * from other work) served 402 and 278 req/s writing the search event, and 333 and
 * 302 req/s not writing it at all, the most any batch could have saved.
 */
export async function recordActivity(who: EventActor, input: EventInput) {
	await writeEvents(db, who, [input], new Date())
}

async function writeEvents(q: Queryable, who: EventActor, inputs: EventInput[], occurredAt: Date) {
	const actorKey = actorKeyOf(who)
	if (!actorKey || who.place?.preview) return
	const userId = who.actor?.id ?? null
	const rows: Row[] = inputs.map((input) => ({
		type: input.type,
		occurredAt,
		actorKey,
		userId,
		targetType: input.targetType ?? null,
		targetId: input.targetId ?? null,
		searchId: input.searchId ?? null,
		query: input.query ?? null,
		normalizedQuery: input.query === undefined ? null : normalizeQuery(input.query),
		resultCount: input.resultCount ?? null,
		channel: who.place?.channel ?? 'community',
		// Whoever names the place, a page is kept as insights group it (path only, bounded), and only for the widget.
		page: who.place?.channel === 'widget' ? pagePath(who.place.page) : null,
	}))
	const insert = insertEvents(rows)
	if (!userId) {
		await q.execute(insert)
		return
	}
	// A signed-in person was seen now: noted in the same statement, one round trip per page view instead of two.
	const at = occurredAt.toISOString()
	await q.execute(sql`
		with inserted as (${insert})
		update ${users} set last_seen_at = greatest(coalesce(${users.lastSeenAt}, ${at}::timestamptz), ${at}::timestamptz) where ${users.id} = ${userId}
	`)
}

/**
 * The rows travel as one JSON parameter (a multi-row INSERT built by the query
 * builder cost more CPU than the searches being recorded). The account is read in
 * the insert itself, so someone moved to another account meanwhile is never stamped
 * with the old one; rows keep their order.
 */
function insertEvents(rows: Row[]) {
	return sql`
		insert into ${events} (type, occurred_at, actor_key, user_id, account_id, target_type, target_id, search_id, query, normalized_query, result_count, channel, page)
		select e.type::event_type, e."occurredAt", e."actorKey", e."userId", (select ${users.accountId} from ${users} where ${users.id} = e."userId"),
			e."targetType", e."targetId", e."searchId", e.query, e."normalizedQuery", e."resultCount", e.channel, e.page
		from rows from (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
			as (type text, "occurredAt" timestamptz, "actorKey" text, "userId" text, "targetType" text, "targetId" integer,
				"searchId" uuid, query text, "normalizedQuery" text, "resultCount" integer, channel text, page text)) with ordinality as e
		order by e.ordinality
	`
}

type ContentTarget = { type: 'question' | 'faq' | 'tutorial'; id: number }

/**
 * Someone opened a question, FAQ or tutorial page (or fetched it through the API);
 * `fromAskForm` when they got there from the ask form's suggestions.
 */
export async function recordContentView(who: EventActor, target: ContentTarget, options: { fromAskForm?: boolean } = {}) {
	// A page cached for anonymous readers records the same view for each of them (app/server/page-cache.ts).
	noteView({ type: target.type, id: target.id, fromAskForm: options.fromAskForm === true })
	const view = { type: 'content_view', targetType: target.type, targetId: target.id } as const
	await writeEvents(db, who, options.fromAskForm ? [{ type: 'suggestion_clicked', targetType: target.type, targetId: target.id }, view] : [view], new Date())
}
