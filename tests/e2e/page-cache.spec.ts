import { question } from '../support/factories'
import { expect, namedUser, signIn, test, unique } from './support'

test('an anonymous reader gets the cached thread, sees a new answer on reload, and its scripts run under the policy', async ({ browser }) => {
	const asker = await namedUser('member', 'Cache asker')
	const title = `Calendar sync stops after an hour ${unique('q')}`
	const { url } = await question(asker, { title, body: 'The calendar stops syncing after about an hour.' })

	const reader = await (await browser.newContext()).newPage()
	const policyErrors: string[] = []
	reader.on('console', (message) => {
		if (message.type() === 'error' && /Content.Security.Policy|nonce/i.test(message.text())) policyErrors.push(message.text())
	})
	await reader.goto(url)
	const cached = await reader.goto(url)
	expect(['memory', 'shared']).toContain(cached!.headers()['x-page-cache'])
	await expect(reader.getByRole('heading', { level: 1, name: title })).toBeVisible()

	const answerer = await (await browser.newContext()).newPage()
	await signIn(answerer, await namedUser('member', 'Cache answerer'))
	await answerer.goto(url)
	const answer = `Reconnect the calendar under Settings → Integrations ${unique('a')}`
	await answerer.getByLabel('Answer').fill(answer)
	await answerer.getByRole('button', { name: 'Post your answer' }).click()
	// Posted (the preview shows the text before that): the page moves to the new answer.
	await expect(answerer).toHaveURL(/#answer-\d+$/)

	await reader.reload()
	await expect(reader.getByText(answer)).toBeVisible()
	// Hydrated: Remix's client ran, which it only does with this response's nonce.
	await reader.waitForFunction(() => '__remixRouter' in window)
	// A page from the cache too, with a nonce of its own.
	const again = await reader.goto(url)
	expect(['memory', 'shared']).toContain(again!.headers()['x-page-cache'])
	await reader.waitForFunction(() => '__remixRouter' in window)
	expect(policyErrors).toEqual([])
})
