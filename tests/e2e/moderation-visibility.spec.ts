import { question } from '../support/factories'
import { createUser, expect, signIn, test, unique } from './support'

test('cs hides a question with a reason on its page: the author sees why, an anonymous visitor gets 404, and it comes back on restore', async ({ browser }) => {
	const asker = await createUser('member')
	const title = `Timeline export loses colours ${unique('hide')}`
	const asked = await question(asker, { title })

	const cs = await (await browser.newContext({ viewport: { width: 390, height: 800 } })).newPage()
	await signIn(cs, await createUser('cs'))
	await cs.goto(asked.url)
	const tools = cs.getByTestId(`moderate-question-${asked.id}`)
	await tools.locator('summary').click()
	// Hiding needs a reason: the author is shown it.
	await tools.getByRole('button', { name: 'Hide' }).click()
	await expect(tools.getByText('Give a reason: the author sees it')).toBeVisible()
	await tools.getByLabel('Reason (the author sees it)').fill('Shares a customer’s invoice number')
	await tools.getByRole('button', { name: 'Hide' }).click()
	await expect(cs.getByTestId('post-notice')).toContainText('Hidden by staff: Shares a customer’s invoice number')
	expect(await cs.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)

	const author = await (await browser.newContext()).newPage()
	await signIn(author, asker)
	await author.goto(asked.url)
	await expect(author.getByRole('heading', { level: 1, name: title })).toBeVisible()
	await expect(author.getByTestId('post-notice')).toContainText('Hidden by staff: Shares a customer’s invoice number')
	await expect(author.getByTestId(`moderate-question-${asked.id}`)).toHaveCount(0)

	const visitor = await (await browser.newContext()).newPage()
	expect((await visitor.goto(asked.url))!.status()).toBe(404)
	await visitor.goto('/questions')
	await expect(visitor.getByRole('link', { name: title })).toHaveCount(0)

	// The tools stay open after the page reloads its data, now offering to restore.
	await tools.getByRole('button', { name: 'Restore' }).click()
	await expect(cs.getByTestId('post-notice')).toHaveCount(0)
	expect((await visitor.goto(asked.url))!.status()).toBe(200)
	await expect(visitor.getByRole('heading', { level: 1, name: title })).toBeVisible()
})

test('a locked thread says why and has no answer form, in English and Japanese', async ({ browser }) => {
	const asked = await question(await createUser('member'), { title: `Sprint burndown stuck at zero ${unique('lock')}` })
	const cs = await (await browser.newContext()).newPage()
	await signIn(cs, await createUser('cs'))
	await cs.goto(asked.url)
	const tools = cs.getByTestId(`moderate-question-${asked.id}`)
	await tools.locator('summary').click()
	await tools.getByLabel('Reason (the author sees it)').fill('Fixed in release 4.2')
	await tools.getByRole('button', { name: 'Lock' }).click()
	await expect(cs.getByTestId('locked-notice')).toContainText('This thread is locked: Fixed in release 4.2')

	const member = await (await browser.newContext()).newPage()
	await signIn(member, await createUser('member'))
	await member.goto(asked.url)
	await expect(member.getByTestId('locked-notice')).toContainText('This thread is locked: Fixed in release 4.2')
	await expect(member.getByRole('heading', { name: 'Your answer' })).toHaveCount(0)
	await expect(member.getByRole('button', { name: 'Post your answer' })).toHaveCount(0)

	const japanese = await (await browser.newContext({ locale: 'ja' })).newPage()
	await japanese.goto(asked.url)
	await expect(japanese.getByTestId('locked-notice')).toContainText('このスレッドはロックされています: Fixed in release 4.2')
})
