import { eq } from 'drizzle-orm'
import { db } from '../../db/client.server'
import { users } from '../../db/schema'
import { createAnswer } from '../../app/community/questions.server'
import { moderatePost } from '../../app/moderation/moderation.server'
import { question } from '../support/factories'
import { createUser, expect, signIn, test, unique } from './support'

test('a reviewer reading Japanese sees the automatic hold reason in Japanese; a new member’s edit that adds a link waits for review', async ({ page, browser }) => {
	const author = await createUser('member')
	const title = unique('Filters reset after reload')
	const asked = await question(author, { title, body: 'The board filters go away when I reload.' })

	// The author edits a link in: the post waits for review again, and says why.
	const authorPage = await (await browser.newContext()).newPage()
	await signIn(authorPage, author)
	await authorPage.goto(`/questions/${asked.id}/edit`)
	await authorPage.getByLabel('Details').fill('The fix is at https://shop.example/filters — buy it there.')
	await authorPage.getByRole('button', { name: 'Save changes' }).click()
	await expect(authorPage.getByTestId('post-notice')).toContainText('Waiting for review: Links in posts by new members are checked by staff first')
	const visitor = await (await browser.newContext()).newPage()
	expect((await visitor.goto(asked.url))?.status()).toBe(404)

	const cs = await createUser('cs')
	await signIn(page, cs)
	// Reading Japanese from now on (signIn waits for the English "Sign out").
	await db.update(users).set({ locale: 'ja' }).where(eq(users.id, cs.id))
	await page.goto('/admin/review')
	const item = page.getByTestId('review-item').filter({ hasText: title })
	await expect(item).toContainText('新しいメンバーのリンクを含む投稿は、先にスタッフが確認します')
	await expect(item).not.toContainText('Links in posts by new members')
})

test('without JavaScript, the flag form goes back to the post saying whether the flag was sent', async ({ browser }) => {
	const author = await createUser('member')
	const asked = await question(author, { title: unique('Where is the export button') })
	const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage()
	await signIn(page, await createUser('member'))
	await page.goto(asked.url)
	const post = page.locator('.question-post')

	// No reason chosen: back on the page with the form open and what to do.
	await post.getByText('Flag', { exact: true }).click()
	await post.getByRole('button', { name: 'Send flag' }).click()
	await expect(page).toHaveURL(new RegExp(`${asked.url}\\?flagRefused=question-${asked.id}$`))
	await expect(post.getByText('Your flag was not sent: choose a reason, and for “Other” say what is wrong.')).toBeVisible()

	await post.getByLabel('Spam').check()
	await post.getByRole('button', { name: 'Send flag' }).click()
	await expect(page).toHaveURL(new RegExp(`${asked.url}\\?flagged=question-${asked.id}$`))
	await expect(post.getByTestId('flagged')).toHaveText('Thanks, staff will review it')
	await expect(page.locator('body')).not.toContainText('{"flagged":true}')
})

test('a public profile shows the person’s trust level, at phone width too', async ({ browser }) => {
	const member = await createUser('member')
	const page = await (await browser.newContext({ viewport: { width: 390, height: 800 } })).newPage()
	await page.goto(`/users/${member.id}`)
	await expect(page.getByTestId('profile-trust')).toHaveText('New member')
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
	const japanese = await (await browser.newContext({ locale: 'ja' })).newPage()
	await japanese.goto(`/users/${member.id}`)
	await expect(japanese.getByTestId('profile-trust')).toHaveText('新しいメンバー')
})

test('the asker is offered no "Accept" on their own answer while it waits for review, only once it is approved', async ({ page }) => {
	const asker = await createUser('member')
	const asked = await question(asker, { title: unique('Reports show the wrong week') })
	const own = await createAnswer(asker, asked.id, 'Found it: https://docs.example/weeks explains it.')
	expect(own.state).toBe('held')
	await signIn(page, asker)
	await page.goto(asked.url)
	const answer = page.getByTestId('answer')
	await expect(answer.getByTestId('post-notice')).toBeVisible()
	await expect(answer.getByRole('button', { name: 'Accept this answer' })).toHaveCount(0)

	await moderatePost(await createUser('cs'), { type: 'answer', id: own.id }, 'approve', '')
	await page.reload()
	await answer.getByRole('button', { name: 'Accept this answer' }).click()
	await expect(answer.getByText('Accepted answer')).toBeVisible()
})
