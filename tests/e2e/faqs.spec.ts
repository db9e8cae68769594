import { type Browser, type Page } from '@playwright/test'
import { createUser, expect, signIn, test, unique } from './support'

const marker = () => unique('zq').replace(/[^a-z0-9]/g, '')

/**
 * Fills a Markdown field and waits for its preview: the preview is a fetcher
 * action whose revalidation must not overlap the form's own submission.
 */
async function fillMarkdown(page: Page, label: string, name: string, text: string) {
	await page.getByLabel(label, { exact: true }).fill(text)
	await expect(page.getByTestId(`${name}-preview`)).toContainText(text.replace(/[*`]/g, ''))
}

async function askQuestion(page: Page, input: { title: string; body: string; tags?: string }) {
	await page.goto('/questions/ask')
	await page.getByLabel('Title', { exact: true }).fill(input.title)
	if (input.tags) await page.getByLabel('Tags', { exact: true }).fill(input.tags)
	await fillMarkdown(page, 'Details', 'body', input.body)
	await page.getByRole('button', { name: 'Post your question' }).click()
	await expect(page.getByRole('heading', { level: 1, name: input.title })).toBeVisible()
	return page.url()
}

/** A customer, signed in. */
async function customerPage(browser: Browser) {
	const page = await (await browser.newContext()).newPage()
	await signIn(page, await createUser('member'))
	return page
}

async function writeFaq(page: Page, input: { title: string; body: string; category: string; tags: string; language: 'en' | 'ja' }) {
	await page.goto('/faq')
	await page.getByRole('link', { name: 'New FAQ' }).click()
	await page.getByLabel('Question', { exact: true }).fill(input.title)
	await page.getByLabel('Category', { exact: true }).fill(input.category)
	await page.getByLabel('Tags', { exact: true }).fill(input.tags)
	await page.getByLabel('Language', { exact: true }).selectOption(input.language)
	await fillMarkdown(page, 'Answer', 'body', input.body)
	await page.getByRole('button', { name: 'Save draft' }).click()
	await expect(page.getByRole('heading', { level: 1, name: input.title })).toBeVisible()
	await expect(page.locator('.thread-meta').getByText('Draft')).toBeVisible()
	await page.getByRole('button', { name: 'Publish' }).click()
	await expect(page.getByRole('button', { name: 'Unpublish' })).toBeVisible()
	await expect(page.locator('.thread-meta').getByText('Draft')).toHaveCount(0)
	return page.url()
}

/** Searches from the header box; indexing is asynchronous, so the results page is reloaded until the hit shows up. */
async function searchFor(page: Page, query: string, expected: string, options: { allLanguages?: boolean } = {}) {
	await page.getByRole('combobox', { name: 'Search' }).fill(query)
	await page.getByRole('combobox', { name: 'Search' }).press('Enter')
	await expect(page).toHaveURL(/\/search\?q=/)
	// Results are in the UI language unless the reader asks for every language.
	if (options.allLanguages) {
		await page.getByTestId('language-all').click()
		await expect(page).toHaveURL(/lang=all/)
	}
	const hits = page.getByTestId('search-hit')
	await expect(async () => {
		await page.reload()
		await expect(hits.first()).toContainText(expected, { timeout: 1000 })
	}).toPass({ timeout: 20_000 })
	return hits.first()
}

test('CS writes and publishes FAQs; a customer finds them in English and Japanese and says they helped', async ({ browser }) => {
	const staffPage = await (await browser.newContext()).newPage()
	await signIn(staffPage, await createUser('cs'))
	const word = marker()
	// Other specs search for billing words in the same database: these FAQs stay off that topic.
	const english = `How do I require two-factor authentication for everyone ${word}`
	const englishUrl = await writeFaq(staffPage, {
		title: english,
		body: 'Open **Settings → Security → Two-factor authentication** and turn on **Require for all members**.',
		category: 'Security',
		tags: 'security, 2fa',
		language: 'en',
	})
	const japanese = `二段階認証を全員に必須にするには ${word}`
	await writeFaq(staffPage, {
		title: japanese,
		body: '**設定 → セキュリティ → 二段階認証** で **全メンバーに必須** をオンにします。',
		category: 'security',
		tags: 'security',
		language: 'ja',
	})
	await staffPage.goto('/faq')
	const security = staffPage.getByTestId('faq-group').filter({ has: staffPage.getByRole('link', { name: 'Security', exact: true }) })
	await expect(security.getByTestId('faq-item').filter({ hasText: word })).toHaveText([english])
	await staffPage.getByTestId('language-all').click()
	await expect(security.getByTestId('faq-item').filter({ hasText: word })).toHaveText([english, japanese])

	const customer = await customerPage(browser)
	const hit = await searchFor(customer, `two-factor everyone ${word}`, english)
	await hit.locator('h2 a').click()
	await expect(customer.getByRole('heading', { level: 1, name: english })).toBeVisible()
	await expect(customer.locator('.faq-answer strong').first()).toHaveText('Settings → Security → Two-factor authentication')
	await expect(customer.getByRole('button', { name: 'Publish' })).toHaveCount(0)
	await customer.getByRole('button', { name: 'Yes' }).click()
	await expect(customer.getByText('Glad it helped. Thanks for letting us know!')).toBeVisible()

	const japaneseHit = await searchFor(customer, `二段階認証 必須 ${word}`, japanese, { allLanguages: true })
	await japaneseHit.locator('h2 a').click()
	await expect(customer.getByRole('heading', { level: 1, name: japanese })).toBeVisible()
	await customer.getByRole('button', { name: 'Yes' }).click()
	await expect(customer.getByText('Glad it helped. Thanks for letting us know!')).toBeVisible()

	await staffPage.goto(englishUrl)
	await expect(staffPage.getByTestId('feedback-summary')).toContainText('100% found this helpful (1 yes, 0 no)')
})

test('drafts stay hidden from customers, and staff can restore an older revision', async ({ browser }) => {
	const staffPage = await (await browser.newContext()).newPage()
	await signIn(staffPage, await createUser('cs'))
	const title = `Can guests see private boards ${marker()}`
	await staffPage.goto('/faq/new')
	await staffPage.getByLabel('Question', { exact: true }).fill(title)
	await fillMarkdown(staffPage, 'Answer', 'body', 'Guests only see the boards they were invited to.')
	await staffPage.getByRole('button', { name: 'Save draft' }).click()
	await expect(staffPage.getByRole('heading', { level: 1, name: title })).toBeVisible()
	const draftUrl = staffPage.url()

	const customer = await customerPage(browser)
	const response = await customer.goto(draftUrl)
	expect(response?.status()).toBe(404)
	await customer.goto('/faq/new')
	await expect(customer.getByText('You are not allowed to see this page.')).toBeVisible()

	await staffPage.getByRole('link', { name: 'Edit', exact: true }).click()
	await fillMarkdown(staffPage, 'Answer', 'body', 'Guests only see boards shared with them, never private boards.')
	await staffPage.getByRole('button', { name: 'Save changes' }).click()
	await expect(staffPage.locator('.faq-answer')).toHaveText('Guests only see boards shared with them, never private boards.')
	await staffPage.getByRole('link', { name: 'History' }).click()
	await expect(staffPage.getByTestId('revision')).toHaveCount(2)
	const diff = staffPage.getByTestId('body-diff')
	await expect(diff.locator('ins').first()).toBeVisible()
	await expect(diff.locator('del').first()).toBeVisible()
	await staffPage.getByRole('button', { name: 'Restore this version' }).click()
	await expect(staffPage.locator('.faq-answer')).toHaveText('Guests only see the boards they were invited to.')
	await staffPage.getByRole('link', { name: 'History' }).click()
	await expect(staffPage.getByTestId('revision')).toHaveCount(3)
})

test('CS turns a solved thread into an FAQ', async ({ browser }) => {
	const asker = await customerPage(browser)
	const title = `How do I rename a workspace ${marker()}`
	const questionUrl = await askQuestion(asker, { title, body: 'We changed our company name and want the workspace to match.', tags: 'settings' })

	const staffPage = await (await browser.newContext()).newPage()
	await signIn(staffPage, await createUser('cs'))
	await staffPage.goto(questionUrl)
	await expect(staffPage.getByRole('button', { name: 'Make FAQ' })).toHaveCount(0)
	await fillMarkdown(staffPage, 'Answer', 'body', 'Go to **Settings → General → Workspace name** and save.')
	await staffPage.getByRole('button', { name: 'Post your answer' }).click()
	await staffPage.getByRole('button', { name: 'Accept this answer' }).click()
	await expect(staffPage.getByText('Accepted answer')).toBeVisible()

	await staffPage.getByRole('button', { name: 'Make FAQ' }).click()
	await expect(staffPage).toHaveURL(/\/faq\/\d+\/edit$/)
	await expect(staffPage.getByLabel('Question', { exact: true })).toHaveValue(title)
	await expect(staffPage.getByLabel('Answer', { exact: true })).toHaveValue('Go to **Settings → General → Workspace name** and save.')
	await expect(staffPage.getByLabel('Tags', { exact: true })).toHaveValue('settings')
	await expect(staffPage.getByLabel('Language', { exact: true })).toHaveValue('en')
	await staffPage.getByLabel('Category', { exact: true }).fill('Getting started')
	await expect(staffPage.getByTestId('body-preview')).toContainText('Go to Settings → General → Workspace name and save.')
	await staffPage.getByRole('button', { name: 'Save changes' }).click()
	await expect(staffPage.getByRole('heading', { level: 1, name: title })).toBeVisible()
	await staffPage.getByRole('button', { name: 'Publish' }).click()
	await expect(staffPage.getByRole('button', { name: 'Unpublish' })).toBeVisible()
	const faqUrl = new URL(staffPage.url()).pathname

	await asker.goto(questionUrl)
	const link = asker.getByTestId('faq-link')
	await expect(link).toContainText('Answered in the FAQ:')
	await expect(link.getByRole('link', { name: title })).toHaveAttribute('href', faqUrl)
	await expect(asker.getByTestId('feedback')).toBeVisible()
})

test('CS closes a duplicate: the original counts it, the duplicate points to it, and it can be reopened', async ({ browser }) => {
	const asker = await customerPage(browser)
	const word = marker()
	const originalTitle = `Sprint burndown counts holidays ${word}`
	const duplicateTitle = `Burndown chart ignores public holidays ${word}`
	const originalUrl = await askQuestion(asker, { title: originalTitle, body: 'Our burndown treats national holidays as working days.' })
	const duplicateUrl = await askQuestion(asker, { title: duplicateTitle, body: 'The ideal line is wrong around Golden Week.' })

	const other = await customerPage(browser)
	await other.goto(duplicateUrl)
	await other.getByRole('button', { name: 'I have this question too' }).click()
	await expect(other.getByTestId('me-too-count')).toHaveText('1 person has this question')
	await expect(other.locator('.close-duplicate')).toHaveCount(0)

	// Frequency is read through the asker, whose visits stay in the journey that asked
	// (escalated): a staff member opening the original would be a help journey resolved
	// on it, which counts once more whenever the journeys job runs in between.
	await asker.goto(originalUrl)
	await expect(asker.getByTestId('frequency')).toHaveText('Times asked: 1')

	const staffPage = await (await browser.newContext()).newPage()
	await signIn(staffPage, await createUser('cs'))

	await staffPage.goto(duplicateUrl)
	const closeForm = staffPage.locator('.close-duplicate')
	await closeForm.locator('summary').click()
	await staffPage.getByLabel('Number or link').fill(duplicateUrl)
	await closeForm.locator('form').getByRole('button', { name: 'Close as duplicate' }).click()
	await expect(closeForm.getByText('A question cannot be a duplicate of itself')).toBeVisible()

	await staffPage.getByLabel('Duplicate of').selectOption('question')
	await staffPage.getByLabel('Number or link').fill(originalUrl)
	await closeForm.locator('form').getByRole('button', { name: 'Close as duplicate' }).click()
	const banner = staffPage.getByTestId('duplicate-banner')
	await expect(banner).toContainText('This question has an answer:')
	await expect(staffPage.getByRole('heading', { name: 'Your answer' })).toHaveCount(0)

	await expect(banner.getByRole('link', { name: originalTitle })).toHaveAttribute('href', new URL(originalUrl).pathname)
	await asker.goto(originalUrl)
	// 1 for the original + 1 for the duplicate + 1 for its "me too"
	await expect(asker.getByTestId('frequency')).toHaveText('Times asked: 3')
	await expect(asker.getByText('(including duplicates)')).toBeVisible()
	await expect(asker.locator('.also-asked').getByRole('link', { name: duplicateTitle })).toBeVisible()

	await asker.goto(duplicateUrl)
	await expect(asker.getByTestId('duplicate-banner').getByRole('link', { name: originalTitle })).toBeVisible()
	// A closed duplicate takes no answer: the page offers no form and the API refuses with the reason.
	await expect(asker.getByRole('heading', { name: 'Your answer' })).toHaveCount(0)
	const duplicateId = /\/questions\/(\d+)\//.exec(duplicateUrl)![1]
	const refused = await asker.request.post(`/api/v1/questions/${duplicateId}/answers`, {
		headers: { Origin: new URL(asker.url()).origin },
		data: { body: 'Mark Golden Week as holidays in the calendar.' },
	})
	expect(refused.status()).toBe(409)
	expect(await refused.json()).toEqual({ error: 'This question was closed as a duplicate: answer the original instead' })
	await expect(asker.getByRole('button', { name: 'Reopen' })).toHaveCount(0)

	await staffPage.goto(duplicateUrl)
	await staffPage.getByRole('button', { name: 'Reopen' }).click()
	await expect(staffPage.getByTestId('duplicate-banner')).toHaveCount(0)
	await expect(staffPage.getByRole('heading', { name: 'Your answer' })).toBeVisible()
	await asker.goto(originalUrl)
	await expect(asker.getByTestId('frequency')).toHaveText('Times asked: 1')
})
