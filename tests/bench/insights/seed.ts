/**
 * Synthetic community activity for `npm run bench:insights`, written in SQL
 * (generate_series, insert … select) straight into a migrated, empty PostgreSQL:
 * accounts with domains and CSMs, members, questions with answers and tags,
 * "me too", FAQs, tutorials and onboarding progress, and the events people leave
 * doing all that, over the last `days` days. Events are written in time order, as
 * the recorder would have appended them, so the table's physical order matches
 * production's. Help journeys are not written here: the app builds them.
 */
import type postgres from 'postgres'
import { normalizeQuery } from '~/insights/events.server'

export type SeedOptions = { accounts: number; members: number; questions: number; events: number; days: number; now: Date }

const FOUND_QUERIES = [
	'reset password', 'export board to csv', 'sso login fails', 'saml inresponseto error', 'invite guests', 'change plan', 'download invoice',
	'gantt chart dependencies', 'recurring tasks', 'slack notifications', 'api rate limit', 'delete workspace', 'archive project', 'time tracking',
	'custom fields', 'calendar sync google', 'two factor authentication', 'mobile app offline', 'import from trello', 'webhook signature',
	'billing address', 'seat count', 'permissions for guests', 'kanban swimlanes', 'email digest', 'jira integration', 'templates for sprints',
	'workload view', 'audit log', 'data retention', 'パスワード リセット', 'CSV エクスポート', 'SSO ログイン できない', '請求書 ダウンロード',
]
const ZERO_WORDS = ['okr', 'burndown', 'timesheet', 'sharepoint', 'teams bot', 'zapier', 'gdpr export', 'hipaa', 'dark mode', 'ical', 'subtasks limit', 'pdf export', 'bulk edit', 'sla', 'azure devops']
const ZERO_FORMS = ['{w}', '{w} support', 'How to {w}?', '{w} not working', 'Does Tsumiki have {w}', '{w} integration', '{w}!!', 'where is {w}']

/** Search texts: the ones that find something, and (as people type them) ones that find nothing. */
function queries(): Array<{ query: string; normalized: string; zero: boolean }> {
	const found = FOUND_QUERIES.flatMap((q) => [q, `How do I ${q}?`, `${q[0]!.toUpperCase()}${q.slice(1)}`, `${q} not working`])
	const zero = ZERO_WORDS.flatMap((w) => ZERO_FORMS.map((form) => form.replace('{w}', w)))
	return [...found.map((query) => ({ query, zero: false })), ...zero.map((query) => ({ query, zero: true }))].map((q) => ({ ...q, normalized: normalizeQuery(q.query) }))
}

/**
 * What a visit looks like: event types in order; X and Y are the content items it
 * is about, `zero` a search that found nothing. Weights are relative.
 */
const SCRIPTS: Array<{ weight: number; steps: string[] }> = [
	{ weight: 20, steps: ['search', 'result_click X', 'content_view X', 'helpful X'] },
	{ weight: 25, steps: ['search', 'result_click X', 'content_view X'] },
	{ weight: 10, steps: ['search zero', 'search', 'result_click X', 'content_view X'] },
	{ weight: 6, steps: ['search zero'] },
	{ weight: 15, steps: ['content_view X'] },
	{ weight: 6, steps: ['ask_form_opened', 'suggestion_clicked X', 'content_view X', 'helpful X'] },
	{ weight: 4, steps: ['ask_form_opened', 'suggestion_clicked X', 'content_view X'] },
	{ weight: 6, steps: ['search', 'result_click X', 'content_view X', 'not_helpful X', 'search', 'result_click Y', 'content_view Y', 'helpful Y'] },
	{ weight: 5, steps: ['search', 'result_click X', 'content_view X', 'not_helpful X'] },
	{ weight: 3, steps: ['content_view X', 'content_view Y'] },
]

