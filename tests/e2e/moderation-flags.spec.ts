import { question } from '../support/factories'
import { createUser, expect, namedUser, openAdminPage, signIn, test, unique } from './support'

test('a member flags a question on a phone, CS finds it from the header and hides it with a reason the author sees', async ({ page, browser }) => {
	const author = await namedUser('member', unique('Flagged Author'))
	const title = unique('Where do I find the hidden board settings')
	const asked = await question(author, { title })

	// A member flags it at phone width: the form fits and says what happens next.
	const phone = await (await browser.newContext({ viewport: { width: 390, height: 800 } })).newPage()
	await signIn(phone, await createUser('member'))
	await phone.goto(asked.url)
	const post = phone.locator('.question-post')
	await post.getByText('Flag', { exact: true }).click()
	await post.getByLabel('Spam').check()
	await post.getByLabel('Note for staff (required for "Other")').fill('Links to a shop')
	expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
	await post.getByRole('button', { name: 'Send flag' }).click()
	await expect(post.getByTestId('flagged')).toHaveText('Thanks, staff will review it')
	await phone.reload()
	await expect(phone.locator('.question-post').getByTestId('flagged')).toHaveText('Flagged by you')

	// The author sees no flag control on their own post, and nothing says who flagged.
	const authorPage = await (await browser.newContext()).newPage()
	await signIn(authorPage, author)
	await authorPage.goto(asked.url)
	await expect(authorPage.locator('.question-post').getByText('Flag', { exact: true })).toHaveCount(0)

	// CS sees the count in the header and opens the queue from the Admin menu.
	await signIn(page, await createUser('cs'))
	await expect(page.getByTestId('review-count')).toHaveText(/^[1-9]\d*$/)
	await openAdminPage(page, /^Review \(\d+\)$/)
	await expect(page.getByRole('heading', { level: 1, name: 'Review' })).toBeVisible()
	const item = page.getByTestId('review-item').filter({ hasText: title })
	await expect(item).toContainText('Spam × 1')
	await expect(item).toContainText('Links to a shop')
	await expect(item).toContainText('Trust: new')
	// Hiding needs the reason the author will read.
	await item.getByRole('button', { name: 'Hide post' }).click()
	await expect(item.getByText('Give a reason: the author sees it')).toBeVisible()
	await item.getByLabel('Reason (shown to the author)').fill('Advertising is not allowed here')
	await item.getByRole('button', { name: 'Hide post' }).click()
	await expect(page.getByTestId('review-done')).toHaveText('Hidden: the author sees your reason')
	// Its flags are resolved: it leaves the queue.
	await expect(item).toHaveCount(0)

	// The author reads why on their question; a visitor finds nothing there.
	await authorPage.reload()
	await expect(authorPage.getByText('Advertising is not allowed here')).toBeVisible()
	const visitor = await (await browser.newContext()).newPage()
	expect((await visitor.goto(asked.url))?.status()).toBe(404)

	// The audit log (admins) records that CS hid it.
	const admin = await (await browser.newContext()).newPage()
	await signIn(admin, await createUser('admin'))
	await admin.goto('/admin/audit?action=post.hidden')
	await expect(admin.getByTestId('audit-row').filter({ hasText: title }).first()).toContainText('Post hidden')
})

test('flags from several people hide a post by themselves until staff review it', async ({ browser }) => {
	const author = await namedUser('member', unique('Spammer'))
	const title = unique('Cheap watches for every board user')
	const asked = await question(author, { title })
	for (let i = 0; i < 3; i++) {
		const page = await (await browser.newContext()).newPage()
		await signIn(page, await createUser('member'))
		await page.goto(asked.url)
		const post = page.locator('.question-post')
		await post.getByText('Flag', { exact: true }).click()
		await post.getByLabel('Offensive').check()
		const sent = page.waitForResponse((response) => response.url().includes('/resources/flag') && response.request().method() === 'POST')
		await post.getByRole('button', { name: 'Send flag' }).click()
		expect((await sent).ok()).toBe(true)
		// The third flag hides the post from everyone but its author and staff, the flagger included.
		if (i < 2) await expect(post.getByTestId('flagged')).toHaveText('Thanks, staff will review it')
		else expect((await page.reload())?.status()).toBe(404)
	}
	// The queue and the header with its count fit a phone.
	const staff = await (await browser.newContext({ viewport: { width: 390, height: 800 } })).newPage()
	await signIn(staff, await createUser('cs'))
	await staff.goto('/admin/review')
	// On a phone the Admin menu, with its count, is in the header's menu.
	await staff.locator('label', { hasText: 'Menu' }).click()
	await expect(staff.getByTestId('review-count')).toBeVisible()
	expect(await staff.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
	const item = staff.getByTestId('review-item').filter({ hasText: title })
	await expect(item).toContainText('Offensive × 3')
	await expect(item).toContainText('Hidden from others')
	await expect(item).toContainText('Hidden automatically after flags from several people; staff will review it')
	// Flags hid it, so staff restore it or keep it hidden; only admins may suspend its author.
	await expect(item.getByRole('button', { name: 'Restore post' })).toBeVisible()
	await expect(item.getByRole('button', { name: 'Keep hidden' })).toBeVisible()
	await expect(item.getByRole('button', { name: 'Suspend author' })).toHaveCount(0)
})
