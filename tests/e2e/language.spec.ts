import { expect, test } from './support'

test('the interface switches to Japanese and remembers it', async ({ page }) => {
	await page.goto('/')
	await expect(page.getByRole('link', { name: 'Ask a question' })).toBeVisible()
	await page.getByRole('button', { name: '日本語' }).click()
	await expect(page.getByRole('link', { name: '質問する' })).toBeVisible()
	await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
	await page.goto('/questions')
	await expect(page.getByRole('heading', { name: 'すべての質問' })).toBeVisible()
	await page.getByRole('button', { name: 'English' }).click()
	await expect(page.getByRole('heading', { name: 'All questions' })).toBeVisible()
})

test('a Japanese browser gets Japanese without choosing', async ({ browser }) => {
	const context = await browser.newContext({ locale: 'ja-JP' })
	const page = await context.newPage()
	await page.goto('/')
	await expect(page.getByRole('heading', { name: 'どのようなことでお困りですか？' })).toBeVisible()
	await context.close()
})
