import { closeAsDuplicate } from '../../app/community/duplicates.server'
import { acceptAnswer, createAnswer, updateQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { createFaq, setFaqPublished } from '../../app/knowledge/faqs.server'
import { faqSchema } from '../../app/knowledge/validation'
import { question } from '../support/factories'
import { askQuestion, createUser, expect, runJobs, signIn, test, unique } from './support'

const marker = () => unique('zq').replace(/[^a-z0-9]/g, '')

test('a question closed as a duplicate leaves the unanswered lists and is marked, linking to its original', async ({ page }) => {
	const word = marker()
	const cs = await createUser('cs')
	const original = await question(await createUser('member'), { title: `Calendar sync stops after a day ${word}`, body: 'It worked yesterday, today nothing syncs.' })
	const duplicate = await question(await createUser('member'), { title: `Calendar sync stopped working ${word}`, body: 'Since this morning nothing syncs.' })
	await closeAsDuplicate(cs, duplicate.id, { type: 'question', id: original.id })

	await page.goto('/questions?sort=unanswered')
	await expect(page.getByRole('link', { name: `Calendar sync stops after a day ${word}` })).toBeVisible()
	await expect(page.getByRole('link', { name: `Calendar sync stopped working ${word}` })).toHaveCount(0)

	await page.goto('/questions')
	const listed = page.getByTestId('question-summary').filter({ hasText: `Calendar sync stopped working ${word}` })
	await listed.getByRole('link', { name: `Duplicate of: Calendar sync stops after a day ${word}` }).click()
	await expect(page.getByRole('heading', { level: 1, name: `Calendar sync stops after a day ${word}` })).toBeVisible()
})

test('visitors are asked to sign in by the vote and "me too" controls, and come back to the thread; an answered thread asks "Did this solve your problem?"', async ({ browser }) => {
	const word = marker()
	const page = await (await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } })).newPage()
	const asked = await question(await createUser('member'), { title: `Reminders arrive an hour late ${word}`, body: 'Since the clocks changed every reminder is late.' })
	await createAnswer(await createUser('cs'), asked.id, 'Set your time zone again under Settings → Profile.')

	await page.goto(asked.url)
	const answer = page.getByTestId('answer')
	await expect(answer.getByText('Did this solve your problem?')).toBeVisible()
	await answer.getByRole('button', { name: 'Yes' }).click()
	await expect(answer.getByText('Glad it helped. Thanks for letting us know!')).toBeVisible()

	const meToo = page.getByRole('link', { name: 'I have this question too' })
	await expect(meToo).toHaveAccessibleDescription('Sign in to say you have this question too')
	await meToo.tap()
	await expect(page).toHaveURL(/\/signin\?redirectTo=/)
	expect(new URL(page.url()).searchParams.get('redirectTo')).toBe(asked.url)
	await page.goBack()
	await answer.getByRole('link', { name: 'Sign in to vote up' }).tap()
	await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible()
	expect(new URL(page.url()).searchParams.get('redirectTo')).toMatch(new RegExp(`^${asked.url}#answer-\\d+$`))
})

test('tags are separated by commas, a tag with spaces is one tag, and a question\'s history shows what each edit changed', async ({ page }) => {
	const word = marker()
	const asker = await createUser('member')
	await signIn(page, asker)
	await page.goto('/questions/ask')
	await expect(page.getByText('Up to 5, separated by commas; spaces inside a tag become hyphens')).toBeVisible()
	const url = await askQuestion(page, { title: `Inviting a whole team at once ${word}`, body: 'Can I invite everyone from a list?', tags: 'Team Invites, billing' })
	const tags = page.locator('.question-post .tags')
	await expect(tags.getByRole('link')).toHaveText(['billing', 'team-invites'])

	const id = Number(new URL(url).pathname.split('/')[2])
	await updateQuestion(asker, id, questionSchema.parse({ title: `Inviting my whole team at once ${word}`, body: 'Can I invite everyone from a CSV list?', tags: 'team-invites' }))
	await page.goto(`/questions/${id}/revisions`)
	const latest = page.getByTestId('revision').first()
	await expect(latest.getByTestId('title-diff').locator('ins')).toHaveText('my')
	await expect(latest.getByTestId('title-diff').locator('del')).toHaveText('a')
	await expect(latest.getByTestId('body-diff').locator('ins')).toHaveText(/CSV/)
	await expect(latest.getByTestId('tags-diff').locator('del')).toHaveText(/billing/)
})

