import { eq, sql } from 'drizzle-orm'
import { db, type Transaction } from '#db/client.server'
import { events, users, type EventType } from '#db/schema'
import { singleton } from '~/utils/singleton.server'

/** Who did it: a signed-in person (by id) or an anonymous visitor (by cookie). */
export type EventActor = { actor: { id: string } | null; visitorId: string | null }

export type EventInput = {
	type: EventType
	targetType?: 'question' | 'answer' | 'faq' | 'tutorial'
	targetId?: number
	searchId?: string
	query?: string
	resultCount?: number
}

type Pending = Required<Omit<typeof events.$inferInsert, 'id' | 'accountId' | 'journeyId'>>

const FLUSH_AFTER_MS = 1000
const FLUSH_AT = 500
// Bounded so a long database outage cannot exhaust memory; the oldest are dropped first.
const MAX_PENDING = 50_000

const state = singleton('insight-events', () => ({
	pending: [] as Pending[],
	timer: null as NodeJS.Timeout | null,
	flushing: null as Promise<void> | null,
}))

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
 * The one event recorder. It only queues: events are written in batches off the
 * request path (after a second, or at 500 queued), so recording never slows a page.
 */
export function recordEvent(who: EventActor, input: EventInput, occurredAt = new Date()) {
	const actorKey = actorKeyOf(who)
	if (!actorKey) return
	state.pending.push({
		type: input.type,
		occurredAt,
		actorKey,
		userId: who.actor?.id ?? null,
		targetType: input.targetType ?? null,
		targetId: input.targetId ?? null,
		searchId: input.searchId ?? null,
		query: input.query ?? null,
		normalizedQuery: input.query === undefined ? null : normalizeQuery(input.query),
		resultCount: input.resultCount ?? null,
	})
	if (state.pending.length > MAX_PENDING) state.pending.splice(0, state.pending.length - MAX_PENDING)
	if (state.pending.length >= FLUSH_AT) void flushEvents().catch(reportFlushError)
	else if (!state.timer) {
		state.timer = setTimeout(() => void flushEvents().catch(reportFlushError), FLUSH_AFTER_MS)
		state.timer.unref()
	}
}

function reportFlushError(error: unknown) {
	console.error('Recording events failed; they stay queued:', error)
}

/** Writes every queued event now (the worker, the insights API and tests call it). */
export async function flushEvents(): Promise<void> {
	while (state.flushing) await state.flushing
	if (state.timer) {
		clearTimeout(state.timer)
		state.timer = null
	}
	if (state.pending.length === 0) return
	const batch = state.pending.splice(0, state.pending.length)
	state.flushing = writeBatch(batch)
		.catch((error) => {
			state.pending.unshift(...batch)
			throw error
		})
		.finally(() => {
			state.flushing = null
		})
	await state.flushing
}

async function writeBatch(batch: Pending[]) {
	await db.transaction(async (tx) => {
		for (let i = 0; i < batch.length; i += 1000) {
			await insertEvents(tx, batch.slice(i, i + 1000))
		}
		const lastSeen = new Map<string, Date>()
		for (const event of batch) {
			if (!event.userId) continue
			const seen = lastSeen.get(event.userId)
			if (!seen || seen < event.occurredAt) lastSeen.set(event.userId, event.occurredAt)
		}
		for (const [userId, at] of lastSeen) {
			await tx
				.update(users)
				.set({ lastSeenAt: sql`greatest(coalesce(${users.lastSeenAt}, ${at.toISOString()}::timestamptz), ${at.toISOString()}::timestamptz)` })
				.where(eq(users.id, userId))
		}
	})
}

/**
 * The batch travels as one JSON parameter (a multi-row INSERT built by the query
 * builder cost more CPU than the searches being recorded). The account is read in
 * the insert itself, so someone moved to another account meanwhile is never stamped
 * with the old one; rows keep their queued order.
 */
function insertEvents(tx: Transaction, rows: Pending[]) {
	return tx.execute(sql`
		insert into ${events} (type, occurred_at, actor_key, user_id, account_id, target_type, target_id, search_id, query, normalized_query, result_count)
		select e.type::event_type, e."occurredAt", e."actorKey", e."userId", (select ${users.accountId} from ${users} where ${users.id} = e."userId"),
			e."targetType", e."targetId", e."searchId", e.query, e."normalizedQuery", e."resultCount"
		from rows from (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
			as (type text, "occurredAt" timestamptz, "actorKey" text, "userId" text, "targetType" text, "targetId" integer,
				"searchId" uuid, query text, "normalizedQuery" text, "resultCount" integer)) with ordinality as e
		order by e.ordinality
	`)
}

type ContentTarget = { type: 'question' | 'faq' | 'tutorial'; id: number }

/**
 * Someone opened a question, FAQ or tutorial page (or fetched it through the API);
 * `fromAskForm` when they got there from the ask form's suggestions.
 */
export function recordContentView(who: EventActor, target: ContentTarget, options: { fromAskForm?: boolean } = {}) {
	if (options.fromAskForm) recordEvent(who, { type: 'suggestion_clicked', targetType: target.type, targetId: target.id })
	recordEvent(who, { type: 'content_view', targetType: target.type, targetId: target.id })
}
