/**
 * Single sign-on from the customer's product, in Chromium: a Kizuna server of its own
 * with KIZUNA_SSO_SECRET and KIZUNA_SSO_LOGIN_URL (on this worker's database), and a
 * small "customer product" on another origin that signs a JWT with jose and links to
 * the community, as a real product would.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { SignJWT } from 'jose'
import { writeSetting } from '../../app/settings/settings.server'
import { db } from '../../db/client.server'
import { auditEvents } from '../../db/schema'
import { sessionCookie } from '../support/factories'
import { createUser, expect, startServer, test, unique } from './support'

const SECRET = crypto.randomBytes(32).toString('hex')

type ProductUser = { sub: string; email: string; name: string; locale?: string; account?: { externalId: string; name: string; plan: string } }

/** The product's login page: it knows who is signed in there and links back to the community with a token. */
function startProduct(community: () => string, user: () => ProductUser) {
	const server = http.createServer(async (request, response) => {
		const url = new URL(request.url ?? '/', 'http://product.invalid')
		if (url.pathname !== '/login') return response.writeHead(404).end()
		const returnTo = url.searchParams.get('return_to') ?? '/'
		const token = await new SignJWT({ ...user(), jti: crypto.randomUUID() })
			.setProtectedHeader({ alg: 'HS256' })
			// Naming the community, as the README suggests: the route must know its own origin.
			.setAudience(community())
			.setIssuedAt()
			.setExpirationTime('2m')
			.sign(new TextEncoder().encode(SECRET))
		const link = `${community()}/sso/jwt?${new URLSearchParams({ token, return_to: returnTo })}`
		response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
		response.end(`<!doctype html><title>Product</title><h1>Acme Product</h1><a href="${link.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}">Open the community</a>`)
	})
	return server
}

let community = ''
let productUrl = ''
let productUser: ProductUser
let stopCommunity: () => Promise<void>
let product: http.Server
let dataDir = ''

test.beforeAll(async () => {
	product = startProduct(
		() => community,
		() => productUser,
	)
	// Listening on every interface, so "localhost" (another origin than the community's 127.0.0.1) reaches it.
	await new Promise<void>((resolve) => product.listen(0, resolve))
	productUrl = `http://localhost:${(product.address() as AddressInfo).port}`
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-e2e-sso-'))
	const env = Object.fromEntries(
		['DATABASE_URL', 'MEILI_URL', 'MEILI_MASTER_KEY', 'MEILI_INDEX_PREFIX', 'KIZUNA_BUILD_DIR', 'KIZUNA_RATE_LIMITS', 'KIZUNA_ALLOW_PRIVATE_URLS'].map((name) => [name, process.env[name]]),
	)
	const server = await startServer({ ...env, KIZUNA_DATA_DIR: dataDir, KIZUNA_DEMO_CONTENT: 'off', KIZUNA_ROLE: 'web', KIZUNA_SSO_SECRET: SECRET, KIZUNA_SSO_LOGIN_URL: `${productUrl}/login` })
	community = server.url
	stopCommunity = server.stop
})

test.afterAll(async () => {
	await stopCommunity?.()
	await new Promise((resolve) => product?.close(resolve))
	fs.rmSync(dataDir, { recursive: true, force: true })
})

async function adminPage(browser: import('@playwright/test').Browser) {
	const admin = await createUser('admin')
	const context = await browser.newContext()
	await context.addCookies([{ name: 'kz_session', value: await sessionCookie(admin), url: community, httpOnly: true, sameSite: 'Lax' }])
	return { admin, page: await context.newPage(), close: () => context.close() }
}

