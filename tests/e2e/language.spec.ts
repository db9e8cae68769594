import { expect, importContent, test, unique } from './support'

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

test('a page of Japanese titles reaches the browser as clean UTF-8, with no NUL bytes between the renderer’s chunks', async ({ request }) => {
	const id = unique('nul').replace(/[^a-z0-9]/gi, '')
	// Short Japanese texts (titles, excerpts), each written into React's 2 KB chunks: many straddle a chunk's end.
	const excerpt = '請求書の宛名を会社名に変更する手順について、管理者の権限で設定画面から操作する方法を教えてください。'
	await importContent({
		questions: Array.from({ length: 30 }, (_, i) => ({ externalId: `q-${id}-${i}`, title: `請求書の宛名を変更したい（${i + 1}件目）${id}`, body: `${excerpt.repeat(3)}`, tags: [] })),
	})
	const response = await request.get('/questions?lang=all', { headers: { 'accept-language': 'ja' } })
	expect(response.status()).toBe(200)
	const body = await response.body()
	expect(body.toString('utf8')).toContain(`請求書の宛名を変更したい（30件目）${id}`)
	expect(body.indexOf(0)).toBe(-1)
})
