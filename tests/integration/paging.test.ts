import { sql } from 'drizzle-orm'
import { parse } from 'csv-parse/sync'
import { beforeEach, describe, expect, it } from 'vitest'
import { getAccount, listAccounts } from '../../app/accounts/accounts.server'
import { createI18n } from '../../app/i18n/i18n'
import { exportTable } from '../../app/insights/csv.server'
import { accountsPage } from '../../app/insights/dashboard.server'
import { learnedPhrasingsPage } from '../../app/knowledge/phrasings.server'
import { loader as insightsAccountsApi } from '../../app/routes/api.v1.insights.accounts'
import { readPage } from '../../app/utils/paging'
import { webhookLog } from '../../app/webhooks/webhooks.server'
import { db } from '../../db/client.server'
import { person } from '../support/factories'
import { resetData } from '../support/reset'

/** `count` accounts named "Account 00001"… in SQL, so that names sort as numbers; every third on the "pro" plan. */
async function seedAccounts(count: number) {
	await db.execute(sql`
		insert into accounts (external_id, name, plan, phase)
		select 'crm-' || i, 'Account ' || lpad(i::text, 5, '0'), case when i % 3 = 0 then 'pro' else 'basic' end, 'adoption'
		from generate_series(1, ${count}) i`)
}

/** Members of the accounts, `perAccount` each, for the accounts with ids up to `accounts`. */
async function seedMembers(accounts: number, perAccount: number) {
	await db.execute(sql`
		insert into users (id, email, display_name, handle, role, account_id)
		select 'u-' || a || '-' || m, 'm' || m || '@a' || a || '.example.test', 'Member ' || lpad(m::text, 3, '0'), 'member_' || a || '_' || m, 'member', a
		from generate_series(1, ${accounts}) a, generate_series(1, ${perAccount}) m`)
}

async function callApi(actor: unknown, query: string) {
	const request = new Request(`http://kizuna.test/api/v1/insights/accounts?${query}`)
	const response = (await insightsAccountsApi({ request, context: { actor }, params: {} } as never)) as Response
	return { status: response.status, body: await response.json() }
}

async function readAll(body: string | ReadableStream<Uint8Array>) {
	if (typeof body === 'string') return body
	const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
	let text = ''
	const reader = body.getReader()
	for (let next = await reader.read(); !next.done; next = await reader.read()) text += decoder.decode(next.value, { stream: true })
	return text + decoder.decode()
}

const time = async <T>(run: () => Promise<T>) => {
	const started = performance.now()
	const result = await run()
	return { result, ms: Math.round(performance.now() - started) }
}

