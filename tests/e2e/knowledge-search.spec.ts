import { createUser, expect, importContent, signIn, signUp, test, unique } from './support'

test('typing a question title shows FAQs and tutorials that may already answer it', async ({ page }) => {
	const marker = unique('kb').replace(/[^a-z0-9]/g, '')
	const report = await importContent({
		faqs: [{ externalId: `faq-${marker}`, title: `How do I rotate my API token ${marker}?`, body: 'Settings → API → Rotate.', category: 'API', published: true }],
		tutorials: [{ externalId: `tut-${marker}`, title: `Automate boards with the API ${marker}`, phase: 'adoption', steps: [{ title: 'Create a token', body: 'Settings → API.' }] }],
	})
	expect(report.faqs).toEqual({ created: 1, updated: 0, invalid: 0 })
	await signUp(page)
	await page.getByRole('combobox', { name: 'Search' }).pressSequentially(`rotate API token ${marker}`, { delay: 20 })
	await expect(page.getByRole('option').filter({ hasText: `How do I rotate my API token ${marker}?` })).toContainText('FAQ')
	await page.goto('/questions/ask')
	await page.getByLabel('Title').pressSequentially(`rotate API token ${marker}`, { delay: 20 })
	const suggestions = page.getByTestId('ask-suggestions')
	await expect(suggestions.getByRole('link', { name: `How do I rotate my API token ${marker}?` })).toBeVisible()
	await expect(suggestions).toContainText('FAQ')
})

test('CS adds synonyms and search understands them at once', async ({ page }) => {
	const cs = await createUser('cs')
	await signIn(page, cs)
	const marker = unique('syn').replace(/[^a-z0-9]/g, '')
	await importContent({ faqs: [{ externalId: `inv-${marker}`, title: `Where do I find my invoice ${marker}?`, body: 'Settings → Billing → Invoices.', published: true }] })

	await page.goto('/admin/search')
	await page.getByLabel('Synonyms').fill('invoice, 請求書, receipt')
	await page.getByRole('button', { name: 'Save' }).click()
	await expect(page.getByText('Saved and applied to search.')).toBeVisible()

	await page.goto(`/search?q=${encodeURIComponent(`請求書 ${marker}`)}`)
	await expect(page.getByTestId('search-hit').first()).toContainText(`Where do I find my invoice ${marker}?`)

	await page.goto('/admin/search')
	await page.getByLabel('Synonyms').fill('lonely')
	await page.getByRole('button', { name: 'Save' }).click()
	await expect(page.getByText('Each synonym line needs at least two terms separated by commas')).toBeVisible()
})

test('members cannot open the search settings', async ({ page }) => {
	await signUp(page)
	const response = await page.goto('/admin/search')
	expect(response?.status()).toBe(403)
})
