import { createUser, expect, signIn, test, unique, openAdminPage } from './support'

test('CS creates an account with a domain, and a customer who signs up with it becomes a member', async ({ page, browser }) => {
	// Two browser sessions and many pages take longer than most tests.
	test.slow()
	// On a site without an admin the first sign-up becomes admin, not a customer.
	await createUser('admin')
	await signIn(page, await createUser('cs'))
	const domain = `${unique('corp')}.test`
	const externalId = unique('crm')

	await openAdminPage(page, 'Accounts')
	await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible()
	const form = page.locator('#new-account')
	await form.getByLabel('Account name').fill('Tsubame Logistics')
	await form.getByLabel('CRM id').fill(externalId)
	await form.getByLabel('Plan').fill('Enterprise')
	await form.getByLabel('Lifecycle phase').selectOption('adoption')
	await form.getByLabel('Email domains').fill(`@${domain.toUpperCase()}`)
	await page.getByRole('button', { name: 'Create account' }).click()
	await expect(page.getByRole('heading', { level: 1, name: 'Tsubame Logistics' })).toBeVisible()
	await expect(page.getByLabel('Email domains')).toHaveValue(domain)
	await expect(page.getByText('No members yet.')).toBeVisible()

	// A second account cannot take the same domain; the form says which account has it.
	await page.goto('/admin/accounts')
	await form.getByLabel('Account name').fill('Copycat')
	await form.getByLabel('CRM id').fill(unique('crm'))
	await form.getByLabel('Email domains').fill(domain)
	await page.getByRole('button', { name: 'Create account' }).click()
	await expect(page.getByRole('alert').filter({ hasText: `Already used by another account: ${domain} (Tsubame Logistics, ${externalId})` })).toBeVisible()

	const customer = await (await browser.newContext()).newPage()
	await customer.goto('/signup')
	await customer.getByLabel('Name').fill('Yui Tanaka')
	await customer.getByLabel('Email').fill(`yui@${domain}`)
	await customer.getByLabel('Password').fill('correct horse battery')
	await customer.getByRole('button', { name: 'Sign up' }).click()
	await expect(customer.getByText('Yui Tanaka', { exact: true })).toBeVisible()
	await customer.context().close()

	await page.goto('/admin/accounts')
	const row = page.getByTestId('account-row').filter({ hasText: externalId })
	await expect(row).toContainText('Enterprise')
	await expect(row).toContainText(domain)
	await expect(row.getByRole('cell').nth(4)).toHaveText('1')

	// The list filters by lifecycle phase (and plan, CSM).
	const filters = page.locator('.account-filters')
	await filters.getByLabel('Lifecycle phase').selectOption('expansion')
	await filters.getByRole('button', { name: 'Apply' }).click()
	await expect(page).toHaveURL(/phase=expansion/)
	await expect(row).toHaveCount(0)
	await filters.getByLabel('Lifecycle phase').selectOption('adoption')
	await filters.getByLabel('Plan').selectOption('Enterprise')
	await filters.getByRole('button', { name: 'Apply' }).click()
	await expect(row).toHaveCount(1)
	await page.getByRole('link', { name: 'Clear filters' }).click()
	await expect(page).toHaveURL(/\/admin\/accounts$/)

	await row.getByRole('link', { name: 'Tsubame Logistics' }).click()
	const member = page.getByTestId('account-member')
	await expect(member).toContainText('Yui Tanaka')
	await expect(member).toContainText(`yui@${domain}`)

	await member.getByRole('button', { name: 'Remove Yui Tanaka' }).click()
	await expect(page.getByText('No members yet.')).toBeVisible()
	await page.getByLabel('Assign by email').fill(`YUI@${domain}`)
	await page.getByRole('button', { name: 'Assign', exact: true }).click()
	await expect(page.getByText('Yui Tanaka now belongs to this account.')).toBeVisible()
	await expect(page.getByTestId('account-member')).toContainText('Yui Tanaka')
})

test('members cannot see the accounts pages', async ({ page }) => {
	await signIn(page, await createUser('member'))
	await expect(page.locator('a[href="/admin/accounts"]')).toHaveCount(0)
	const response = await page.goto('/admin/accounts')
	expect(response?.status()).toBe(403)
	await expect(page.getByText('You are not allowed to see this page.')).toBeVisible()
})
