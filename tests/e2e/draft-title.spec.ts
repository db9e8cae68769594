import { type Page } from '@playwright/test'
import { askQuestion, createUser, expect, signIn, test, unique } from './support'

/** Fills a Markdown field and waits for its preview, so the preview's revalidation does not overlap the submission. */
async function fillMarkdown(page: Page, label: string, name: string, text: string) {
	await page.getByLabel(label, { exact: true }).fill(text)
	await expect(page.getByTestId(`${name}-preview`)).toContainText(text)
}

test('a visitor never sees the draft title of an FAQ a duplicate points to', async ({ browser, page: visitor }) => {
	test.slow()
	const staff = await (await browser.newContext()).newPage()
	await signIn(staff, await createUser('cs'))
	const word = unique('zq').replace(/[^a-z0-9]/g, '')
	const publishedTitle = `Archive a finished project ${word}`
	const draftTitle = `Unannounced: projects will be deleted after 90 days ${word}`

	await staff.goto('/faq/new')
	await staff.getByLabel('Question', { exact: true }).fill(publishedTitle)
	await staff.getByLabel('Category', { exact: true }).fill('Projects')
	await fillMarkdown(staff, 'Answer', 'body', 'Open the project settings and choose Archive.')
	await staff.getByRole('button', { name: 'Save draft' }).click()
	await expect(staff.getByRole('heading', { level: 1, name: publishedTitle })).toBeVisible()
	await staff.getByRole('button', { name: 'Publish' }).click()
	await expect(staff.getByRole('button', { name: 'Unpublish' })).toBeVisible()
	const faqUrl = staff.url()

	const questionUrl = await askQuestion(staff, { title: `Where do old projects go ${word}`, body: 'I want to put a finished project away.' })
	const closeForm = staff.locator('.close-duplicate')
	await closeForm.locator('summary').click()
	await staff.getByLabel('Duplicate of').selectOption('faq')
	await staff.getByLabel('Number or link').fill(faqUrl)
	await closeForm.locator('form').getByRole('button', { name: 'Close as duplicate' }).click()
	await expect(staff.getByTestId('duplicate-banner').getByRole('link', { name: publishedTitle })).toBeVisible()

	// Unpublished, then renamed while it is a draft.
	await staff.goto(faqUrl)
	await staff.getByRole('button', { name: 'Unpublish' }).click()
	await expect(staff.getByRole('button', { name: 'Publish' })).toBeVisible()
	await staff.getByRole('link', { name: 'Edit' }).click()
	await staff.getByLabel('Question', { exact: true }).fill(draftTitle)
	await fillMarkdown(staff, 'Answer', 'body', 'Draft: not decided yet.')
	await staff.getByRole('button', { name: 'Save changes' }).click()
	await expect(staff.getByRole('heading', { level: 1, name: draftTitle })).toBeVisible()

	await visitor.goto(questionUrl)
	const banner = visitor.getByTestId('duplicate-banner')
	await expect(banner).toContainText(publishedTitle)
	await expect(banner.getByRole('link')).toHaveCount(0)
	await expect(visitor.locator('body')).not.toContainText(draftTitle)

	// Staff see the draft as it is.
	await staff.goto(questionUrl)
	await expect(staff.getByTestId('duplicate-banner').getByRole('link', { name: draftTitle })).toBeVisible()
})
