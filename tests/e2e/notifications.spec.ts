import { eq } from 'drizzle-orm'
import { createAnswer } from '../../app/community/questions.server'
import { db } from '../../db/client.server'
import { users } from '../../db/schema'
import { question } from '../support/factories'
import { askQuestion, createUser, expect, linkIn, mailsTo, namedUser, runJobs, signIn, test, unique } from './support'

test('an answer raises the asker’s bell; opening it marks it read and lands on the answer; mark all read', async ({ page }) => {
	const asker = await createUser('member')
	const answerer = await createUser('member')
	const asked = await question(asker, { title: `Bell question ${unique('b')}` })
	await signIn(page, asker)
	await expect(page.getByTestId('bell-count')).toHaveCount(0)

	const answer = await createAnswer(answerer, asked.id, 'Open the board menu and choose Export.')
	await runJobs()
	await page.reload()
	await expect(page.getByTestId('bell-count')).toHaveText('1')
	await expect(page.getByRole('link', { name: 'Notifications, 1 unread' })).toBeVisible()

	await page.getByTestId('bell').click()
	await expect(page).toHaveURL(/\/notifications$/)
	const item = page.getByTestId('notification')
	await expect(item).toHaveCount(1)
	await expect(item).toContainText(`${answerer.displayName} answered your question`)
	await item.getByRole('link').click()
	await expect(page).toHaveURL(new RegExp(`${asked.url}#answer-${answer.id}$`))
	await expect(page.locator(`#answer-${answer.id}`)).toBeVisible()
	await expect(page.getByTestId('bell-count')).toHaveCount(0)

	await createAnswer(answerer, asked.id, 'Or use the API export endpoint.')
	await createAnswer(await createUser('member'), asked.id, 'A third way: the CLI.')
	await runJobs()
	await page.goto('/notifications')
	await expect(page.getByTestId('bell-count')).toHaveText('2')
	// Three notifications about one thread, gathered in one group.
	await expect(page.locator('.notification-group')).toHaveCount(1)
	await expect(page.getByTestId('notification')).toHaveCount(3)
	await page.getByRole('button', { name: 'Mark all read' }).click()
	await expect(page.getByTestId('bell-count')).toHaveCount(0)
	await expect(page.getByRole('button', { name: 'Mark all read' })).toHaveCount(0)
})

test('follows and unfollows a question and a tag, and lists them in settings', async ({ page }) => {
	const tag = `tag${Date.now().toString(36)}`
	const asked = await question(await createUser('member'), { title: `Follow me ${unique('f')}`, tags: tag })
	const me = await createUser('member')
	await signIn(page, me)

	await page.goto(asked.url)
	// The button turns at once (optimistic): after the server has answered, reloading shows what it saved.
	const saved = () => page.waitForResponse((response) => response.url().includes('/resources/follow') && response.request().method() === 'POST')
	await Promise.all([saved(), page.getByRole('button', { name: 'Follow', exact: true }).click()])
	await expect(page.getByRole('button', { name: 'Unfollow', exact: true })).toBeVisible()
	await page.reload()
	await expect(page.getByRole('button', { name: 'Unfollow', exact: true })).toBeVisible()

	await page.goto(`/questions?tag=${tag}`)
	await Promise.all([saved(), page.getByRole('button', { name: 'Follow tag' }).click()])
	await expect(page.getByRole('button', { name: 'Unfollow tag' })).toBeVisible()
	await page.reload()
	await expect(page.getByRole('button', { name: 'Unfollow tag' })).toBeVisible()
	await page.goto('/tags')
	await expect(page.locator('.tag-grid li').filter({ has: page.getByRole('link', { name: tag, exact: true }) }).getByRole('button', { name: 'Unfollow tag' })).toBeVisible()

	await page.goto('/settings/following')
	await expect(page.getByTestId('followed-tags')).toContainText(tag)
	await expect(page.getByTestId('followed-questions').getByRole('link', { name: /Follow me/ })).toBeVisible()
	await Promise.all([saved(), page.getByTestId('followed-questions').getByRole('button', { name: 'Unfollow' }).click()])
	await Promise.all([saved(), page.getByTestId('followed-tags').getByRole('button', { name: 'Unfollow tag' }).click()])
	await page.reload()
	await expect(page.getByTestId('followed-questions')).toHaveCount(0)
	await expect(page.getByTestId('followed-tags')).toHaveCount(0)

	// A tag's new question reaches a follower's bell.
	await page.goto(`/questions?tag=${tag}`)
	await Promise.all([saved(), page.getByRole('button', { name: 'Follow tag' }).click()])
	await expect(page.getByRole('button', { name: 'Unfollow tag' })).toBeVisible()
	await question(await createUser('member'), { title: `New in the tag ${unique('t')}`, tags: tag })
	await runJobs()
	await page.goto('/notifications')
	await expect(page.getByTestId('notification')).toContainText('New question in a tag you follow')
})

