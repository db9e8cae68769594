import type { Page } from '@playwright/test'
import { apiToken, createUser, expect, namedUser, openAdminPage, signIn, test, unique } from './support'

const SUSPENDED = 'This account is suspended: ask an administrator of this community'

/** The row of one person in /admin/people, found through the search box. */
async function findPerson(page: Page, query: string) {
	await page.getByLabel('Name, email or account').fill(query)
	await page.getByRole('button', { name: 'Search', exact: true }).click()
	await expect(page).toHaveURL(/q=/)
	return page.getByTestId('person-row').filter({ hasText: query })
}

test('an admin promotes someone to CS in the browser and sees it in the audit log', async ({ page }) => {
	const name = unique('Promoted Person')
	const member = await namedUser('member', name)
	await signIn(page, await createUser('admin'))
	await openAdminPage(page, 'People')
	await expect(page.getByRole('heading', { level: 1, name: 'People' })).toBeVisible()
	const row = await findPerson(page, name)
	await expect(row).toHaveCount(1)
	await row.getByLabel(`Role of ${name}`).selectOption('cs')
	await row.getByRole('button', { name: 'Change role' }).click()
	await expect(row.getByRole('status')).toHaveText('Saved.')
	// The list is read again after the change: the select shows the stored role.
	await page.reload()
	await expect((await findPerson(page, name)).getByLabel(`Role of ${name}`)).toHaveValue('cs')

	await openAdminPage(page, 'Audit log')
	const entry = page.getByTestId('audit-row').filter({ hasText: member.email }).first()
	await expect(entry).toContainText('Role changed')
	await expect(entry).toContainText('Member → CS')
})

test('suspending someone tells their open browser why and stops their token at once; restoring brings the token back, not the session', async ({ page, browser, request }) => {
	const name = unique('Suspended Person')
	const member = await namedUser('member', name)
	const token = await apiToken(member)
	const theirs = await (await browser.newContext()).newPage()
	await signIn(theirs, member)

	await signIn(page, await createUser('admin'))
	await page.goto('/admin/people')
	const row = await findPerson(page, name)
	page.once('dialog', (dialog) => dialog.accept())
	await row.getByRole('button', { name: 'Suspend' }).click()
	await expect(row.getByText('Suspended', { exact: true })).toBeVisible()

	// Their next page, even one anyone may read, is the sign-in page saying why (a client-side navigation here).
	await theirs.getByRole('link', { name: 'Tags', exact: true }).click()
	await expect(theirs).toHaveURL(/\/signin\?suspended=1$/)
	await expect(theirs.getByRole('alert')).toHaveText(SUSPENDED)
	await expect(theirs.getByRole('button', { name: 'Sign out' })).toHaveCount(0)
	await theirs.goto('/questions')
	await expect(theirs).toHaveURL(/\/signin\?suspended=1$/)
	await expect(theirs.getByRole('alert')).toHaveText(SUSPENDED)
	// Writes from that browser are refused with the reason too.
	const write = await theirs.request.post('/settings/tokens', { headers: { Origin: new URL(theirs.url()).origin }, form: { intent: 'create', name: 'While suspended' } })
	expect(write.status()).toBe(403)
	expect(await write.json()).toEqual({ error: SUSPENDED })
	await theirs.goto('/signin')
	await theirs.getByLabel('Email').fill(member.email)
	await theirs.getByLabel('Password').fill(member.password)
	await theirs.getByRole('button', { name: 'Sign in' }).click()
	await expect(theirs.getByRole('alert')).toHaveText(SUSPENDED)

	const refused = await request.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })
	expect(refused.status()).toBe(403)
	expect(await refused.json()).toEqual({ error: SUSPENDED })

	page.once('dialog', (dialog) => dialog.accept())
	await row.getByRole('button', { name: 'Restore' }).click()
	await expect(row.getByText('Active', { exact: true })).toBeVisible()
	const restored = await request.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })
	expect(restored.status()).toBe(200)
	expect((await restored.json()).email).toBe(member.email)
	// Restoring ended the session kept while suspended: they sign in again.
	await theirs.goto('/questions')
	await expect(theirs).toHaveURL(/\/questions$/)
	await expect(theirs.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible()
})

test('CS staff see people read-only; members cannot open the page', async ({ page, browser }) => {
	await signIn(page, await createUser('cs'))
	await openAdminPage(page, 'People')
	await expect(page.getByText('You can look people up here; only admins change roles, suspend people or invite staff.')).toBeVisible()
	await expect(page.getByRole('button', { name: 'Change role' })).toHaveCount(0)
	await expect(page.getByRole('button', { name: 'Suspend' })).toHaveCount(0)
	await expect(page.getByRole('heading', { name: 'Invite staff' })).toHaveCount(0)
	await expect(page.locator('a[href="/admin/audit"]')).toHaveCount(0)
	expect((await page.goto('/admin/audit'))?.status()).toBe(403)

	const member = await (await browser.newContext()).newPage()
	await signIn(member, await createUser('member'))
	await expect(member.locator('.admin-menu')).toHaveCount(0)
	expect((await member.goto('/admin/people'))?.status()).toBe(403)
})