test('staff close a duplicate by picking the original from search suggestions', async ({ page }) => {
	const word = marker()
	const cs = await createUser('cs')
	const faq = await createFaq(cs, faqSchema.parse({ title: `Reconnect the calendar integration ${word}`, body: 'Settings → Integrations → Reconnect.', language: 'en' }))
	await setFaqPublished(cs, faq.id, true)
	const duplicate = await question(await createUser('member'), { title: `My calendar is not syncing ${word}`, body: 'Nothing has synced since Monday.' })
	await runJobs()

	await signIn(page, cs)
	await page.goto(duplicate.url)
	await page.locator('.close-duplicate summary').click()
	const field = page.getByLabel('Number or link')
	await field.pressSequentially(`reconnect calendar ${word}`)
	const suggestion = page.locator(`[data-testid="original-suggestions"] option[value="${faq.url}"]`)
	await expect(suggestion).toHaveText(`FAQ: Reconnect the calendar integration ${word}`)
	await field.fill((await suggestion.getAttribute('value'))!)
	await page.locator('.close-duplicate form').getByRole('button', { name: 'Close as duplicate' }).click()
	await expect(page.getByTestId('duplicate-banner').getByRole('link', { name: `Reconnect the calendar integration ${word}` })).toBeVisible()
})

test('search filters count the results listed', async ({ page }) => {
	// Two words no other document has, far apart enough that typo tolerance never takes one for the other.
	const word = marker()
	const [onFaqs, onQuestion] = [`aardvark${word}`, `zeppelin${word}`]
	const cs = await createUser('cs')
	for (const title of [`Change the invoice address ${onFaqs}`, `Invoice in another currency ${onFaqs}`]) {
		await setFaqPublished(cs, (await createFaq(cs, faqSchema.parse({ title, body: 'Under Billing, as the owner.', tags: 'billing', language: 'en' }))).id, true)
	}
	await question(await createUser('member'), { title: `Password reset never arrives ${onQuestion}`, body: 'No reset mail since Monday.', tags: 'account' })
	await runJobs()

	// No document has both words: the FAQs are found by their word on its own, and the filters count them too.
	await page.goto(`/search?q=${encodeURIComponent(`${onFaqs} ${onQuestion}`)}`)
	await expect(page.getByTestId('search-hit')).toHaveCount(3)
	const type = page.getByRole('combobox', { name: 'Type', exact: true })
	await expect(type).toContainText('FAQ (2)')
	await expect(type).toContainText('Question (1)')
	await expect(page.getByRole('combobox', { name: 'Tag', exact: true })).toContainText('billing (2)')
})

test('"Make FAQ" on a Japanese thread starts a Japanese draft in the category of FAQs with its tags', async ({ page }) => {
	const word = marker()
	const cs = await createUser('cs')
	const tag = `invoices-${word}`
	await setFaqPublished(cs, (await createFaq(cs, faqSchema.parse({ title: `Change the invoice address ${word}`, body: 'Under Billing.', category: `Billing ${word}`, tags: tag, language: 'en' }))).id, true)
	const asker = await createUser('member')
	const asked = await question(asker, { title: `PDF invoice ${word}`, body: '請求書のPDFに会社名が出ません。どこで設定しますか？', tags: tag, language: 'ja' })
	const answer = await createAnswer(cs, asked.id, '設定 → 請求 → 会社情報 で設定できます。')
	await acceptAnswer(asker, asked.id, answer.id)

	await signIn(page, cs)
	await page.goto(asked.url)
	await page.getByRole('button', { name: 'Make FAQ' }).click()
	await expect(page).toHaveURL(/\/faq\/\d+\/edit$/)
	await expect(page.getByLabel('Category', { exact: true })).toHaveValue(`Billing ${word}`)
	await expect(page.getByLabel('Language', { exact: true })).toHaveValue('ja')
})
