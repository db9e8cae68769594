import { askQuestion, expect, signInWithForm, signUp, test, unique } from './support'

test('a customer asks with Markdown, another answers, votes and says "me too", the asker accepts', async ({ browser }) => {
	const askerPage = await (await browser.newContext()).newPage()
	await signUp(askerPage)

	await askerPage.goto('/questions/ask')
	await askerPage.getByLabel('Details').fill('Steps:\n\n1. Open **Settings**\n2. Click `Export`\n\n<script>window.injected = true</script>')
	await expect(askerPage.getByTestId('body-preview').locator('strong')).toHaveText('Settings')
	await expect(askerPage.getByTestId('body-preview')).toContainText('<script>')

	const title = `Export fails with error E-417 ${unique('q')}`
	await askerPage.getByLabel('Title').fill(title)
	await askerPage.getByLabel('Tags').fill('import-export, csv')
	await askerPage.getByRole('button', { name: 'Post your question' }).click()
	await expect(askerPage.getByRole('heading', { level: 1, name: title })).toBeVisible()
	await expect(askerPage.locator('.question-post .markdown strong')).toHaveText('Settings')
	expect(await askerPage.evaluate(() => (window as { injected?: boolean }).injected)).toBeUndefined()
	await expect(askerPage.getByRole('link', { name: 'csv', exact: true })).toBeVisible()
	const questionUrl = askerPage.url()
	expect(questionUrl).toMatch(/\/questions\/\d+\/export-fails-with-error-e-417-/)

	// The vote buttons follow the rule that refuses a vote on one's own post, which the action enforces too.
	const ownVotes = askerPage.locator('.question-post .votes')
	await expect(ownVotes.getByRole('button', { name: 'Vote up' })).toBeDisabled()
	await expect(ownVotes.getByRole('button', { name: 'Vote up' })).toHaveAttribute('title', 'You cannot vote on your own post')
	const questionId = /\/questions\/(\d+)\//.exec(questionUrl)![1]!
	const forced = await askerPage.request.post(questionUrl, {
		form: { intent: 'vote', postType: 'question', postId: questionId, value: 'up' },
		headers: { Origin: new URL(questionUrl).origin },
	})
	expect(forced.status()).toBe(403)
	await askerPage.reload()
	await expect(ownVotes.locator('.score')).toHaveText('0')

	const helperPage = await (await browser.newContext()).newPage()
	await signUp(helperPage)
	await helperPage.goto(questionUrl)
	await helperPage.getByRole('button', { name: 'I have this question too' }).click()
	await expect(helperPage.getByTestId('me-too-count')).toHaveText('1 person has this question')
	await expect(helperPage.getByRole('button', { name: 'You have this question too' })).toBeDisabled()

	const votes = helperPage.locator('.question-post .votes')
	await votes.getByRole('button', { name: 'Vote up' }).click()
	await expect(votes.locator('.score')).toHaveText('1')
	await votes.getByRole('button', { name: 'Vote down' }).click()
	await expect(votes.locator('.score')).toHaveText('-1')
	await votes.getByRole('button', { name: 'Vote up' }).click()
	await expect(votes.locator('.score')).toHaveText('1')

	await helperPage.getByLabel('Answer').fill('Use **Board → Export** instead; E-417 means the file is over 10 MB.')
	await helperPage.getByRole('button', { name: 'Post your answer' }).click()
	await expect(helperPage.getByTestId('answer')).toHaveCount(1)
	await expect(helperPage.getByTestId('answer').locator('strong')).toHaveText('Board → Export')
	await expect(helperPage.getByRole('button', { name: 'Accept this answer' })).toHaveCount(0)

	await askerPage.reload()
	await expect(askerPage.locator('.question-post .votes .score')).toHaveText('1')
	await expect(askerPage.locator('.question-post .votes').getByRole('button', { name: 'Vote up' })).toBeDisabled()
	await askerPage.getByRole('button', { name: 'Accept this answer' }).click()
	await expect(askerPage.locator('.accepted-label')).toHaveText('✓ Accepted answer')
	await expect(askerPage.locator('.thread-meta').getByText('Solved')).toBeVisible()

	await askerPage.goto('/questions?sort=solved')
	await expect(askerPage.getByRole('link', { name: title })).toBeVisible()
	// A newer question nobody else has: "most frequent" puts the one with a "me too" above it, "newest" below.
	const newer = `Export button greyed out ${unique('q')}`
	await askQuestion(askerPage, { title: newer, body: 'The button cannot be clicked.' })
	const titles = async (sort: string) => {
		await askerPage.goto(`/questions?sort=${sort}`)
		return askerPage.getByTestId('question-summary').getByRole('link').allTextContents()
	}
	const frequent = await titles('frequent')
	expect(frequent.indexOf(title)).toBeGreaterThanOrEqual(0)
	expect(frequent.indexOf(title)).toBeLessThan(frequent.indexOf(newer) === -1 ? Infinity : frequent.indexOf(newer))
	const newest = await titles('newest')
	expect(newest.indexOf(newer)).toBeLessThan(newest.indexOf(title))
})