test('a customer signs in from the product and lands signed in, in their account, on the page they asked for', async ({ page, browser }) => {
	const externalId = unique('globex')
	productUser = { sub: unique('product-user'), email: `${unique('mia')}@gmail.test`, name: 'Mia From Product', account: { externalId, name: 'Globex KK', plan: 'Enterprise' } }

	await page.goto(`${community}/questions?sort=newest`)
	await page.getByRole('banner').getByRole('link', { name: 'Sign in', exact: true }).click()
	await expect(page.getByRole('heading', { name: 'Acme Product' })).toBeVisible()
	expect(new URL(page.url()).searchParams.get('return_to')).toBe('/questions?sort=newest')
	const link = (await page.getByRole('link', { name: 'Open the community' }).getAttribute('href'))!
	await page.getByRole('link', { name: 'Open the community' }).click()

	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
	expect(page.url()).toBe(`${community}/questions?sort=newest`)
	await expect(page.getByRole('link', { name: 'Mia From Product', exact: true })).toBeVisible()

	// CS see the new person in the account the product named, created for them.
	const admin = await adminPage(browser)
	await admin.page.goto(`${community}/admin/accounts/${externalId}`)
	await expect(admin.page.getByRole('heading', { level: 1, name: 'Globex KK' })).toBeVisible()
	await expect(admin.page.getByText(productUser.email)).toBeVisible()
	await admin.close()

	// The same link again is a replay: refused with its reason, and nobody else is signed in by it.
	await page.context().clearCookies()
	const replay = await page.goto(link)
	expect(replay!.status()).toBe(400)
	await expect(page.getByRole('heading', { name: 'We could not sign you in' })).toBeVisible()
	await expect(page.getByRole('alert')).toHaveText('This sign-in link was already used: sign in again from the product')
	await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in', exact: true })).toBeVisible()
})

test('a new sign-in replaces whoever was signed in on the browser, in the language the product says', async ({ page }) => {
	productUser = { sub: unique('first'), email: `${unique('first')}@customer.test`, name: 'First Person' }
	await page.goto(`${productUrl}/login?return_to=/faq`)
	await page.getByRole('link', { name: 'Open the community' }).click()
	await expect(page.getByRole('link', { name: 'First Person' })).toBeVisible()
	const firstSession = (await page.context().cookies(community)).find((cookie) => cookie.name === 'kz_session')!.value

	productUser = { sub: unique('second'), email: `${unique('second')}@customer.test`, name: 'Second Person', locale: 'ja' }
	await page.goto(`${productUrl}/login?return_to=/tags`)
	await page.getByRole('link', { name: 'Open the community' }).click()
	await expect(page.getByRole('link', { name: 'Second Person' })).toBeVisible()
	await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
	expect(new URL(page.url()).pathname).toBe('/tags')
	// The first person's session ended: its cookie no longer signs anyone in.
	const response = await fetch(`${community}/settings`, { headers: { Cookie: `kz_session=${firstSession}` }, redirect: 'manual' })
	expect(response.status).toBe(302)
	expect(response.headers.get('location')).toContain('/signin')
})

test('refusals are a 400 page with the reason, and foreign return_to goes home', async ({ page }) => {
	const refused = await page.goto(`${community}/sso/jwt?token=not-a-token&return_to=/questions`)
	expect(refused!.status()).toBe(400)
	await expect(page.getByRole('alert')).toHaveText('The sign-in token is malformed')
	await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0)
	await expect(page.getByRole('link', { name: 'Sign in again from the product' })).toHaveAttribute('href', `${productUrl}/login?return_to=%2Fquestions`)

	// Signed with the right key, but for another site.
	const elsewhere = await new SignJWT({ sub: unique('elsewhere'), email: `${unique('elsewhere')}@customer.test`, jti: crypto.randomUUID() })
		.setProtectedHeader({ alg: 'HS256' })
		.setAudience('https://other.example')
		.setIssuedAt()
		.setExpirationTime('2m')
		.sign(new TextEncoder().encode(SECRET))
	expect((await page.goto(`${community}/sso/jwt?token=${elsewhere}`))!.status()).toBe(400)
	await expect(page.getByRole('alert')).toHaveText(`The sign-in token is meant for another site (aud); it must name this community: ${new URL(community).origin}`)

	// In the reader's language.
	await page.context().addCookies([{ name: 'kz_lang', value: 'ja', url: community }])
	await page.goto(`${community}/sso/jwt?token=`)
	await expect(page.getByRole('alert')).toHaveText('サインインのリンクにトークンがありません')
	await page.context().clearCookies()

	productUser = { sub: unique('wanderer'), email: `${unique('wanderer')}@customer.test`, name: 'Wanderer' }
	for (const foreign of ['//evil.com', 'https://evil.com', '/\\evil.com', 'javascript:alert(1)']) {
		await page.goto(`${productUrl}/login?${new URLSearchParams({ return_to: foreign })}`)
		await page.getByRole('link', { name: 'Open the community' }).click()
		await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
		expect(page.url()).toBe(`${community}/`)
	}
})