describe('paging', () => {
	beforeEach(resetData)

	it('reads ?page= leniently on pages: a bad value is the first page', () => {
		const page = (value: string) => readPage(new URLSearchParams(value))
		expect(page('')).toBe(1)
		expect(page('page=3')).toBe(3)
		for (const bad of ['page=0', 'page=-2', 'page=abc', 'page=2.5', 'page=99999999999', 'page=%00', 'page=']) expect(page(bad)).toBe(1)
		expect(readPage(new URLSearchParams('phrasings=4&page=2'), 'phrasings')).toBe(4)
	})

	it('pages the accounts admin list with its filters, and shows the last page for a page past the end', async () => {
		const cs = await person('cs')
		await seedAccounts(120)
		const first = await listAccounts(cs, {}, 1)
		expect(first.page).toEqual({ page: 1, pageSize: 50, total: 120, pageCount: 3 })
		expect(first.accounts.map((a) => a.name)).toEqual(Array.from({ length: 50 }, (_, i) => `Account ${String(i + 1).padStart(5, '0')}`))
		const last = await listAccounts(cs, {}, 3)
		expect(last.accounts.map((a) => a.externalId)).toEqual(Array.from({ length: 20 }, (_, i) => `crm-${101 + i}`))
		expect((await listAccounts(cs, {}, 40)).page.page).toBe(3)
		const pro = await listAccounts(cs, { plan: 'pro' }, 1)
		expect(pro.page).toEqual({ page: 1, pageSize: 50, total: 40, pageCount: 1 })
		expect(pro.accounts.every((a) => a.plan === 'pro')).toBe(true)
	})

	it("pages an account's members", async () => {
		const cs = await person('cs')
		await seedAccounts(1)
		await seedMembers(1, 75)
		const second = await getAccount(cs, 'crm-1', 2)
		expect(second.membersPage).toEqual({ page: 2, pageSize: 50, total: 75, pageCount: 2 })
		expect(second.members.map((m) => m.displayName)).toEqual(Array.from({ length: 25 }, (_, i) => `Member ${String(51 + i).padStart(3, '0')}`))
	})

	it('pages the insights accounts table and an API client may page it too, while the CSV keeps every row', async () => {
		const analyst = await person('product')
		await seedAccounts(1200)
		const page = await accountsPage(analyst, new URLSearchParams('page=24&plan=basic'))
		expect(page.page).toEqual({ page: 16, pageSize: 50, total: 800, pageCount: 16 })
		expect(page.rows).toHaveLength(50)
		expect(page.rows.every((row) => row.plan === 'basic')).toBe(true)
		const second = await accountsPage(analyst, new URLSearchParams('page=2'))
		expect(second.rows[0]!.externalId).toBe('crm-51')

		const paged = await callApi(analyst, 'page=3&limit=100')
		expect(paged.status).toBe(200)
		expect(paged.body).toMatchObject({ total: 1200, page: 3, limit: 100 })
		expect(paged.body.accounts.map((a: { externalId: string }) => a.externalId)).toEqual(Array.from({ length: 100 }, (_, i) => `crm-${201 + i}`))
		expect(Object.keys(paged.body.accounts[0]).sort()).toEqual(
			['activeMembers', 'externalId', 'journeys', 'members', 'name', 'onboardingCompletionRate', 'phase', 'plan', 'questionsAsked', 'selfResolutionRate', 'unanswered'].sort(),
		)
		// Without page or limit, every account, as before.
		const all = await callApi(analyst, '')
		expect(all.body.total).toBe(1200)
		expect(all.body.accounts).toHaveLength(1200)
		expect(all.body.page).toBeUndefined()
		for (const [query, reason] of [
			['page=0', 'page: page must be a whole number from 1'],
			['page=abc', 'page: page must be a whole number from 1'],
			['limit=1001', 'limit: limit must be a whole number from 1 to 1000'],
			['limit=0', 'limit: limit must be a whole number from 1 to 1000'],
		]) {
			expect(await callApi(analyst, query!)).toEqual({ status: 400, body: { error: reason } })
		}

		const file = await exportTable(analyst, 'accounts', new URLSearchParams('page=2'), createI18n('en').t, '')
		expect(file.body).toBeInstanceOf(ReadableStream)
		const text = await readAll(file.body)
		expect(text.startsWith('\uFEFFCRM id,Account,')).toBe(true)
		const records = parse(text.slice(1)) as string[][]
		expect(records).toHaveLength(1 + 1200)
		expect(new Set(records.slice(1).map((record) => record[0])).size).toBe(1200)
	})

	it('pages the open alerts on the insights accounts page, following its filters, and the CSV keeps them all', async () => {
		const analyst = await person('cs')
		await seedAccounts(100)
		await db.execute(sql`
			insert into account_alerts (account_id, kind, detail, created_at, cleared_at)
			select i, 'unanswered_questions', '{"questions": 3}', now() - make_interval(mins => i), case when i = 90 then now() end
			from generate_series(1, 90) i`)
		const second = await accountsPage(analyst, new URLSearchParams('alerts=2'))
		expect(second.alertsPage).toEqual({ page: 2, pageSize: 50, total: 89, pageCount: 2 })
		expect(second.alerts.map((alert) => alert.account.externalId)).toEqual(Array.from({ length: 39 }, (_, i) => `crm-${51 + i}`))
		// The accounts table keeps its own page.
		expect(second.page.page).toBe(1)
		const pro = await accountsPage(analyst, new URLSearchParams('plan=pro&alerts=bad'))
		expect(pro.alertsPage).toEqual({ page: 1, pageSize: 50, total: 29, pageCount: 1 })
		expect(pro.alerts.every((alert) => alert.account.plan === 'pro')).toBe(true)
		const file = await exportTable(analyst, 'alerts', new URLSearchParams('alerts=2'), createI18n('en').t, '')
		expect(parse((await readAll(file.body)).slice(1))).toHaveLength(1 + 89)
	})

	it('pages learned phrasings and webhook deliveries', async () => {
		const admin = await person('admin')
		await db.execute(sql`
			insert into learned_phrasings (target_type, target_id, phrasing, normalized, count)
			select 'faq', 7, 'phrasing ' || i, 'phrasing ' || i, 100 - i from generate_series(1, 55) i`)
		await db.execute(sql`
			insert into learned_phrasing_voters (phrasing_id, user_id) select id, ${admin.id} from learned_phrasings where target_type = 'faq' and target_id = 7`)
		const phrasings = await learnedPhrasingsPage('faq', 7, 2)
		expect(phrasings.page).toEqual({ page: 2, pageSize: 50, total: 55, pageCount: 2 })
		expect(phrasings.items.map((p) => p.phrasing)).toEqual(['phrasing 51', 'phrasing 52', 'phrasing 53', 'phrasing 54', 'phrasing 55'])

		const [webhook] = (await db.execute(sql`
			insert into webhooks (url, secret, events, created_by_id) values ('https://hooks.example.com/k', 'a-shared-secret-of-32-characters', '["question.created"]', ${admin.id})
			returning id`)) as unknown as Array<{ id: number }>
		await db.execute(sql`
			insert into webhook_deliveries (webhook_id, event, payload, status, created_at)
			select ${webhook!.id}, 'question.created', '{}', 'delivered', now() - make_interval(mins => i) from generate_series(1, 130) i`)
		const log = await webhookLog(admin, webhook!.id, 3)
		expect(log.page).toEqual({ page: 3, pageSize: 50, total: 130, pageCount: 3 })
		expect(log.deliveries.map((d) => d.id)).toEqual(Array.from({ length: 30 }, (_, i) => 101 + i))
	})

	it('answers fast with 50,000 accounts', async () => {
		const staff = await person('admin')
		const seeded = await time(async () => {
			await seedAccounts(50_000)
			// Some accounts with people, so the figures have something to count.
			await seedMembers(5_000, 4)
			await db.execute(sql`analyze`)
		})
		const figures: Record<string, number> = { 'seed 50,000 accounts and 20,000 members': seeded.ms }
		const measure = async (label: string, run: () => Promise<unknown>) => {
			await run()
			const runs = []
			for (let i = 0; i < 3; i++) runs.push((await time(run)).ms)
			figures[label] = Math.max(...runs)
		}
		await measure('admin accounts, page 1', () => listAccounts(staff, {}, 1))
		await measure('admin accounts, page 1,000 (last)', () => listAccounts(staff, {}, 1000))
		await measure('admin accounts filtered by plan, last page', () => listAccounts(staff, { plan: 'pro' }, 334))
		await measure('insights accounts, page 1', () => accountsPage(staff, new URLSearchParams()))
		await measure('insights accounts, page 1,000 (last)', () => accountsPage(staff, new URLSearchParams('page=1000')))
		await measure('API accounts, page=500&limit=100', () => callApi(staff, 'page=500&limit=100'))
		const csv = await time(async () => readAll((await exportTable(staff, 'accounts', new URLSearchParams(), createI18n('en').t, '')).body))
		figures['insights accounts CSV, all 50,000 rows streamed'] = csv.ms
		const all = await time(() => callApi(staff, ''))
		figures['API accounts without paging (all 50,000)'] = all.ms
		console.log(
			`Paging with 50,000 accounts (slowest of 3 runs, ms):\n${Object.entries(figures)
				.map(([label, ms]) => `  ${label}: ${ms}`)
				.join('\n')}`,
		)
		expect(csv.result.split('\r\n').filter(Boolean)).toHaveLength(50_001)
		expect(all.result.body.accounts).toHaveLength(50_000)
		// A page must stay interactive on a busy 2-core machine.
		for (const label of Object.keys(figures).filter((name) => name.includes('page'))) expect(figures[label]).toBeLessThan(1000)
	}, 300_000)
})
