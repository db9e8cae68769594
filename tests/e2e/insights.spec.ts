import fs from 'node:fs'
import { type Browser } from '@playwright/test'
import postgres from 'postgres'
import { apiToken, createUser, expect, importAccounts, runJobs, signIn, test, unique, type Person } from './support'

async function signedIn(browser: Browser, user: Person) {
	const page = await (await browser.newContext()).newPage()
	await signIn(page, user)
	return page
}

/** A customer account made the way CS load them from their CRM. */
async function importAccount() {
	const externalId = unique('acct')
	const name = `Acme ${externalId}`
	const domain = `${externalId}.example.test`
	await importAccounts(`externalId,name,plan,size,industry,phase,domains\n${externalId},${name},Enterprise,200,Manufacturing,adoption,${domain}\n`)
	return { externalId, name, domain }
}

test('a member is refused the insights pages and their CSV files', async ({ browser }) => {
	const page = await signedIn(browser, await createUser('member'))
	await expect(page.getByRole('link', { name: 'Insights' })).toHaveCount(0)
	for (const address of ['/insights', '/insights/accounts', '/insights/product']) {
		const response = await page.goto(address)
		expect(response?.status()).toBe(403)
		await expect(page.getByText('You are not allowed to see this page.')).toBeVisible()
	}
	const csv = await page.request.get('/insights/export/accounts.csv')
	expect(csv.status()).toBe(403)
	expect(await csv.text()).not.toContain('externalId')
})

test('CS sees the alert of an account whose questions wait for 48 hours and downloads the accounts CSV', async ({ browser, request }) => {
	const account = await importAccount()
	const member = await createUser('member', `${unique('pat')}@${account.domain}`)
	const token = await apiToken(member)
	for (const n of [1, 2, 3]) {
		const response = await request.post('/api/v1/questions', {
			headers: { Authorization: `Bearer ${token}` },
			data: { title: `Gantt export question ${n} ${account.externalId}`, body: 'The Gantt export stops at 100 rows for our team.' },
		})
		expect(response.status()).toBe(201)
	}
	// Three days old: past the 48 hours after which unanswered questions raise an alert.
	const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
	try {
		await sql`update questions set created_at = now() - interval '3 days' where author_id = (select id from users where lower(email) = ${member.email})`
	} finally {
		await sql.end()
	}
	await runJobs()

	const page = await signedIn(browser, await createUser('cs'))
	await page.getByRole('link', { name: 'Insights' }).click()
	await page.getByRole('navigation', { name: 'Insights' }).getByRole('link', { name: 'Accounts' }).click()
	const alert = page.getByTestId('alert').filter({ hasText: account.name })
	await expect(alert).toContainText('3+ questions unanswered after 48 hours')
	await expect(alert).toContainText('3 questions waiting')

	const download = page.waitForEvent('download')
	await page.getByRole('region', { name: /^Figures for/ }).getByRole('link', { name: 'Download CSV' }).click()
	const file = await download
	expect(file.suggestedFilename()).toMatch(/^kizuna_accounts_.*\.csv$/)
	const text = fs.readFileSync(await file.path(), 'utf8')
	expect(text.startsWith('\uFEFF')).toBe(true)
	const row = text.split('\r\n').find((line) => line.startsWith(`${account.externalId},`))
	expect(row?.split(',').slice(0, 6)).toEqual([account.externalId, account.name, 'Enterprise', 'Adoption', '', '1'])
	// Questions asked and still unanswered in the period.
	expect(row?.split(',').slice(9, 11)).toEqual(['3', '3'])

	await alert.getByRole('link', { name: account.name }).click()
	await expect(page.getByRole('heading', { level: 1, name: account.name })).toBeVisible()
	await expect(page.getByTestId('alert')).toContainText('3+ questions unanswered after 48 hours')
	await expect(page.getByTestId('figure').filter({ hasText: 'Questions asked' })).toContainText('3')
	await expect(page.getByRole('figure', { name: 'Questions asked per day' }).locator('svg')).toBeVisible()
	const questions = page.getByTestId('account-question')
	await expect(questions).toHaveCount(3)
	await expect(questions.first()).toContainText('Unanswered')
	await expect(questions.first()).toContainText('3 days ago')
})

test('product people see what customers searched for in vain', async ({ browser }) => {
	const page = await signedIn(browser, await createUser('product'))
	const nonsense = `qzxv${Date.now().toString(36)}wvk`
	await page.goto(`/search?q=${nonsense}`)
	await expect(page.getByRole('heading', { level: 1 })).toContainText(nonsense)
	await page.goto('/insights/product')
	const row = page.getByTestId('zero-result-query').filter({ hasText: nonsense })
	await expect(row.getByRole('cell').first()).toHaveText('1')
})

test('a date that does not exist is explained on the page', async ({ browser }) => {
	const page = await signedIn(browser, await createUser('cs'))
	const response = await page.goto('/insights?from=2026-02-30')
	expect(response?.status()).toBe(200)
	await expect(page.getByText('from is not a real date')).toBeVisible()
	await expect(page.getByText(/^Showing .* instead\.$/)).toBeVisible()
	await expect(page.getByTestId('figure').filter({ hasText: 'Questions asked' })).toBeVisible()
})

test('CS finds an account for the overview by typing part of its name', async ({ browser }) => {
	const account = await importAccount()
	const page = await signedIn(browser, await createUser('cs'))
	await page.goto('/insights')
	const filter = page.getByLabel('Account')
	await filter.fill(account.name.slice(0, -2))
	await expect(page.locator(`#account-suggestions option[value="${account.externalId}"]`)).toHaveText(account.name)
	await filter.fill(account.externalId)
	await page.getByRole('button', { name: 'Show' }).click()
	await expect(page.getByRole('heading', { name: `Insights for ${account.name}` })).toBeVisible()
	await expect(page.getByText(account.name, { exact: true })).toBeVisible()
})