test('sign-up goes to the product; staff sign in with a password while the admin allows it, customers cannot', async ({ page, browser }) => {
	await page.goto(`${community}/signup?redirectTo=/faq`)
	await expect(page.getByRole('heading', { name: 'Acme Product' })).toBeVisible()
	expect(new URL(page.url()).searchParams.get('return_to')).toBe('/faq')

	const member = await createUser('member')
	await page.goto(`${community}/signin?staff=1`)
	await expect(page.getByRole('heading', { name: 'Staff sign in' })).toBeVisible()
	await page.getByLabel('Email').fill(member.email)
	await page.getByLabel('Password').fill(member.password)
	await page.getByRole('button', { name: 'Sign in' }).click()
	await expect(page.getByRole('alert')).toHaveText('Customers sign in through the product: use "Sign in" there')

	const cs = await createUser('cs')
	await page.getByLabel('Email').fill(cs.email)
	await page.getByLabel('Password').fill(cs.password)
	await page.getByRole('button', { name: 'Sign in' }).click()
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()

	// The admin's page: what is set up (never the secret), and the staff password switch.
	const admin = await adminPage(browser)
	await admin.page.setViewportSize({ width: 390, height: 800 })
	await admin.page.goto(`${community}/admin/sso`)
	await expect(admin.page.getByRole('heading', { name: 'Single sign-on' })).toBeVisible()
	await expect(admin.page.locator('.sso-config')).toContainText('Set')
	await expect(admin.page.locator('.sso-config')).toContainText(`${productUrl}/login`)
	expect(await admin.page.content()).not.toContain(SECRET)
	// The page's own content fits a phone (the admin header's menu is the header's own matter).
	const card = admin.page.locator('section.card')
	expect(await card.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true)
	const cardBox = (await card.boundingBox())!
	expect(cardBox.x + cardBox.width).toBeLessThanOrEqual(390)
	const box = admin.page.getByLabel('Staff may also sign in with a password')
	await expect(box).toBeChecked()
	// Without OpenID Connect, passwords are the staff's only way in: turning them off is refused.
	await box.uncheck()
	await admin.page.getByRole('button', { name: 'Save' }).click()
	await expect(admin.page.getByRole('alert')).toHaveText('Staff would have no way to sign in: set up OpenID Connect for staff before turning passwords off')

	// Turned off (as with OpenID Connect set up), the staff form says so; turned back on in the browser, it works again.
	await writeSetting(db, 'sso', { staffPasswords: false })
	await page.context().clearCookies()
	await page.goto(`${community}/signin?staff=1`)
	await expect(page.getByText('Password sign-in is turned off for staff: use the staff sign-in of your company')).toBeVisible()
	await expect(page.getByLabel('Password')).toHaveCount(0)

	await admin.page.reload()
	await expect(box).not.toBeChecked()
	await box.check()
	await admin.page.getByRole('button', { name: 'Save' }).click()
	await expect(admin.page.getByRole('status')).toHaveText('Saved.')
	const audited = await db.select().from(auditEvents).where(eq(auditEvents.actorId, admin.admin.id))
	expect(audited.map((entry) => [entry.action, entry.details])).toEqual([['sso.settings_changed', { staffPasswords: { from: false, to: true } }]])
	await admin.page.goto(`${community}/admin/audit?action=sso.settings_changed`)
	await expect(admin.page.getByTestId('audit-row').first()).toContainText('Staff passwords turned on')
	await admin.close()

	await page.goto(`${community}/signin?staff=1`)
	await page.getByLabel('Email').fill(cs.email)
	await page.getByLabel('Password').fill(cs.password)
	await page.getByRole('button', { name: 'Sign in' }).click()
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
})
