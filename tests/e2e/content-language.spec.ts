import { createQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { createFaq, setFaqPublished } from '../../app/knowledge/faqs.server'
import { linkTranslation } from '../../app/knowledge/translations.server'
import { faqSchema } from '../../app/knowledge/validation'
import { createUser, expect, runJobs, signIn, test, unique } from './support'

const marker = () => unique('lang').replace(/[^a-z0-9]/g, '')

/** One English and one Japanese thread, asked by staff (no holds), the Japanese one last (newest). */
async function twoThreads() {
	const cs = await createUser('cs')
	const tag = marker().slice(-20)
	const english = `Export the board to CSV ${marker()}`
	const japanese = `ボードを CSV に書き出す ${marker()}`
	await createQuestion(cs, questionSchema.parse({ title: english, body: 'How do I export the whole board?', tags: [tag] }))
	await createQuestion(cs, questionSchema.parse({ title: japanese, body: 'ボード全体を書き出す方法は？', tags: [tag] }))
	return { tag, english, japanese }
}

async function faqPair() {
	const cs = await createUser('cs')
	const english = await createFaq(cs, faqSchema.parse({ title: `How do I change my plan? ${marker()}`, body: 'Open Settings → Billing → Plan.', language: 'en' }))
	const japanese = await createFaq(cs, faqSchema.parse({ title: `プランを変更するには？ ${marker()}`, body: '設定 → 請求 → プラン を開きます。', language: 'ja' }))
	await setFaqPublished(cs, english.id, true)
	await setFaqPublished(cs, japanese.id, true)
	await linkTranslation(cs, 'faq', japanese.id, english.id)
	return { english, japanese }
}

test('an English reader sees English threads and can switch to every language, English first', async ({ page }) => {
	const { tag, english, japanese } = await twoThreads()
	await page.goto(`/questions?tag=${tag}`)
	const titles = page.getByTestId('question-summary').getByRole('heading')
	await expect(titles).toHaveText([english])
	await expect(page.getByTestId('language-scope')).toContainText('Showing content in English')
	await page.getByTestId('language-all').click()
	await expect(page).toHaveURL(new RegExp(`tag=${tag}.*lang=all|lang=all.*tag=${tag}`))
	await expect(titles).toHaveText([english, japanese])
	await page.getByTestId('language-only').click()
	await expect(titles).toHaveText([english])
})

test('a Japanese reader sees the Japanese threads, and is told when a language has nothing', async ({ browser }) => {
	const { tag, japanese } = await twoThreads()
	const context = await browser.newContext({ locale: 'ja-JP' })
	const page = await context.newPage()
	await page.goto(`/questions?tag=${tag}`)
	await expect(page.getByTestId('question-summary').getByRole('heading')).toHaveText([japanese])
	await page.goto(`/questions?tag=${tag}&sort=solved`)
	await expect(page.getByTestId('language-empty')).toContainText('日本語のコンテンツはまだありません。')
	await page.goto('/')
	await expect(page.getByTestId('home-frequent').locator('h3[lang="ja"]').first()).toBeVisible()
	await expect(page.getByTestId('home-frequent').locator('h3[lang="en"]')).toHaveCount(0)
	await context.close()
})

test('an FAQ’s language switch goes to its translation, and the English search shows the English version', async ({ page }) => {
	const { english, japanese } = await faqPair()
	await runJobs()
	await page.goto(english.url)
	await page.getByTestId('article-languages').getByRole('link', { name: '日本語' }).click()
	await expect(page).toHaveURL(new RegExp(`/faq/${japanese.id}/`))
	await expect(page.getByTestId('article-languages').getByRole('link', { name: 'English' })).toHaveAttribute('href', english.url)

	const hits = page.getByTestId('search-hit')
	await expect(async () => {
		await page.goto(`/search?q=${encodeURIComponent('プラン 変更')}&lang=all`)
		await expect(hits.filter({ hasText: 'How do I change my plan?' })).toHaveCount(1, { timeout: 1000 })
	}).toPass({ timeout: 20_000 })
	await expect(hits.filter({ hasText: 'プランを変更するには' })).toHaveCount(0)
})

test('staff translate an FAQ from its page: a linked draft in Japanese, shown on the original once published', async ({ page }) => {
	const cs = await createUser('cs')
	const title = `How do I archive a board? ${marker()}`
	const made = await createFaq(cs, faqSchema.parse({ title, body: 'Board menu → Archive.', language: 'en' }))
	await setFaqPublished(cs, made.id, true)
	await signIn(page, cs)
	await page.goto(made.url)
	await page.getByTestId('translation-tools').getByRole('button', { name: 'Translate to 日本語' }).click()
	await expect(page).toHaveURL(/\/faq\/\d+\/edit$/)
	await expect(page.getByLabel('Language', { exact: true })).toHaveValue('ja')
	await expect(page.getByLabel('Question', { exact: true })).toHaveValue(title)
	const japanese = `ボードをアーカイブするには？ ${marker()}`
	await page.getByLabel('Question', { exact: true }).fill(japanese)
	await page.getByRole('button', { name: 'Save changes' }).click()
	await expect(page.getByRole('heading', { level: 1, name: japanese })).toBeVisible()
	await expect(page.getByTestId('translation-tools')).toContainText(title)
	await page.getByRole('button', { name: 'Publish' }).click()
	await expect(page.getByRole('button', { name: 'Unpublish' })).toBeVisible()
	await page.goto(made.url)
	await expect(page.getByTestId('article-languages').getByRole('link', { name: '日本語' })).toHaveAttribute('title', japanese)
})

test('the ask form detects the language, and the author changes it on the edit form', async ({ page }) => {
	const cs = await createUser('cs')
	await signIn(page, cs)
	await page.goto('/questions/ask')
	const title = `ガントチャートを印刷したい ${marker()}`
	await page.getByLabel('Title', { exact: true }).fill(title)
	await expect(page.getByLabel('Language', { exact: true }).locator('option[value=""]')).toHaveText('Detect from the text (日本語)')
	await page.getByLabel('Details', { exact: true }).fill('A3 で印刷する方法はありますか？')
	await page.getByRole('button', { name: 'Post your question' }).click()
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
	const id = new URL(page.url()).pathname.split('/')[2]
	await page.goto(`/questions/${id}/edit`)
	await expect(page.getByLabel('Language', { exact: true })).toHaveValue('ja')
	await page.getByLabel('Language', { exact: true }).selectOption('en')
	await page.getByRole('button', { name: 'Save changes' }).click()
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
	const response = await page.request.get(`/api/v1/questions/${id}`)
	expect((await response.json()).language).toBe('en')
})

test('staff name a category in Japanese; Japanese readers see that name on the FAQ and the home page', async ({ page, browser }) => {
	const cs = await createUser('cs')
	const name = `Plans ${marker()}`
	const made = await createFaq(cs, faqSchema.parse({ title: `料金プランの違いは？ ${marker()}`, body: 'プランの比較表をご覧ください。', language: 'ja', category: name }))
	await setFaqPublished(cs, made.id, true)
	await signIn(page, cs)
	await page.goto('/faq/manage')
	const row = page.getByTestId('manage-category').filter({ has: page.locator(`input[value="${name}"]`) })
	await row.getByText('Names per language').click()
	const japanese = row.getByTestId('category-translation-ja')
	await japanese.getByLabel('Name in 日本語').fill(`料金プラン ${name}`)
	await japanese.getByRole('button', { name: 'Save' }).click()
	await expect(japanese.getByLabel('Name in 日本語')).toHaveValue(`料金プラン ${name}`)

	const reader = await (await browser.newContext({ locale: 'ja-JP' })).newPage()
	await reader.goto('/faq')
	await expect(reader.getByTestId('faq-group').getByRole('link', { name: `料金プラン ${name}` })).toBeVisible()
	await reader.goto(made.url)
	await expect(reader.locator('.faq-breadcrumb')).toContainText(`料金プラン ${name}`)
	await reader.goto('/')
	await expect(reader.getByTestId('home-categories').getByRole('link', { name: `料金プラン ${name}` })).toBeVisible()
	await reader.context().close()
})
