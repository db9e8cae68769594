import { askQuestion, expect, signUp, test, unique } from './support'

const LIMIT = 'Quotes and lists can be nested at most 20 levels deep'

test('a too deeply nested answer is refused on the form with the limit, and the typed text is kept', async ({ page }) => {
	await signUp(page)
	const url = await askQuestion(page, { title: `Nested quotes break the page ${unique('q')}`, body: 'What happens with very deep quotes?' })

	const answer = `${'> '.repeat(40)}quoted far too deep`
	await page.getByLabel('Answer').fill(answer)
	// The preview refuses it with the same reason before anything is posted.
	await expect(page.getByTestId('body-preview-error')).toHaveText(LIMIT)
	await page.getByRole('button', { name: 'Post your answer' }).click()

	await expect(page.getByLabel('Answer')).toHaveAccessibleDescription(new RegExp(LIMIT))
	await expect(page.getByLabel('Answer')).toHaveValue(answer)
	await expect(page.getByTestId('answer')).toHaveCount(0)

	await page.goto(url)
	await expect(page.getByTestId('answer')).toHaveCount(0)
})
