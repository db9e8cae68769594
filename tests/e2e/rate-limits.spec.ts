import { type APIRequestContext, type Page } from '@playwright/test'
import { apiToken, expect, importContent, namedUser, signIn, test, unique } from './support'

const auth = (token: string) => ({ Authorization: `Bearer ${token}` })

async function userWithToken(role: 'member' | 'cs', name: string) {
	const user = await namedUser(role, name)
	return { ...user, token: await apiToken(user) }
}

async function submitSignIn(page: Page, email: string, password: string) {
	await page.getByLabel('Email').fill(email)
	await page.getByLabel('Password').fill(password)
	await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname.startsWith('/signin')), page.getByRole('button', { name: 'Sign in' }).click()])
}

/** Searches for `q` through the API and says the question solved the problem (anonymously without a token). */
async function resolveWith(request: APIRequestContext, token: string | null, q: string, questionId: number) {
	const headers = token ? auth(token) : {}
	const search = await (await request.get(`/api/v1/search?q=${encodeURIComponent(q)}`, { headers })).json()
	const vote = await request.post('/api/v1/feedback', { headers, data: { targetType: 'question', targetId: questionId, helpful: true, searchId: search.searchId } })
	expect(vote.status()).toBe(201)
}

test.describe('abuse limits', () => {
	test('after too many failed sign-ins the sign-in page says to wait', async ({ page }) => {
		// The e2e server keeps the default per-account limit: 10 attempts per 15 minutes.
		const email = `${unique('guessed')}@example.test`
		await page.goto('/signin')
		for (let n = 0; n < 10; n++) {
			await submitSignIn(page, email, `guess number ${n}`)
			await expect(page.getByText('Email or password is incorrect')).toBeVisible()
		}
		await submitSignIn(page, email, 'one more guess')
		await expect(page.getByText('Too many sign-in attempts for this account. Try again in 15 minutes.')).toBeVisible()
		await expect(page.getByText('Email or password is incorrect')).toBeHidden()

		// In Japanese, the reason and the wait are both translated.
		await page.context().addCookies([{ name: 'kz_lang', value: 'ja', url: page.url() }])
		await page.goto('/signin')
		await page.getByLabel('メールアドレス').fill(email)
		await page.getByLabel('パスワード').fill('still guessing')
		await page.getByRole('button', { name: 'ログイン' }).click()
		await expect(page.getByText('このアカウントへのサインインの試行が多すぎます。15 分後にもう一度お試しください。')).toBeVisible()
	})

	test('staff see who taught each learned phrasing, and which ones do not count yet', async ({ page, request }) => {
		const externalId = unique('gmail')
		const title = `Automatically label incoming mail in Gmail ${externalId}`
		await importContent({ questions: [{ externalId, title, body: 'Filters in Gmail', answers: [{ body: 'Create a filter and choose Apply the label.', accepted: true }] }] })
		const member = await userWithToken('member', `Aiko ${externalId}`)
		const staff = await userWithToken('cs', `Sato ${externalId}`)
		let questionId = 0
		await expect(async () => {
			const result = await (await request.get(`/api/v1/search?q=${encodeURIComponent(title)}`, { headers: auth(staff.token) })).json()
			questionId = result.hits.find((hit: { externalId: string | null }) => hit.externalId === externalId)?.id
			expect(questionId).toBeGreaterThan(0)
		}).toPass({ timeout: 10_000 })

		await resolveWith(request, member.token, `newsletters in their own folder ${externalId}`, questionId)
		await resolveWith(request, staff.token, `label mail from one sender ${externalId}`, questionId)
		// An anonymous vote counts as helpful but teaches nothing.
		await resolveWith(request, null, `anonymous wording ${externalId}`, questionId)

		await signIn(page, staff)
		await page.goto(`/questions/${questionId}`)
		const learned = page.getByTestId('learned-phrasings')
		const byStaff = learned.getByRole('listitem').filter({ hasText: `label mail from one sender ${externalId}` })
		await expect(byStaff).toContainText(`taught by Sato ${externalId}`)
		await expect(byStaff).not.toContainText('not in search yet')
		const byMember = learned.getByRole('listitem').filter({ hasText: `newsletters in their own folder ${externalId}` })
		await expect(byMember).toContainText(`taught by Aiko ${externalId}`)
		await expect(byMember).toContainText('not in search yet')
		await expect(learned).not.toContainText('anonymous wording')
	})
})