test('an answer posted while a vote is still being saved shows at once', async ({ browser }) => {
	const askerPage = await (await browser.newContext()).newPage()
	await signUp(askerPage)
	const questionUrl = await askQuestion(askerPage, { title: `Sync stops after an hour ${unique('q')}`, body: 'The calendar sync stops after about an hour.' })

	const page = await (await browser.newContext()).newPage()
	await signUp(page)
	await page.goto(questionUrl)
	// The answer reaches the server only after the vote and its reload of the page data have finished.
	await page.route(
		(url) => url.pathname.endsWith('.data'),
		async (route) => {
			if (route.request().method() === 'POST' && route.request().postData()?.includes('intent=answer')) await new Promise((resolve) => setTimeout(resolve, 1500))
			await route.continue()
		},
	)
	await page.getByLabel('Answer').fill('Reconnect the calendar under Settings → Integrations.')
	await page.locator('.question-post .votes').getByRole('button', { name: 'Vote up' }).click()
	await page.getByRole('button', { name: 'Post your answer' }).click()
	await expect(page.getByTestId('answer')).toHaveCount(1)
	await expect(page.getByTestId('answer')).toContainText('Reconnect the calendar under Settings → Integrations.')
	await expect(page.locator('.question-post .votes .score')).toHaveText('1')
})

test('a form with mistakes says what is wrong and keeps what was typed', async ({ page }) => {
	await signUp(page)
	await page.goto('/questions/ask')
	await page.getByLabel('Title').fill('Hi')
	await page.getByLabel('Details').fill('A long enough description of the problem.')
	await page.getByLabel('Tags').fill('bad!tag')
	await page.getByRole('button', { name: 'Post your question' }).click()
	await expect(page.getByText('The title needs at least 5 characters')).toBeVisible()
	await expect(page.getByText('Tags can only contain letters, numbers and hyphens (up to 30 characters each)')).toBeVisible()
	await expect(page.getByLabel('Details')).toHaveValue('A long enough description of the problem.')
})

test('editing a question keeps its revision history', async ({ page }) => {
	await signUp(page)
	const title = `Gantt view is empty ${unique('e')}`
	await askQuestion(page, { title, body: 'The Gantt view shows no tasks at all.' })
	await page.getByRole('link', { name: 'Edit', exact: true }).first().click()
	await page.getByLabel('Title').fill(`${title} (Team plan)`)
	await page.getByRole('button', { name: 'Save changes' }).click()
	await expect(page.getByRole('heading', { level: 1, name: `${title} (Team plan)` })).toBeVisible()
	await page.getByRole('link', { name: 'History' }).click()
	await expect(page.getByTestId('revision')).toHaveCount(2)
})

test('people sign out and back in', async ({ page }) => {
	const user = await signUp(page)
	await page.getByRole('button', { name: 'Sign out' }).click()
	await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible()
	await page.goto('/signin')
	await page.getByLabel('Email').fill(user.email)
	await page.getByLabel('Password').fill('wrong password')
	await page.getByRole('button', { name: 'Sign in' }).click()
	await expect(page.getByText('Email or password is incorrect')).toBeVisible()
	await signInWithForm(page, user)
})

test('the session cookie is HttpOnly and SameSite=Lax', async ({ page, context }) => {
	await signUp(page)
	const session = (await context.cookies()).find((c) => c.name === 'kz_session')
	expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' })
})