test('typing @ and a name in the editor suggests people; choosing inserts the handle, which links to the person', async ({ page }) => {
	const name = `Zephyrine ${unique('m').replace(/[^a-z0-9]/gi, '')}`
	const target = await namedUser('member', name)
	const [row] = await db.select({ handle: users.handle }).from(users).where(eq(users.id, target.id))
	await signIn(page, await createUser('member'))
	await page.goto('/questions/ask')
	const details = page.getByLabel('Details')
	await details.click()
	await details.pressSequentially('Could @zephyr')
	const option = page.getByRole('listbox', { name: 'People to mention' }).getByRole('option').filter({ hasText: name })
	await expect(option).toBeVisible()
	await page.keyboard.press('Escape')
	await expect(page.getByRole('listbox', { name: 'People to mention' })).toHaveCount(0)
	await details.pressSequentially('i')
	await expect(option).toBeVisible()
	await expect(option).not.toContainText('@example.test')
	await page.keyboard.press('ArrowDown')
	await page.keyboard.press('ArrowUp')
	// Several Zephyrines from other tests may be listed: pick ours by keyboard.
	const options = page.getByRole('option')
	const count = await options.count()
	for (let i = 0; i < count; i++) {
		if ((await options.nth(i).getAttribute('aria-selected')) === 'true' && (await options.nth(i).textContent())?.includes(name)) break
		await page.keyboard.press('ArrowDown')
	}
	await page.keyboard.press('Enter')
	await expect(details).toHaveValue(`Could @${row!.handle} `)
	await expect(details).not.toHaveAttribute('aria-controls')
	await expect(page.getByRole('listbox', { name: 'People to mention' })).toHaveCount(0)
	await expect(page.getByTestId('body-preview').getByRole('link', { name: `@${row!.handle}` })).toHaveAttribute('href', `/u/${row!.handle}`)
})

test('an answer posted in the browser reaches the asker twice: the bell, and a mail whose link opens the answer', async ({ page, browser }) => {
	const asker = await createUser('member')
	const answerer = await createUser('member')
	await signIn(page, asker)
	const title = `Mail loop ${unique('m')}`
	const questionUrl = await askQuestion(page, { title, body: 'Where do I change the invoice address?' })

	const answererContext = await browser.newContext()
	const answererPage = await answererContext.newPage()
	await signIn(answererPage, answerer)
	await answererPage.goto(questionUrl)
	await answererPage.getByLabel('Answer').fill('Settings → Billing → Invoice address.')
	await answererPage.getByRole('button', { name: 'Post your answer' }).click()
	await expect(answererPage.getByText('Settings → Billing → Invoice address.')).toBeVisible()
	await answererContext.close()

	const [mail] = await mailsTo(asker.email)
	expect(mail!.subject).toBe(`${answerer.displayName} answered your question “${title}”`)
	// The answer itself is in the mail, so the asker may not even need to open the site.
	expect(mail!.text).toContain('Settings → Billing → Invoice address.')
	expect(mail!.html).toContain('Settings → Billing → Invoice address.')
	// mailparser folds List-* headers into one object: the raw line is what a mail client reads.
	expect(mail!.headerLines.find((line) => line.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
	await page.reload()
	await expect(page.getByTestId('bell-count')).toHaveText('1')

	await page.goto(linkIn(mail!, '/questions/'))
	await expect(page.getByText('Settings → Billing → Invoice address.')).toBeVisible()
	expect(new URL(page.url()).hash).toMatch(/^#answer-\d+$/)
})