test('a person creates a token, sees it once, uses it on /api/v1/me and revokes it', async ({ page, request }) => {
	const person = await createUser('member')
	await signIn(page, person)
	await page.goto('/settings')
	await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API tokens' }).click()
	await page.getByLabel('Token name').fill('CRM export')
	await page.getByRole('button', { name: 'Create token' }).click()
	await expect(page.getByText('Token "CRM export" created. Copy it now: it will not be shown again.')).toBeVisible()
	const token = (await page.getByTestId('new-api-token').textContent())!.trim()
	expect(token).toMatch(/^kz_/)

	const me = await request.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })
	expect(me.status()).toBe(200)
	expect(Object.keys(await me.json()).sort()).toEqual(['account', 'displayName', 'email', 'id', 'language', 'role'])
	// The token opens the API, not the site's forms: it cannot mint another token.
	for (const path of ['/settings/tokens', '/settings/tokens.data']) {
		const minted = await request.post(path, { headers: { Authorization: `Bearer ${token}` }, form: { intent: 'create', name: 'Minted with a token' } })
		expect(minted.status()).toBe(403)
		expect(await minted.json()).toEqual({ error: 'API tokens work with /api/v1 only' })
	}

	await page.reload()
	await expect(page.getByTestId('new-api-token')).toHaveCount(0)
	await expect(page.getByText(token)).toHaveCount(0)
	await expect(page.getByTestId('api-token')).toHaveCount(1)
	const row = page.getByTestId('api-token').filter({ hasText: 'CRM export' })
	await expect(row).not.toContainText('Never')
	page.once('dialog', (dialog) => dialog.accept())
	await row.getByRole('button', { name: 'Revoke' }).click()
	await expect(row).toHaveCount(0)
	expect((await request.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401)
})

test('signing out everywhere ends this browser’s session and the others', async ({ page, browser }) => {
	const person = await createUser('member')
	const other = await (await browser.newContext()).newPage()
	await signIn(other, person)
	await signIn(page, person)
	await page.goto('/settings/tokens')
	await page.getByRole('button', { name: 'Sign out everywhere' }).click()
	await expect(page).toHaveURL(/\/signin\?signedOut=everywhere$/)
	await expect(page.getByText('You are signed out everywhere.')).toBeVisible()
	await other.reload()
	await expect(other.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible()
})

test('an admin invites a colleague; without mail set up the link is shown, and it signs them in as staff once', async ({ page, browser }) => {
	const email = `${unique('invitee')}@example.test`
	await signIn(page, await createUser('admin'))
	await page.goto('/admin/people')
	const invite = page.locator('#invite')
	await invite.getByLabel('Email').fill(email)
	await invite.getByLabel('Name').fill('New Colleague')
	await invite.getByLabel('Role').selectOption('cs')
	await invite.getByRole('button', { name: 'Send invitation' }).click()
	const link = (await page.getByTestId('invitation-link').textContent())!.trim()
	expect(link).toMatch(/\/invitations\/[A-Za-z0-9_-]{43}$/)

	await invite.getByLabel('Email').fill(email.toUpperCase())
	await invite.getByLabel('Name').fill('Again')
	await invite.getByRole('button', { name: 'Send invitation' }).click()
	await expect(invite.getByText('This address is invited already: its invitation link works until it is used or expires')).toBeVisible()
	// Until they follow the link, the address is unconfirmed: the list says so, and no staff role is given on it.
	const row = await findPerson(page, email)
	await expect(row.getByText('Unconfirmed', { exact: true })).toBeVisible()
	await row.getByLabel('Role of New Colleague').selectOption('admin')
	await row.getByRole('button', { name: 'Change role' }).click()
	await expect(row.getByRole('alert')).toHaveText('This person has not confirmed their email address: they must confirm it before they can become staff')

	const invitee = await (await browser.newContext()).newPage()
	await invitee.goto(new URL(link).pathname)
	await expect(invitee.getByText(`You join this community as ${email}.`)).toBeVisible()
	await invitee.getByLabel('Name').fill('Nia Colleague')
	await invitee.getByLabel('Password').fill('a good long password')
	await invitee.getByRole('button', { name: 'Join' }).click()
	await expect(invitee.getByRole('button', { name: 'Sign out' })).toBeVisible()
	const me = await (await invitee.request.get('/api/v1/me')).json()
	expect(me).toMatchObject({ email, role: 'cs', displayName: 'Nia Colleague' })

	await invitee.goto(new URL(link).pathname)
	await expect(invitee.getByText('This link has already been used: ask for a new one if you still need it')).toBeVisible()

	await page.goto('/admin/people')
	await expect((await findPerson(page, email)).getByText('Unconfirmed', { exact: true })).toHaveCount(0)
	await page.goto('/admin/audit?action=person.invited')
	await expect(page.getByTestId('audit-row').filter({ hasText: email })).toContainText('Invited')
})

test('at phone width the header and the people pages do not overflow', async ({ browser }) => {
	const context = await browser.newContext({ viewport: { width: 390, height: 800 } })
	const page = await context.newPage()
	await signIn(page, await createUser('admin'))
	for (const path of ['/', '/admin/people', '/admin/audit', '/settings/tokens']) {
		await page.goto(path)
		expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390)
	}
	// On a phone the Admin menu is in the header's menu.
	await page.locator('label', { hasText: 'Menu' }).click()
	await page.locator('summary', { hasText: 'Admin' }).click()
	const menu = page.locator('.admin-menu-links')
	const box = await menu.boundingBox()
	expect(box!.x).toBeGreaterThanOrEqual(0)
	expect(box!.x + box!.width).toBeLessThanOrEqual(390)
	await page.keyboard.press('Escape')
	await expect(menu).toBeHidden()
	await page.locator('summary', { hasText: 'Admin' }).click()
	await page.mouse.click(10, 780)
	await expect(menu).toBeHidden()
})
