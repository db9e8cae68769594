import { sql } from 'drizzle-orm'
import { db } from '../../db/client.server'
import { createApiToken, question } from '../support/factories'
import { askQuestion, createUser, expect, linkIn, mailsTo, signIn, signInWithForm, signUp, test, unique } from './support'

test('a new person confirms their address from the mail before posting', async ({ page }) => {
	const me = await signUp(page, unique('Newcomer'), { verify: false })
	const banner = page.getByTestId('verify-banner')
	await expect(banner).toContainText(me.email)
	await expect(page.getByTestId('welcome')).toHaveText('Welcome to Kizuna! Your account is ready.')

	await page.goto('/questions/ask')
	await page.getByLabel('Title').fill('Can I post before confirming?')
	await page.getByLabel('Details').fill('Trying to post before the link is followed.')
	await page.getByRole('button', { name: 'Post your question' }).click()
	await expect(page.getByRole('alert')).toHaveText('Confirm your email address first: we sent you a link')

	const [mail] = await mailsTo(me.email)
	const link = linkIn(mail!, '/verify-email/')
	// Opening the link only shows a button: a mail scanner that fetches it confirms nothing.
	await page.goto(link)
	await expect(page.getByRole('button', { name: 'Confirm my email address' })).toBeVisible()
	await page.getByRole('button', { name: 'Confirm my email address' }).click()
	await expect(page.getByRole('heading', { name: 'Your email address is confirmed' })).toBeVisible()
	await expect(banner).toHaveCount(0)
	await askQuestion(page, { title: 'Posting after confirming works', body: 'The link in the mail was followed.' })

	// The same link again, a forged one and an expired one each get a page that says why.
	await page.goto(link)
	await expect(page.getByRole('alert')).toHaveText('This link has already been used: ask for a new one if you still need it')
	const forged = await page.goto('/verify-email/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
	expect(forged!.status()).toBe(404)
	await expect(page.getByRole('alert')).toHaveText('This link is not valid: check that you copied all of it, or ask for a new one')
})

test('the banner resends the link, and an expired link says so', async ({ page, request }) => {
	const me = await signUp(page, unique('Late'), { verify: false })
	// The API refuses the same way, with the reason.
	const [row] = (await db.execute(sql`select id from users where email = ${me.email}`)) as unknown as Array<{ id: string }>
	const refused = await request.post('/api/v1/questions', { headers: { Authorization: `Bearer ${await createApiToken(row!.id)}` }, data: { title: 'Posting through the API', body: 'Before confirming my address.' } })
	expect(refused.status()).toBe(403)
	expect(await refused.json()).toEqual({ error: 'Confirm your email address first: we sent you a link' })
	await page.getByRole('button', { name: 'Resend the link' }).click()
	await expect(page.getByRole('status').filter({ hasText: 'We sent a new link' })).toBeVisible()
	const sent = await mailsTo(me.email, { count: 2 })
	const first = linkIn(sent[0]!, '/verify-email/')
	const second = linkIn(sent[1]!, '/verify-email/')
	await page.goto(first)
	await expect(page.getByRole('alert')).toContainText('already been used')
	await db.execute(sql`update auth_tokens set expires_at = now() - interval '1 minute' where email = ${me.email} and used_at is null`)
	const expired = await page.goto(second)
	expect(expired!.status()).toBe(409)
	await expect(page.getByRole('alert')).toHaveText('This link has expired: ask for a new one')
})

test('a forgotten password is reset from the link in the mail', async ({ page, browser }) => {
	const member = await createUser('member')
	// A session elsewhere ends when the password is reset.
	const elsewhere = await browser.newPage()
	await signIn(elsewhere, member)

	await page.goto('/signin')
	await page.getByRole('link', { name: 'Forgot password?' }).click()
	await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible()
	await page.getByLabel('Email').fill(member.email)
	await page.getByRole('button', { name: 'Send the link' }).click()
	await expect(page.getByRole('status')).toContainText(`If an account uses ${member.email}, we sent a link to it.`)

	const [mail] = await mailsTo(member.email)
	expect(mail!.subject).toContain('Reset your password')
	const link = linkIn(mail!, '/reset-password/')
	await page.goto(link)
	await page.getByLabel('New password').fill('a new password 123')
	await page.getByRole('button', { name: 'Save the new password' }).click()
	await expect(page.getByTestId('welcome')).toHaveText('Your new password is saved, and you are signed in.')
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()

	await elsewhere.reload()
	await expect(elsewhere.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible()
	await elsewhere.close()

	await page.getByRole('button', { name: 'Sign out' }).click()
	await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible()
	await signInWithForm(page, { email: member.email, password: 'a new password 123' })
	await page.goto(link)
	await expect(page.getByRole('alert')).toHaveText('This link has already been used: ask for a new one if you still need it')
})

test('asking for a reset for an unknown address answers the same', async ({ page }) => {
	const nobody = `${unique('nobody')}@example.test`
	await page.goto('/forgot-password')
	await page.getByLabel('Email').fill(nobody)
	await page.getByRole('button', { name: 'Send the link' }).click()
	await expect(page.getByRole('status')).toContainText(`If an account uses ${nobody}, we sent a link to it.`)
	expect(await mailsTo(nobody, { timeoutMs: 1000 })).toHaveLength(0)
	const forged = await page.goto('/reset-password/not-a-token')
	expect(forged!.status()).toBe(404)
	await expect(page.getByRole('alert')).toContainText('This link is not valid')
})

test('settings change the name, the language, the password and (once confirmed) the email', async ({ page }) => {
	const member = await createUser('member')
	await signIn(page, member)
	await page.getByRole('link', { name: member.displayName }).click()
	await expect(page).toHaveURL(/\/settings$/)
	const renamed = unique('Renamed')
	await page.getByLabel('Name').fill(renamed)
	await page.getByLabel('Language').selectOption('ja')
	await page.getByRole('button', { name: 'Save' }).click()
	await expect(page.getByRole('link', { name: renamed })).toBeVisible()
	await expect(page.getByRole('heading', { name: '設定' })).toBeVisible()
	// The account's language follows the person to a browser that has not chosen one.
	await page.context().clearCookies({ name: 'kz_lang' })
	await page.reload()
	await expect(page.getByRole('heading', { name: '設定' })).toBeVisible()
	// The header's switch changes the account's language too.
	await page.getByRole('button', { name: 'English' }).click()
	await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible()
	await page.context().clearCookies({ name: 'kz_lang' })
	await page.reload()
	await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible()

	await page.getByRole('link', { name: 'Account' }).click()
	const passwordForm = page.locator('#change-password')
	await passwordForm.getByLabel('Current password').fill('not my password')
	await passwordForm.getByLabel('New password').fill('another password 1')
	await passwordForm.getByRole('button', { name: 'Change password' }).click()
	await expect(passwordForm.getByText('Your current password is not right')).toBeVisible()
	await passwordForm.getByLabel('Current password').fill(member.password)
	await passwordForm.getByLabel('New password').fill('another password 1')
	await passwordForm.getByRole('button', { name: 'Change password' }).click()
	await expect(page.getByText('Your password is changed. You were signed out everywhere else.')).toBeVisible()
	await page.reload()
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()

	const newEmail = `${unique('moved')}@example.test`
	const emailForm = page.locator('#change-email')
	await emailForm.getByLabel('New email address').fill(newEmail)
	await emailForm.getByLabel('Current password').fill('another password 1')
	await emailForm.getByRole('button', { name: 'Change email address' }).click()
	await expect(page.getByText(`We sent a link to ${newEmail}.`)).toBeVisible()
	await expect(page.getByText(`Your address is ${member.email}.`)).toBeVisible()
	const [mail] = await mailsTo(newEmail)
	await page.goto(linkIn(mail!, '/verify-email/'))
	await page.getByRole('button', { name: 'Confirm my email address' }).click()
	await expect(page.getByText(`Thank you: ${newEmail} is confirmed`)).toBeVisible()
	await page.goto('/settings/account')
	await expect(page.getByText(`Your address is ${newEmail}.`)).toBeVisible()
	await page.getByRole('button', { name: 'Sign out' }).click()
	await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible()
	await signInWithForm(page, { email: newEmail, password: 'another password 1' })
})

test('an author’s name leads to their public profile', async ({ page }) => {
	const asker = await createUser('member')
	const title = `Profile question ${unique('p')}`
	const asked = await question(asker, { title })
	await page.goto(asked.url)
	await page.getByRole('link', { name: asker.displayName }).first().click()
	await expect(page.getByRole('heading', { level: 1, name: asker.displayName })).toBeVisible()
	await expect(page.getByTestId('profile-questions')).toContainText(title)
	await expect(page.getByTestId('profile-stats')).toContainText('1 question')
	await expect(page.locator('main')).not.toContainText(asker.email)
	const unknown = await page.goto('/users/00000000-0000-4000-8000-000000000000')
	expect(unknown!.status()).toBe(404)
})

test('a visitor who clicks "Ask a question" signs in and lands on the ask form', async ({ page }) => {
	const member = await createUser('member')
	await page.goto('/')
	await page.getByRole('link', { name: 'Ask a question' }).click()
	await expect(page).toHaveURL(/\/signin\?redirectTo=%2Fquestions%2Fask/)
	await page.getByLabel('Email').fill(member.email)
	await page.getByLabel('Password').fill(member.password)
	await page.getByRole('button', { name: 'Sign in' }).click()
	await expect(page).toHaveURL(/\/questions\/ask$/)
	await expect(page.getByTestId('welcome')).toHaveText('Welcome back!')
	// The greeting stays with the page it arrived on: following a link leaves it behind…
	await page.getByRole('link', { name: 'Questions', exact: true }).click()
	await expect(page).toHaveURL(/\/questions$/)
	await expect(page.getByTestId('welcome')).toHaveCount(0)
	// …and so does coming back.
	await page.goto('/questions/ask')
	await expect(page.getByTestId('welcome')).toHaveCount(0)
})

test('signing up from the ask form comes back to it', async ({ page }) => {
	const name = unique('Asker')
	await page.goto('/questions/ask')
	await expect(page).toHaveURL(/\/signin\?redirectTo=%2Fquestions%2Fask/)
	await page.getByRole('link', { name: 'Create an account' }).click()
	await page.getByLabel('Name').fill(name)
	await page.getByLabel('Email').fill(`${name.toLowerCase()}@example.test`)
	await page.getByLabel('Password').fill('correct horse battery')
	await page.getByRole('button', { name: 'Sign up' }).click()
	await expect(page).toHaveURL(/\/questions\/ask$/)
	await expect(page.getByTestId('welcome')).toHaveText('Welcome to Kizuna! Your account is ready.')
})