const NAMES_A = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell', 'Soylent', 'Cyberdyne', 'Aperture', 'Vandelay', 'Wonka', 'Nakatomi', 'Kintsugi', 'Sakura', 'Hikari', 'Midori', 'Yamato', 'Fuji']
const NAMES_B = ['Labs', 'Systems', 'Logistics', 'Foods', 'Studio', 'Partners', 'Health', 'Retail', 'Energy', 'Robotics']
const TAGS = ['sso', 'saml', 'billing', 'invoices', 'export', 'csv', 'import', 'api', 'webhooks', 'slack', 'jira', 'gantt', 'kanban', 'calendar', 'mobile', 'offline', 'permissions', 'guests', 'notifications', 'email', 'templates', 'recurring', 'time-tracking', 'workload', 'reports', 'dashboards', 'custom-fields', 'automation', 'security', '2fa', 'audit', 'retention', 'workspace', 'projects', 'tasks', 'subtasks', 'dependencies', 'milestones', 'search', 'performance']
const VERBS = ['export', 'import', 'share', 'archive', 'restore', 'filter', 'sort', 'sync', 'automate', 'configure', 'delete', 'rename', 'duplicate', 'assign', 'schedule']
const OBJECTS = ['a board', 'my tasks', 'a project', 'recurring tasks', 'the Gantt chart', 'custom fields', 'guest access', 'invoices', 'SSO settings', 'webhooks', 'notifications', 'the workload view', 'templates', 'milestones', 'reports']
const PLACES = ['on mobile', 'from the API', 'for a whole team', 'after switching plans', 'in a shared workspace', 'with SAML SSO', 'without admin rights', 'in bulk']

const literal = (values: string[]) => `array[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(',')}]`
const pick = (values: string[]) => `(${literal(values)})[1 + floor(random() * ${values.length})::int]`

