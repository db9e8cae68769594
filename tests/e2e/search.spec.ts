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
