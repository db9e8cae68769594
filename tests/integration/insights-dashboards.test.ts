import { beforeEach, describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { db } from '../../db/client.server'
import { accounts, users } from '../../db/schema'
import { createAnswer } from '../../app/community/questions.server'
import { createI18n } from '../../app/i18n/i18n'
import { exportTable } from '../../app/insights/csv.server'
import { accountPage, overviewPage, suggestAccounts } from '../../app/insights/dashboard.server'
import { siteSettingDefinitions, writeSetting } from '../../app/settings/settings.server'
import { DomainError } from '../../app/utils/errors.server'
import { person, question, type Person } from '../support/factories'
import { resetData } from '../support/reset'

const ask = (author: Person, title: string) => question(author, { title, body: 'The details of this question are here.' })

describe('insights dashboards', () => {
	beforeEach(resetData)

	it('shows a bad date as a message over the last 30 days instead of failing', async () => {
		const cs = await person('cs')
		const page = await overviewPage(cs, new URLSearchParams({ from: '2026-02-30', account: '' }))
		expect(page.problem?.fieldErrors).toEqual({ from: 'from is not a real date' })
		expect(page.period.days).toBe(30)
		const refused = await overviewPage(await person('member'), new URLSearchParams({ from: '2026-02-30' })).catch((error) => error)
		expect(refused).toBeInstanceOf(DomainError)
		expect(refused.status).toBe(403)
	})

	it('suggests accounts by name or CRM id as staff type, at most ten, with LIKE wildcards taken literally', async () => {
		await db.insert(accounts).values([
			{ externalId: 'crm-100', name: 'Acme Corp' },
			{ externalId: 'crm-200', name: 'Globex 100% Cotton' },
			{ externalId: 'zz-acme', name: 'Initech' },
			...Array.from({ length: 12 }, (_, i) => ({ externalId: `bulk-${i}`, name: `Bulk ${String(i).padStart(2, '0')}` })),
		])
		const cs = await person('cs')
		expect(await suggestAccounts(cs, 'acme')).toEqual([{ externalId: 'crm-100', name: 'Acme Corp' }])
		expect((await suggestAccounts(cs, 'crm-')).map((a) => a.name)).toEqual(['Acme Corp', 'Globex 100% Cotton'])
		expect((await suggestAccounts(cs, '100%')).map((a) => a.externalId)).toEqual(['crm-200'])
		expect(await suggestAccounts(cs, '_')).toEqual([])
		expect(await suggestAccounts(cs, 'bulk')).toHaveLength(10)
		expect(await suggestAccounts(cs, '   ')).toEqual([])
		const refused = await suggestAccounts(await person('member'), 'acme').catch((error) => error)
		expect(refused).toBeInstanceOf(DomainError)
		expect(refused.status).toBe(403)
	})

	it("lists an account's questions with their status", async () => {
		const [account] = await db.insert(accounts).values({ externalId: 'crm-1', name: 'Acme', plan: 'Team', phase: 'adoption' }).returning()
		const customer = await person()
		await db.update(users).set({ accountId: account!.id }).where(eq(users.id, customer.id))
		const waiting = await ask(customer, 'Where is the export button?')
		const answered = await ask(customer, 'How do I invite a guest?')
		await createAnswer(await person('cs'), answered.id, 'Use the Invite button.')
		await db.execute(sql`update questions set created_at = now() - interval '50 hours' where id = ${waiting.id}`)

		const page = await accountPage(await person('product'), 'crm-1', new URLSearchParams())
		expect(page.account).toMatchObject({ name: 'Acme', plan: 'Team', phase: 'adoption', canManage: false })
		expect(page.questions.map((q) => [q.title, q.status, q.ageHours >= 50])).toEqual([
			['How do I invite a guest?', 'answered', false],
			['Where is the export button?', 'unanswered', true],
		])
		const unknown = await accountPage(await person('cs'), 'nope', new URLSearchParams()).catch((error) => error)
		expect(unknown.status).toBe(404)
	})

	it('exports a table as UTF-8 CSV that Excel opens as text, in the reader’s language', async () => {
		// A new member's post with a link would wait for review (and stay out of the export): this customer is established.
		await writeSetting(db, 'moderation', { ...siteSettingDefinitions.moderation.defaults, newPersonPosts: 0, newPersonHours: 0 })
		const customer = await person()
		await ask(customer, '請求書の宛名を変更したい')
		await ask(customer, '=HYPERLINK("http://evil.example") click here')
		const { t } = createI18n('ja')
		const file = await exportTable(await person('cs'), 'unanswered-topics', new URLSearchParams(), t, 'https://kizuna.example')
		expect(file.filename).toMatch(/^kizuna_unanswered-topics_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/)
		expect(typeof file.body).toBe('string')
		expect(String(file.body).startsWith('\uFEFF質問,リンク,質問された回数')).toBe(true)
		expect(file.body).toContain('\r\n請求書の宛名を変更したい,https://kizuna.example/questions/')
		expect(file.body).toContain(`"'=HYPERLINK(""http://evil.example"") click here"`)
		const refused = await exportTable(customer, 'accounts', new URLSearchParams(), t, '').catch((error) => error)
		expect(refused.status).toBe(403)
	})
})
