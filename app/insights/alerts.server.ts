import { sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import type { AlertKind } from '#db/schema'
import { enqueueWebhookEvent } from '~/webhooks/deliveries.server'

/**
 * Accounts CS should look at (README "Insights"):
 * - self_resolution_drop: the self-resolution rate of the last 7 days is more than
 *   20 points below that of the 7 days before (both weeks had journeys);
 * - onboarding_stalled: an account in its onboarding phase, at least 14 days old,
 *   whose members have not all finished onboarding and have done no onboarding
 *   step for 14 days;
 * - unanswered_questions: 3 or more of its people's questions still unanswered
 *   (and open) 48 hours after they were asked.
 */
type Finding = { accountId: number; kind: AlertKind; detail: Record<string, unknown> }

const DROP_POINTS = 0.2

async function findings(now: Date): Promise<Finding[]> {
	const at = now.toISOString()
	const drops = (await db.execute(sql`
		select account_id,
			count(*) filter (where is_help and started_at >= ${at}::timestamptz - interval '7 days')::int as this_week,
			count(*) filter (where self_resolved and started_at >= ${at}::timestamptz - interval '7 days')::int as this_week_resolved,
			count(*) filter (where is_help and started_at < ${at}::timestamptz - interval '7 days')::int as last_week,
			count(*) filter (where self_resolved and started_at < ${at}::timestamptz - interval '7 days')::int as last_week_resolved
		from help_journeys
		where account_id is not null and started_at >= ${at}::timestamptz - interval '14 days' and started_at < ${at}::timestamptz
		group by account_id`)) as unknown as Array<{ account_id: number; this_week: number; this_week_resolved: number; last_week: number; last_week_resolved: number }>
	const stalled = (await db.execute(sql`
		with steps as (select s.id from tutorial_steps s join tutorials t on t.id = s.tutorial_id where t.phase = 'onboarding' and t.published),
		people as (select u.id, u.account_id from users u join accounts a on a.id = u.account_id where u.role = 'member' and a.phase = 'onboarding' and a.created_at <= ${at}::timestamptz - interval '14 days'),
		progress as (
			select people.account_id, p.user_id, count(*) as done, max(p.created_at) as last_step
			from tutorial_progress p join steps s on s.id = p.step_id join people on people.id = p.user_id group by people.account_id, p.user_id
		)
		select people.account_id, count(*)::int as members,
			count(*) filter (where progress.done = (select count(*) from steps))::int as completed,
			max(progress.last_step) as last_step
		from people left join progress on progress.user_id = people.id
		where (select count(*) from steps) > 0
		group by people.account_id
		having count(*) filter (where progress.done = (select count(*) from steps)) < count(*)
			and coalesce(max(progress.last_step), '-infinity') < ${at}::timestamptz - interval '14 days'`)) as unknown as Array<{ account_id: number; members: number; completed: number; last_step: Date | string | null }>
	const unanswered = (await db.execute(sql`
		select u.account_id, count(*)::int as questions, min(q.created_at) as oldest
		from questions q join users u on u.id = q.author_id
		where u.account_id is not null and q.state = 'visible' and q.answer_count = 0 and q.closed_at is null and q.created_at <= ${at}::timestamptz - interval '48 hours'
		group by u.account_id having count(*) >= 3`)) as unknown as Array<{ account_id: number; questions: number; oldest: Date | string }>

	const rate = (resolved: number, total: number) => resolved / total
	return [
		...drops
			.filter((row) => row.this_week > 0 && row.last_week > 0 && rate(row.last_week_resolved, row.last_week) - rate(row.this_week_resolved, row.this_week) > DROP_POINTS)
			.map((row) => ({
				accountId: row.account_id,
				kind: 'self_resolution_drop' as const,
				detail: { thisWeek: rate(row.this_week_resolved, row.this_week), lastWeek: rate(row.last_week_resolved, row.last_week) },
			})),
		...stalled.map((row) => ({
			accountId: row.account_id,
			kind: 'onboarding_stalled' as const,
			detail: { members: row.members, completed: row.completed, lastStepAt: row.last_step ? new Date(row.last_step).toISOString() : null },
		})),
		...unanswered.map((row) => ({
			accountId: row.account_id,
			kind: 'unanswered_questions' as const,
			detail: { questions: row.questions, oldestAskedAt: new Date(row.oldest).toISOString() },
		})),
	]
}

/**
 * Raises the alerts that hold now and clears those that no longer do. A newly
 * raised alert is sent to webhooks subscribed to `account.alert`, once.
 */
export async function evaluateAlerts(now = new Date()): Promise<{ raised: number; cleared: number }> {
	const found = await findings(now)
	return db.transaction(async (tx) => {
		const open = (await tx.execute(sql`select id, account_id, kind from account_alerts where cleared_at is null for update`)) as unknown as Array<{ id: number; account_id: number; kind: AlertKind }>
		const key = (accountId: number, kind: string) => `${accountId}:${kind}`
		const openKeys = new Map(open.map((row) => [key(row.account_id, row.kind), row.id]))
		const foundKeys = new Set(found.map((finding) => key(finding.accountId, finding.kind)))
		let raised = 0
		for (const finding of found) {
			if (openKeys.has(key(finding.accountId, finding.kind))) continue
			const [alert] = (await tx.execute(sql`
				insert into account_alerts (account_id, kind, detail, created_at) values (${finding.accountId}, ${finding.kind}, ${JSON.stringify(finding.detail)}::jsonb, ${now.toISOString()}::timestamptz)
				returning id`)) as unknown as Array<{ id: number }>
			const [account] = (await tx.execute(sql`select external_id, name, plan, phase from accounts where id = ${finding.accountId}`)) as unknown as Array<Record<string, string>>
			await enqueueWebhookEvent(tx, 'account.alert', {
				alertId: alert!.id,
				kind: finding.kind,
				account: { externalId: account!.external_id, name: account!.name, plan: account!.plan, phase: account!.phase },
				detail: finding.detail,
				raisedAt: now.toISOString(),
			})
			raised++
		}
		const stale = open.filter((row) => !foundKeys.has(key(row.account_id, row.kind))).map((row) => row.id)
		if (stale.length > 0) await tx.execute(sql`update account_alerts set cleared_at = ${now.toISOString()}::timestamptz where id in ${stale}`)
		return { raised, cleared: stale.length }
	})
}

export type OpenAlert = {
	id: number
	kind: AlertKind
	detail: Record<string, unknown>
	raisedAt: string
	account: { externalId: string; name: string; plan: string; phase: string; csm: string | null }
}

/** Open alerts, newest first (optionally for one account). */
export type AlertScope = { accountId?: number; plan?: string; phase?: string; csm?: string }

const alertConditions = (scope: AlertScope) => sql`al.cleared_at is null
		${scope.accountId === undefined ? sql`` : sql`and al.account_id = ${scope.accountId}`}
		${scope.plan ? sql`and a.plan = ${scope.plan}` : sql``}
		${scope.phase ? sql`and a.phase = ${scope.phase}` : sql``}
		${scope.csm ? sql`and a.csm_id = ${scope.csm}` : sql``}`

/** How many open alerts the accounts in scope have (for paging). */
export async function countOpenAlerts(scope: AlertScope = {}): Promise<number> {
	const [row] = (await db.execute(sql`
		select count(*)::int as total from account_alerts al join accounts a on a.id = al.account_id where ${alertConditions(scope)}`)) as unknown as Array<{ total: number }>
	return row!.total
}

/** Open alerts of one account, or of the accounts passing the filters, newest first; `slice` for a page of them. */
export async function openAlerts(scope: AlertScope = {}, slice?: { limit: number; offset: number }): Promise<OpenAlert[]> {
	const result = (await db.execute(sql`
		select al.id, al.kind, al.detail, al.created_at, a.external_id, a.name, a.plan, a.phase, csm.display_name as csm
		from account_alerts al join accounts a on a.id = al.account_id left join users csm on csm.id = a.csm_id
		where ${alertConditions(scope)}
		order by al.created_at desc, al.id desc
		${slice ? sql`limit ${slice.limit} offset ${slice.offset}` : sql``}`)) as unknown as Array<{
		id: number
		kind: AlertKind
		detail: Record<string, unknown>
		created_at: Date | string
		external_id: string
		name: string
		plan: string
		phase: string
		csm: string | null
	}>
	return result.map((row) => ({
		id: row.id,
		kind: row.kind,
		detail: row.detail,
		raisedAt: new Date(row.created_at).toISOString(),
		account: { externalId: row.external_id, name: row.name, plan: row.plan, phase: row.phase, csm: row.csm },
	}))
}