export async function seed(sql: postgres.ReservedSql, options: SeedOptions, log: (step: string, rows: number, ms: number) => void) {
	const step = async (label: string, text: string) => {
		const started = performance.now()
		const result = await sql.unsafe(text)
		log(label, result.count ?? 0, performance.now() - started)
	}
	const now = `'${options.now.toISOString()}'::timestamptz`
	const since = `(${now} - interval '${options.days} days')`
	await sql.unsafe('select setseed(0.42)')
	// Consistent by construction: per-row foreign-key triggers would only triple the load time.
	await sql.unsafe(`set session_replication_role = replica`)

	await step('staff', `
		insert into users (id, email, display_name, handle, role, created_at)
		select 'bench-staff-' || g, 'staff' || g || '@vendor.example', 'Staff ' || g, 'staff' || g,
			(case when g <= 20 then 'cs' when g <= 24 then 'product' else 'admin' end)::role, ${now} - interval '2 years'
		from generate_series(1, 25) g`)

	await step('accounts', `
		insert into accounts (external_id, name, plan, size, industry, phase, csm_id, created_at, updated_at)
		select 'acct-' || lpad(g::text, 5, '0'), ${pick(NAMES_A)} || ' ' || ${pick(NAMES_B)} || ' ' || g,
			case when r < 0.4 then 'starter' when r < 0.75 then 'growth' when r < 0.93 then 'business' else 'enterprise' end,
			${pick(['1-10', '11-50', '51-200', '201-1000', '1000+'])}, ${pick(['software', 'retail', 'finance', 'healthcare', 'manufacturing', 'education', 'media'])},
			phase::lifecycle_phase, 'bench-staff-' || (1 + floor(random() * 20)::int),
			${now} - case phase when 'onboarding' then 5 + random() * 55 when 'adoption' then 60 + random() * 340 else 200 + random() * 600 end * interval '1 day',
			${now}
		from (select g, random() as r, case when p < 0.25 then 'onboarding' when p < 0.75 then 'adoption' else 'expansion' end as phase
			from (select g, random() as p from generate_series(1, ${options.accounts}) g) x) y`)
	await step('account domains', `
		insert into account_domains (domain, account_id)
		select lower(external_id) || '.example.com', id from accounts
		union all select lower(external_id) || '.example.jp', id from accounts where random() < 0.2`)

	// Accounts are of very different sizes: a few large customers, many small ones.
	const withAccount = Math.round(options.members * 0.9)
	await step('members', `
		with a as (select row_number() over (order by id) as n, id, external_id, created_at from accounts)
		insert into users (id, email, display_name, handle, role, account_id, created_at)
		select 'bench-m-' || g, 'member' || g || '@' || lower(a.external_id) || '.example.com', 'Member ' || g, 'member' || g, 'member'::role, a.id,
			a.created_at + random() * (${now} - a.created_at) * 0.5
		from (select g, 1 + floor(${options.accounts} * power(random(), 1.8))::int as n from generate_series(1, ${withAccount}) g) m join a using (n)
		union all
		select 'bench-m-' || g, 'person' || g || '@mail.example', 'Person ' || g, 'person' || g, 'member'::role, null, ${now} - random() * interval '400 days'
		from generate_series(${withAccount + 1}, ${options.members}) g`)

	await step('tags', `insert into tags (name) select unnest(${literal(TAGS)})`)
	// Ids follow creation time, as they would have been handed out.
	await step('questions', `
		insert into questions (author_id, title, body, slug, created_at, updated_at, last_activity_at, view_count)
		select author, title, 'We are trying to ' || lower(title) || ' Steps tried so far: checked the settings page and the help centre, no luck.',
			trim(both '-' from regexp_replace(lower(title), '[^a-z0-9]+', '-', 'g')), created_at, created_at, created_at, floor(random() * 200)::int
		from (
			select 'bench-m-' || (1 + floor(${options.members} * power(random(), 1.3))::int) as author,
				'How do I ' || ${pick(VERBS)} || ' ' || ${pick(OBJECTS)} || ' ' || ${pick(PLACES)} || '?' as title,
				${now} - ${options.days} * power(random(), 1.1) * interval '1 day' - interval '1 minute' as created_at
			from generate_series(1, ${options.questions})
		) q order by created_at`)
	await step('question tags', `
		insert into question_tags (question_id, tag_id)
		select distinct q.id, 1 + floor(power(random(), 1.5) * ${TAGS.length})::int
		from (select id, 1 + floor(random() * 3)::int as n from questions) q cross join lateral generate_series(1, q.n) k`)

	// 88 % get answers; the first one after 1 minute to 7 days (log-uniform), the rest later.
	// Answers that would lie in the future are not written: recent questions are less often answered.
	await step('answers', `
		insert into answers (question_id, author_id, body, created_at, updated_at)
		select question_id, author, 'Open Settings, then choose the option described in the guide. This worked for us.', at, at
		from (
			select q.id as question_id, q.created_at + exp(random() * ln(10080)) * interval '1 minute' * k as at,
				case when random() < 0.6 then 'bench-staff-' || (1 + floor(random() * 20)::int) else 'bench-m-' || (1 + floor(random() * ${options.members})::int) end as author
			from (select id, created_at, 1 + floor(random() * 3)::int as n from questions where random() < 0.88) q
			cross join lateral generate_series(1, q.n) k
		) a where at < ${now} order by at`)
	await step('answer figures', `
		update questions q set answer_count = a.n, first_answered_at = a.first, last_activity_at = a.last,
			accepted_answer_id = case when random() < 0.55 then a.first_id end
		from (select question_id, count(*)::int as n, min(created_at) as first, max(created_at) as last, (array_agg(id order by created_at, id))[1] as first_id
			from answers group by question_id) a
		where a.question_id = q.id`)
	await step('duplicates', `
		update questions q set closed_at = q.created_at + interval '1 day', closed_by_id = 'bench-staff-1',
			duplicate_of_question_id = greatest(1, q.id - 1 - floor(random() * 500)::int)
		where q.id % 67 = 0 and q.id > 1 and q.created_at + interval '1 day' < ${now}`)
	await step('duplicate chains', `update questions set duplicate_of_question_id = duplicate_of_question_id - 1 where duplicate_of_question_id % 67 = 0`)
	await step('me too', `
		insert into me_toos (question_id, user_id, created_at)
		select q.id, 'bench-m-' || (1 + floor(random() * ${options.members})::int), q.created_at + random() * least(interval '14 days', ${now} - q.created_at)
		from (select id, created_at, 1 + floor(random() * 4)::int as n from questions where random() < 0.25) q cross join lateral generate_series(1, q.n) k
		on conflict do nothing`)
	await step('me too (own questions)', `delete from me_toos m using questions q where q.id = m.question_id and q.author_id = m.user_id`)
	await step('me too counts', `update questions q set me_too_count = m.n from (select question_id, count(*)::int as n from me_toos group by 1) m where m.question_id = q.id`)
	await step('frequency', `
		update questions q set frequency = 1 + q.me_too_count + coalesce((select sum(1 + d.me_too_count) from questions d where d.duplicate_of_question_id = q.id), 0)::int`)

	await step('faq categories', `insert into faq_categories (name, slug, position) select 'Category ' || g, 'category-' || g, g from generate_series(1, 10) g`)
	await step('faqs', `
		insert into faqs (title, body, slug, category_id, published, published_at, position, created_at, updated_at)
		select 'FAQ ' || g || ': how to ' || ${pick(VERBS)} || ' ' || ${pick(OBJECTS)}, 'The answer, step by step.', 'faq-' || g, 1 + g % 10, true,
			${now} - interval '200 days', g, ${now} - interval '200 days', ${now} - interval '200 days'
		from generate_series(1, 300) g`)
	// Four published onboarding tutorials (and a draft, which does not count), then adoption and expansion ones.
	await step('tutorials', `
		insert into tutorials (title, slug, summary, phase, published, position, created_at, updated_at)
		select 'Tutorial ' || g, 'tutorial-' || g, 'Learn it step by step.',
			(case when g <= 5 then 'onboarding' when g <= 13 then 'adoption' else 'expansion' end)::lifecycle_phase, g <> 5, g,
			${now} - interval '300 days', ${now} - interval '300 days'
		from generate_series(1, 20) g`)
	await step('tutorial steps', `
		insert into tutorial_steps (tutorial_id, position, title, body)
		select t.id, k, 'Step ' || k, 'Do this, then that.' from tutorials t cross join lateral generate_series(1, 3 + t.id % 3) k`)
	// Members work through onboarding in order, a step every few hours; 40 % finish, many stop part-way.
	await step('tutorial progress', `
		insert into tutorial_progress (user_id, step_id, created_at)
		select user_id, step_id, at from (
			select u.id as user_id, s.id as step_id,
				u.created_at + (row_number() over (partition by u.id order by t.position, s.position)) * interval '3 hours' + random() * interval '2 hours' as at,
				row_number() over (partition by u.id order by t.position, s.position) as n, u.goal
			from (select id, created_at, case when r < 0.4 then 99 when r < 0.8 then floor(random() * 12)::int else 0 end as goal
				from (select id, created_at, random() as r from users where id like 'bench-m-%') x) u
			cross join tutorial_steps s join tutorials t on t.id = s.tutorial_id
			where t.phase = 'onboarding' and t.published
		) p where n <= goal and at < ${now}`)

	// ---------------------------------------------------------------- events
	await sql.unsafe(`
		create temporary table bench_events (type event_type, occurred_at timestamptz, actor_key text, user_id text, target_type text, target_id int,
			search_id uuid, query text, normalized_query text, result_count int, channel text not null default 'community', page text)`)
	const insertEvents = (label: string, select: string) => step(label, `insert into bench_events select * from (${select}) e where e.occurred_at >= ${since}`)

	const allQueries = queries()
	await sql.unsafe(`create temporary table bench_queries (n int, query text, normalized text, zero boolean)`)
	await sql.unsafe(`insert into bench_queries select * from jsonb_to_recordset($1::jsonb) as q(n int, query text, normalized text, zero boolean)`, [
		JSON.stringify(allQueries.map((q, n) => ({ n, ...q }))),
	])
	await sql.unsafe(`
		create temporary table bench_query_pool as
		select zero, array_agg(query order by n) as queries, array_agg(normalized order by n) as normalized, count(*)::int as size from bench_queries group by zero`)

	// Asking: most people search first, some find nothing, then open the ask form and post.
	await insertEvents('events: asking', `
		select e.type::event_type as type, e.at as occurred_at, q.author_id, q.author_id, e.target_type, e.target_id, e.search_id, p.queries[e.qi], p.normalized[e.qi], e.results
		from (select id, author_id, created_at, random() < 0.6 as searched, random() < 0.5 as zero, gen_random_uuid() as sid, random() as r from questions) q
		join bench_query_pool p on p.zero = q.zero
		cross join lateral (values
			('search', q.created_at - interval '6 minutes', null::text, null::int, q.sid, 1 + floor(power(q.r, 2) * p.size)::int, case when q.zero then 0 else 3 + floor(q.r * 40)::int end),
			('ask_form_opened', q.created_at - interval '3 minutes', null, null, null, null, null),
			('question_posted', q.created_at, 'question', q.id, null, null, null)
		) e(type, at, target_type, target_id, search_id, qi, results)
		where e.type <> 'search' or q.searched`)
	await insertEvents('events: answering', `
		select 'answer_posted'::event_type as type, a.created_at as occurred_at, a.author_id, a.author_id, 'answer', a.id, null::uuid, null, null, null::int from answers a
		union all
		select 'answer_accepted'::event_type, greatest(a.created_at, least(a.created_at + interval '5 hours', ${now} - interval '1 minute')), q.author_id, q.author_id, 'answer', a.id, null, null, null, null
		from questions q join answers a on a.id = q.accepted_answer_id`)
	await insertEvents('events: me too', `select 'me_too'::event_type as type, created_at as occurred_at, user_id, user_id, 'question', question_id, null::uuid, null, null, null::int from me_toos`)
	await insertEvents('events: tutorial steps', `
		select 'tutorial_step_done'::event_type as type, p.created_at as occurred_at, p.user_id, p.user_id, 'tutorial', s.tutorial_id, null::uuid, null, null, null::int
		from tutorial_progress p join tutorial_steps s on s.id = p.step_id where p.created_at >= ${since}`)

	// Self-service visits fill up the rest: members (when they exist) and anonymous visitors,
	// on content that exists at the time; popular items get most of the traffic. One in
	// five is made in the help widget, on one of about 80 pages of the product.
	const [{ n: soFar }] = (await sql.unsafe(`select count(*)::int as n from bench_events`)) as unknown as [{ n: number }]
	const remaining = Math.max(0, options.events - soFar)
	const totalWeight = SCRIPTS.reduce((sum, script) => sum + script.weight, 0)
	const perVisit = SCRIPTS.reduce((sum, script) => sum + script.weight * script.steps.length, 0) / totalWeight
	const visits = Math.ceil((remaining / perVisit) * 1.1)
	let upTo = 0
	const scriptRows = SCRIPTS.flatMap((script, i) => {
		const from = upTo
		upTo += script.weight / totalWeight
		return script.steps.map((text, pos) => {
			const [type, slot] = text.split(' ')
			return `(${i}, ${from}, ${i === SCRIPTS.length - 1 ? 1.01 : upTo}, ${pos}, '${type}', ${slot === 'X' ? 1 : slot === 'Y' ? 2 : 0}, ${slot === 'zero'})`
		})
	})
	await sql.unsafe(`create temporary table bench_scripts (script int, lo float8, hi float8, pos int, type text, slot int, zero boolean)`)
	await sql.unsafe(`insert into bench_scripts values ${scriptRows.join(',')}`)
	await sql.unsafe(`
		create temporary table bench_day_questions as
		select d as day, coalesce((select max(id) from questions where created_at < d), 0) as max_id
		from generate_series(date_trunc('day', ${since}), ${now}, interval '1 day') d`)
	await step('visits', `
		create temporary table bench_visits as
		select v.n, v.pick, coalesce(m.id, v.visitor) as actor_key, m.id as user_id, gen_random_uuid() as search_id, v.qr1, v.qr2, v.x_type, v.y_type, v.r1, v.r2, v.widget_page,
			greatest(m.created_at, ${since}) + v.t * (${now} - interval '15 minutes' - greatest(m.created_at, ${since})) as at
		from (
			select n, random() as pick, random() < 0.55 as member, 'bench-m-' || (1 + floor(${options.members} * power(random(), 1.5))::int) as candidate,
				'visitor:' || md5('visitor' || floor(random() * 80000))::uuid as visitor, random() as t, random() as qr1, random() as qr2, random() as r1, random() as r2,
				${pick(['question', 'question', 'question', 'faq', 'faq', 'tutorial'])} as x_type, ${pick(['question', 'question', 'faq', 'faq', 'tutorial'])} as y_type,
				case when random() < 0.2 then '/app/' || ${pick(TAGS)} || (array['', '/settings'])[1 + floor(random() * 2)::int] end as widget_page
			from generate_series(1, ${visits}) n
		) v left join users m on v.member and m.id = v.candidate`)
	await insertEvents('events: self-service', `
		select s.type::event_type as type, v.at + ((s.pos * 90) + floor(random() * 60)) * interval '1 second' as occurred_at, v.actor_key, v.user_id,
			case when s.slot = 1 then v.x_type when s.slot = 2 then v.y_type end,
			case s.slot
				when 1 then case v.x_type when 'question' then 1 + floor(power(v.r1, 3) * greatest(d.max_id, 1))::int when 'faq' then 1 + floor(power(v.r1, 2) * 300)::int else 1 + floor(v.r1 * 20)::int end
				when 2 then case v.y_type when 'question' then 1 + floor(power(v.r2, 3) * greatest(d.max_id, 1))::int when 'faq' then 1 + floor(power(v.r2, 2) * 300)::int else 1 + floor(v.r2 * 20)::int end
			end,
			case when s.type in ('search', 'result_click') then v.search_id end,
			case when s.type = 'search' then p.queries[1 + floor(power(case when s.zero then v.qr2 else v.qr1 end, 2) * p.size)::int] end,
			case when s.type = 'search' then p.normalized[1 + floor(power(case when s.zero then v.qr2 else v.qr1 end, 2) * p.size)::int] end,
			case when s.type = 'search' then case when s.zero then 0 else 2 + floor(v.qr1 * 60)::int end end,
			case when v.widget_page is null then 'community' else 'widget' end, v.widget_page
		from bench_visits v
		join bench_scripts s on v.pick >= s.lo and v.pick < s.hi
		join bench_day_questions d on d.day = date_trunc('day', v.at)
		left join bench_query_pool p on s.type = 'search' and p.zero = s.zero
		order by v.n, s.pos
		limit ${remaining}`)

	await step('events (in time order)', `
		insert into events (type, occurred_at, actor_key, user_id, account_id, target_type, target_id, search_id, query, normalized_query, result_count, channel, page)
		select e.type, e.occurred_at, e.actor_key, e.user_id, u.account_id, e.target_type, e.target_id, e.search_id, e.query, e.normalized_query, e.result_count, e.channel, e.page
		from bench_events e left join users u on u.id = e.user_id
		where e.occurred_at >= ${since}
		order by e.occurred_at`)
	await step('content feedback', `
		insert into content_feedback (target_type, target_id, voter_key, user_id, visitor_id, helpful, reason, created_at, updated_at)
		select distinct on (target_type, target_id, actor_key) target_type::feedback_target, target_id, actor_key, user_id,
			case when user_id is null then substr(actor_key, 9) end, type = 'helpful',
			case when type = 'not_helpful' then ${pick(['not_my_problem', 'unclear', 'outdated', 'did_not_work', 'other'])} end, occurred_at, occurred_at
		from events where type in ('helpful', 'not_helpful')
		order by target_type, target_id, actor_key, occurred_at desc`)
	await step('last seen', `update users u set last_seen_at = e.at from (select user_id, max(occurred_at) as at from events where user_id is not null group by 1) e where e.user_id = u.id`)
	await sql.unsafe(`drop table bench_events, bench_queries, bench_query_pool, bench_scripts, bench_day_questions, bench_visits`)
	await sql.unsafe(`reset session_replication_role`)
	await step('analyze', 'analyze')
}
