import { createUser, expect, importAccounts, signIn, test, unique } from './support'

/** `count` accounts on a plan of their own (other tests add accounts to the same database), imported in one go. */
async function importPlan(count: number) {
	const plan = unique('plan')
	const prefix = unique('crm')
	const lines = Array.from({ length: count }, (_, i) => `${prefix}-${i + 1},Paging ${plan} ${String(i + 1).padStart(3, '0')},${plan},,,adoption,`)
	expect((await importAccounts(['externalId,name,plan,size,industry,phase,domains', ...lines].join('\n'))).created).toBe(count)
	return plan
}

test('CS pages through the accounts list, keeping the filter, in English and Japanese', async ({ page }) => {
	test.slow()
	await createUser('admin')
	const plan = await importPlan(65)
	await signIn(page, await createUser('cs'))

	await page.goto(`/admin/accounts?plan=${encodeURIComponent(plan)}`)
	const rows = page.getByTestId('account-row')
	const pager = page.getByRole('navigation', { name: 'Pages of accounts' })
	await expect(rows).toHaveCount(50)
	await expect(rows.first()).toContainText(`Paging ${plan} 001`)
	await expect(pager).toContainText('Page 1 of 2')
	await expect(pager).toContainText('1–50 of 65')
	await expect(pager.getByRole('link', { name: 'Previous' })).toHaveCount(0)

	await pager.getByRole('link', { name: 'Next' }).click()
	await expect(page).toHaveURL(new RegExp(`plan=${plan}.*page=2|page=2.*plan=${plan}`))
	await expect(rows).toHaveCount(15)
	await expect(rows.first()).toContainText(`Paging ${plan} 051`)
	await expect(pager).toContainText('51–65 of 65')
	await expect(pager.getByRole('link', { name: 'Next' })).toHaveCount(0)

	await pager.getByRole('link', { name: 'Previous' }).click()
	await expect(rows.first()).toContainText(`Paging ${plan} 001`)

	// A mistyped page number shows the first page rather than an error.
	await page.goto(`/admin/accounts?plan=${encodeURIComponent(plan)}&page=banana`)
	await expect(rows).toHaveCount(50)
	await expect(pager).toContainText('Page 1 of 2')

	await page.context().addCookies([{ name: 'kz_lang', value: 'ja', url: page.url() }])
	await page.goto(`/admin/accounts?plan=${encodeURIComponent(plan)}&page=2`)
	const pagerJa = page.getByRole('navigation', { name: 'アカウントのページ' })
	await expect(pagerJa).toContainText('2 / 2 ページ')
	await expect(pagerJa).toContainText('全 65 件中 51〜65 件')
	await expect(pagerJa.getByRole('link', { name: '前へ' })).toBeVisible()
})
