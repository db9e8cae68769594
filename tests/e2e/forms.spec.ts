import type { Page } from '@playwright/test'
import { createUser, expect, signIn, test } from './support'

/** Counts the form posts a page sends, to tell a message shown in the browser from one the server sent back. */
function countPosts(page: Page) {
	const posts = { count: 0 }
	page.on('request', (request) => {
		if (request.method() === 'POST' && !request.url().includes('/resources/')) posts.count++
	})
	return posts
}

test('the ask form says what is wrong before it is sent, and the server says the same without JavaScript', async ({ browser }) => {
	const user = await createUser('member')

	const page = await (await browser.newContext()).newPage()
	await signIn(page, user)
	await page.goto('/questions/ask')
	const posts = countPosts(page)
	await page.getByLabel('Title').fill('Hi')
	await page.getByLabel('Title').blur()
	await expect(page.getByText('The title needs at least 5 characters')).toBeVisible()
	await expect(page.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true')
	await page.getByLabel('Details').fill('short')
	await page.getByRole('button', { name: 'Post your question' }).click()
	await expect(page.getByText('Describe your question in at least 10 characters')).toBeVisible()
	expect(posts.count).toBe(0)
	// Corrected as it is typed.
	await page.getByLabel('Title').fill('How do I export a board?')
	await expect(page.getByText('The title needs at least 5 characters')).toBeHidden()
	await expect(page.getByLabel('Title')).not.toHaveAttribute('aria-invalid', 'true')
	await page.context().close()

	const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage()
	await signIn(plain, user)
	await plain.goto('/questions/ask')
	await plain.getByLabel('Title').fill('Hi')
	await plain.getByLabel('Details').fill('A long enough description of the problem.')
	await plain.getByRole('button', { name: 'Post your question' }).click()
	await expect(plain.getByText('Please correct the highlighted fields.')).toBeVisible()
	await expect(plain.getByText('The title needs at least 5 characters')).toBeVisible()
	await expect(plain.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true')
	// What was typed comes back with the page.
	await expect(plain.getByLabel('Details')).toHaveValue('A long enough description of the problem.')
	await plain.context().close()
})

test('a tutorial step without a title is refused on that step, in the browser and without JavaScript', async ({ browser }) => {
	const staffUser = await createUser('cs')

	const page = await (await browser.newContext()).newPage()
	await signIn(page, staffUser)
	await page.goto('/tutorials/new')
	const posts = countPosts(page)
	await page.getByRole('button', { name: 'Add step' }).click()
	await page.getByLabel('Step 2 title').fill('x'.repeat(5))
	await page.getByLabel('Step 2 title').fill('')
	await page.getByLabel('Step 2 title').blur()
	await expect(page.getByText('Give the step a title')).toBeVisible()
	await expect(page.getByLabel('Step 2 title')).toHaveAttribute('aria-invalid', 'true')
	await expect(page.getByLabel('Step 1 title')).not.toHaveAttribute('aria-invalid', 'true')
	expect(posts.count).toBe(0)
	await page.context().close()

	const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage()
	await signIn(plain, staffUser)
	await plain.goto('/tutorials/new')
	await plain.getByLabel('Title', { exact: true }).fill('Invite your team')
	await plain.getByLabel('Summary').fill('Bring your colleagues in.')
	await plain.getByLabel('Step 1 title').fill('Open the members page')
	await plain.getByLabel('Step 1 instructions').fill('Go to Settings → Members.')
	// Adding a step is a round trip to the server that keeps what was typed.
	await plain.getByRole('button', { name: 'Add step' }).click()
	await expect(plain.getByTestId('step-editor')).toHaveCount(2)
	await expect(plain.getByLabel('Step 1 title')).toHaveValue('Open the members page')
	await plain.getByLabel('Step 2 instructions').fill('Type their email addresses.')
	await plain.getByRole('button', { name: 'Create tutorial' }).click()
	await expect(plain.getByTestId('step-editor').nth(1).getByText('Give the step a title')).toBeVisible()
	await expect(plain.getByLabel('Step 2 title')).toHaveAttribute('aria-invalid', 'true')
	await expect(plain.getByLabel('Step 2 instructions')).toHaveValue('Type their email addresses.')
	await plain.context().close()
})

test('without JavaScript, a group of checkboxes left unticked still says what to choose', async ({ browser }) => {
	const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage()
	await signIn(plain, await createUser('admin'))
	await plain.goto('/admin/webhooks')
	await plain.getByLabel('Payload URL').fill('https://hooks.example.com/kizuna')
	await plain.getByRole('button', { name: 'Add webhook' }).click()
	await expect(plain.getByText('Choose at least one event')).toBeVisible()
	await expect(plain.getByRole('group', { name: 'Events' })).toHaveAttribute('aria-invalid', 'true')
	await plain.context().close()
})
