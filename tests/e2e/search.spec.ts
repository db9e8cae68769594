import { askQuestion, expect, signUp, test, unique } from './support'

test('search finds questions in English and Japanese, as you type and on the results page', async ({ page }) => {
	await signUp(page)
	const marker = unique('zx').replace(/[^a-z0-9]/g, '')
	const english = `Recurring task reminders stop after daylight saving ${marker}`
	await askQuestion(page, { title: english, body: 'Our recurring reminders stopped firing after the clocks changed.', tags: 'notifications' })
	const japanese = `繰り返しタスクのリマインダーが届かなくなりました ${marker}`
	await askQuestion(page, { title: japanese, body: '毎週のリマインダーが先週から通知されません。設定は変えていません。', tags: 'notifications' })

	const box = page.getByRole('combobox', { name: 'Search' })
	await expect(async () => {
		await box.fill('')
		await box.fill(`recuring reminders ${marker}`)
		await expect(page.getByRole('listbox').getByText(english, { exact: false })).toBeVisible({ timeout: 2000 })
	}).toPass({ timeout: 15_000 })

	await box.fill(`リマインダー ${marker}`)
	await box.press('Enter')
	await expect(page).toHaveURL(/\/search\?q=/)
	// The English UI searches English content: the Japanese thread is one click away.
	await page.getByTestId('language-all').click()
	await expect(page).toHaveURL(/lang=all/)
	const hits = page.getByTestId('search-hit')
	// The Japanese question was posted a moment ago: indexing is asynchronous.
	await expect(async () => {
		await page.reload()
		await expect(hits.first()).toContainText('繰り返しタスクのリマインダー', { timeout: 1000 })
	}).toPass({ timeout: 15_000 })
	await expect(hits.first().locator('mark').first()).toBeVisible()

	await page.goto(`/search?q=${encodeURIComponent('リマインダー')}&status=solved&lang=all`)
	await expect(page.getByText('Nothing matches your search yet.')).toBeVisible()
})

test('a question pasted whole with its background is searched, its heading shortened on a phone; a longer one gets the reason', async ({ page }) => {
	await signUp(page)
	const marker = unique('zq').replace(/[^a-z0-9]/g, '')
	const title = `Export the board to CSV with custom fields ${marker}`
	await askQuestion(page, { title, body: 'The CSV export leaves out our custom fields.', tags: 'export' })
	const background =
		'Our team moved from spreadsheets to boards last quarter, and finance still builds the monthly report by hand from what we send them, so every month somebody copies cards one by one, which takes an afternoon and is easy to get wrong. '
	const pasted = `${background}How can I export the board to CSV with the custom fields included? ${marker}`
	expect(pasted.length).toBeGreaterThan(200)
	await page.setViewportSize({ width: 390, height: 844 })
	// The question was posted a moment ago: indexing is asynchronous.
	await expect(async () => {
		await page.goto('/')
		const box = page.locator('main input[name="q"]')
		await box.fill(pasted)
		await expect(box).toHaveValue(pasted)
		await box.press('Enter')
		await expect(page.getByTestId('search-hit').first()).toContainText(title, { timeout: 1000 })
	}).toPass({ timeout: 15_000 })
	const heading = page.getByRole('heading', { level: 1 })
	await expect(heading).toContainText('Our team moved')
	await expect(heading).not.toContainText(marker)
	expect((await heading.boundingBox())!.height).toBeLessThan(300)

	await page.goto(`/search?q=${'a'.repeat(501)}`)
	await expect(page.getByText('The query can have at most 500 characters')).toBeVisible()
	// A query of one unbroken word wraps in the heading instead of widening the phone's page.
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
})
