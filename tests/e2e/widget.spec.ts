/**
 * The in-product help widget, in Chromium: a Kizuna server of its own with
 * KIZUNA_SSO_SECRET (on this worker's database), a small "customer product" on a
 * second origin (localhost, another port) with a strict Content-Security-Policy that
 * embeds widget.js and identifies the person with a JWT signed by jose, and a third
 * origin (not on the allow list) that tries to frame the panel.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { and, eq } from 'drizzle-orm'
import { SignJWT } from 'jose'
import { db } from '../../db/client.server'
import { writeSetting } from '../../app/settings/settings.server'
import { auditEvents, events, faqs, users } from '../../db/schema'
import { sessionCookie } from '../support/factories'
import { apiToken, createUser, expect, importContent, startServer, test, unique } from './support'

const SECRET = crypto.randomBytes(32).toString('hex')
const account = { externalId: unique('initech'), name: 'Initech', plan: 'Business' }
const customer = { sub: unique('product-user'), email: `${unique('milton')}@initech.test`, name: 'Milton From Product', account }

let community = ''
let productOrigin = ''
let strangerOrigin = ''
let stopCommunity: () => Promise<void>
const servers: http.Server[] = []
let dataDir = ''

const jwt = () =>
	new SignJWT({ ...customer, jti: crypto.randomUUID() }).setProtectedHeader({ alg: 'HS256' }).setAudience(community).setIssuedAt().setExpirationTime('2m').sign(new TextEncoder().encode(SECRET))

/**
 * The product's pages: a strict CSP (scripts from itself, the community and its own
 * nonce; frames from the community only; no inline styles), the widget's queue stub
 * and identify in a nonce'd script, widget.js deferred.
 */
async function productPage(request: http.IncomingMessage, response: http.ServerResponse) {
	const url = new URL(request.url ?? '/', 'http://product.invalid')
	if (url.pathname === '/support') return response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Support</title><h1>Acme support desk</h1>')
	if (url.pathname === '/favicon.ico') return response.writeHead(404).end()
	const nonce = crypto.randomBytes(12).toString('base64')
	response.writeHead(200, {
		'content-type': 'text/html; charset=utf-8',
		'content-security-policy': `default-src 'self'; script-src 'self' ${community} 'nonce-${nonce}'; frame-src ${community}; style-src 'self'; img-src 'self'`,
	})
	const token = await jwt()
	response.end(`<!doctype html><html lang="en"><title>Acme ${url.pathname}</title><h1>Acme product: ${url.pathname}</h1>
<script nonce="${nonce}">window.Kizuna=window.Kizuna||function(){(window.Kizuna.q=window.Kizuna.q||[]).push(arguments)};Kizuna('identify', ${JSON.stringify(token)})</script>
<script src="${community}/widget.js" defer></script>`)
}

/** A site nobody allowed: it frames the panel directly, claiming to be the product. */
function strangerPage(_request: http.IncomingMessage, response: http.ServerResponse) {
	response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
	response.end(
		`<!doctype html><title>Stranger</title><h1>Stranger</h1><iframe title="stolen panel" src="${community}/widget?origin=${encodeURIComponent(productOrigin)}&amp;page=/settings/billing"></iframe>`
	)
}

async function listen(handler: http.RequestListener, host: string) {
	const server = http.createServer((request, response) => void Promise.resolve(handler(request, response)).catch(() => response.writeHead(500).end()))
	servers.push(server)
	await new Promise<void>((resolve) => server.listen(0, resolve))
	return `http://${host}:${(server.address() as AddressInfo).port}`
}

test.beforeAll(async () => {
	// "localhost" is another site than the community's 127.0.0.1: the panel is a cross-site iframe, as in production.
	productOrigin = await listen(productPage, 'localhost')
	strangerOrigin = await listen(strangerPage, '127.0.0.1')
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-e2e-widget-'))
	const env = Object.fromEntries(
		['DATABASE_URL', 'MEILI_URL', 'MEILI_MASTER_KEY', 'MEILI_INDEX_PREFIX', 'KIZUNA_BUILD_DIR', 'KIZUNA_RATE_LIMITS', 'KIZUNA_ALLOW_PRIVATE_URLS'].map((name) => [name, process.env[name]])
	)
	const server = await startServer({ ...env, KIZUNA_DATA_DIR: dataDir, KIZUNA_DEMO_CONTENT: 'off', KIZUNA_ROLE: 'web', KIZUNA_SSO_SECRET: SECRET })
	community = server.url
	stopCommunity = server.stop
})

test.afterAll(async () => {
	await stopCommunity?.()
	for (const server of servers) await new Promise((resolve) => server.close(resolve))
	fs.rmSync(dataDir, { recursive: true, force: true })
})

const faqTitle = 'How do I change the card Initech pays with?'

/** The product's origin allowed (as the admin does at /admin/widget) and the FAQ the customer looks for. */
async function allowProductAndImportFaq() {
	await writeSetting(db, 'widget', { allowedOrigins: [productOrigin], supportLink: `${productOrigin}/support` })
	const [existing] = await db.select({ id: faqs.id }).from(faqs).where(eq(faqs.title, faqTitle))
	if (!existing)
		await importContent({ faqs: [{ externalId: unique('card'), title: faqTitle, body: 'Open **Billing** and choose *Change card*.', tags: ['billing'], published: true, language: 'en' }] })
}

test.describe('the help widget in a customer product', () => {
	test('an admin allows the product, a customer self-serves on one page and contacts support on another, and a stranger cannot frame the panel', async ({ browser }) => {
		await importContent({
			faqs: [
				{ externalId: unique('card'), title: 'How do I change the card Initech pays with?', body: 'Open **Billing** and choose *Change card*.', tags: ['billing'], published: true, language: 'en' },
			],
		})

		// The admin allows the product's origin and sets the support link at /admin/widget.
		const admin = await createUser('admin')
		const adminContext = await browser.newContext()
		await adminContext.addCookies([{ name: 'kz_session', value: await sessionCookie(admin), url: community, httpOnly: true, sameSite: 'Lax' }])
		const adminPage = await adminContext.newPage()
		await adminPage.goto(`${community}/admin/widget`)
		await expect(adminPage.getByTestId('widget-snippet')).toContainText(`<script src="${community}/widget.js" defer></script>`)
		await adminPage.getByLabel('Origins allowed to embed the panel').fill(`${productOrigin}/\nnot an origin`)
		await adminPage.getByLabel('Contact support link').fill(`${productOrigin}/support`)
		await adminPage.getByRole('button', { name: 'Save' }).click()
		await expect(adminPage.getByRole('alert')).toContainText('Not an origin')
		await adminPage.getByLabel('Origins allowed to embed the panel').fill(productOrigin)
		await adminPage.getByRole('button', { name: 'Save' }).click()
		await expect(adminPage.getByRole('status')).toHaveText('Saved.')
		await adminPage.getByLabel('Host page path').fill('/settings/billing*')
		await adminPage.getByLabel('Suggest', { exact: true }).selectOption('tag')
		await adminPage.getByLabel('FAQ or tutorial (number or link), or tag').fill('billing')
		await adminPage.getByRole('button', { name: 'Add page rule' }).click()
		await expect(adminPage.getByRole('cell', { name: '/settings/billing*' })).toBeVisible()
		const [audit] = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'widget.settings_changed'), eq(auditEvents.actorId, admin.id)))
		expect(audit!.details).toMatchObject({ allowedOrigins: { to: [productOrigin] } })
		await adminContext.close()

		// The customer, on the billing page of the product.
		const context = await browser.newContext()
		const page = await context.newPage()
		const refusedByHost: string[] = []
		page.on('console', (message) => {
			if (/Content Security Policy/i.test(message.text())) refusedByHost.push(message.text())
		})
		await page.goto(`${productOrigin}/settings/billing`)
		const launcher = page.getByRole('button', { name: 'Help' })
		await expect(launcher).toBeVisible()
		// Styled under the host's CSP (a constructed stylesheet in a shadow root, no inline style).
		expect(await launcher.evaluate((button) => getComputedStyle(button).position)).toBe('fixed')
		await launcher.click()
		const panel = page.frameLocator(`iframe[src^="${community}/widget"]`)
		// The page rule's tag suggests the billing FAQ before anything is typed.
		await expect(panel.getByRole('heading', { name: 'Suggested for this page' })).toBeVisible()
		await expect(panel.getByRole('button', { name: /How do I change the card Initech pays with\?/ })).toBeVisible()
		// Identified through the JWT, without any cookie of ours in this cross-site frame.
		await expect(panel.getByText('Signed in as Milton From Product')).toBeVisible()
		await panel
			.locator('#kz-suggestions')
			.getByRole('button', { name: /change the card/ })
			.click()
		await expect(panel.getByRole('heading', { level: 1, name: 'How do I change the card Initech pays with?' })).toBeVisible()
		await expect(panel.locator('#kz-article strong')).toHaveText('Billing')
		await panel.getByRole('button', { name: 'Yes' }).click()
		await expect(panel.getByRole('status')).toHaveText('Thanks! Glad it helped.')
		expect(refusedByHost).toEqual([])

		// Another page of the product: Contact support.
		await page.goto(`${productOrigin}/projects/new`)
		await page.getByRole('button', { name: 'Help' }).click()
		const supportPanel = page.frameLocator(`iframe[src^="${community}/widget"]`)
		await expect(supportPanel.getByText('Signed in as Milton From Product')).toBeVisible()
		const recorded = page.waitForResponse((response) => response.url().startsWith(`${community}/api/v1/widget/events`) && response.request().method() === 'POST')
		const [desk] = await Promise.all([context.waitForEvent('page'), supportPanel.getByRole('link', { name: 'Contact support' }).click()])
		expect((await recorded).status()).toBe(201)
		await expect(desk.getByRole('heading', { name: 'Acme support desk' })).toBeVisible()
		await context.close()

		const [person] = await db.select({ id: users.id }).from(users).where(eq(users.email, customer.email))
		const widgetEvents = await db.select({ type: events.type, page: events.page, channel: events.channel }).from(events).where(eq(events.userId, person!.id))
		expect(widgetEvents).toEqual(
			expect.arrayContaining([
				{ type: 'content_view', page: '/settings/billing', channel: 'widget' },
				{ type: 'helpful', page: '/settings/billing', channel: 'widget' },
				{ type: 'support_contacted', page: '/projects/new', channel: 'widget' },
			])
		)

		// A third origin frames the panel: the browser refuses (frame-ancestors lists only the product and the community).
		const stranger = await browser.newPage()
		const framed = stranger.waitForResponse((response) => response.url().startsWith(`${community}/widget?`))
		await stranger.goto(strangerOrigin)
		const answer = await framed
		expect(answer.headers()['content-security-policy']).toContain(`frame-ancestors 'self' ${productOrigin}`)
		expect(answer.headers()['content-security-policy']).not.toContain(strangerOrigin)
		// Chromium shows its own error page in the frame instead of the panel.
		const stolen = stranger.frameLocator('iframe')
		await expect(stolen.getByText('refused to connect').first()).toBeAttached()
		await expect(stolen.getByRole('searchbox')).toHaveCount(0)
		await stranger.close()
		// Every other page keeps refusing to be framed.
		const home = await fetch(`${community}/`)
		expect(home.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
		expect(home.headers.get('x-frame-options')).toBe('DENY')
	})

	test('the insights API shows the two widget journeys for the account and page', async ({ request }) => {
		const analyst = await apiToken(await createUser('cs'))
		const today = new Date().toISOString().slice(0, 10)
		const answer = await request.get(`${community}/api/v1/insights/pages?from=${today}&to=${today}&account=${account.externalId}`, { headers: { Authorization: `Bearer ${analyst}` } })
		expect(answer.status()).toBe(200)
		const { pages } = (await answer.json()) as { pages: Array<{ page: string; journeys: number; selfResolutionRate: number | null; escalated: number }> }
		expect(pages).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ page: '/settings/billing', journeys: 1, selfResolutionRate: 1, escalated: 0 }),
				expect.objectContaining({ page: '/projects/new', journeys: 1, escalated: 1 }),
			])
		)
		expect(pages.reduce((sum, row) => sum + row.journeys, 0)).toBe(2)
	})
	// Needs `GET /api/v1/search?channel=widget&page=PATH` (the insights lane's change to the search API).
	// After the insights test, so its visit adds no journey to the two counted there; self-contained, as a failure above restarts the worker on a fresh database.
	test('the person searches as they type in the panel and opens the FAQ from the results', async ({ browser }) => {
		await allowProductAndImportFaq()
		const context = await browser.newContext()
		const page = await context.newPage()
		await page.goto(`${productOrigin}/settings/billing`)
		await page.getByRole('button', { name: 'Help' }).click()
		const panel = page.frameLocator(`iframe[src^="${community}/widget"]`)
		await expect(panel.getByText('Signed in as Milton From Product')).toBeVisible()
		await panel.getByRole('searchbox', { name: 'Search the help center' }).fill('change card')
		await panel
			.locator('#kz-results')
			.getByRole('button', { name: /change the card/ })
			.click()
		await expect(panel.getByRole('heading', { level: 1, name: 'How do I change the card Initech pays with?' })).toBeVisible()
		await context.close()
		const [person] = await db.select({ id: users.id }).from(users).where(eq(users.email, customer.email))
		const searches = await db
			.select({ page: events.page, channel: events.channel })
			.from(events)
			.where(and(eq(events.userId, person!.id), eq(events.type, 'search')))
		expect(searches).toContainEqual({ page: '/settings/billing', channel: 'widget' })
	})
	// After the insights test, whose two journeys it would add to; self-contained like the search test.
	test('in the panel the person works through the onboarding checklist, asks the community and switches to Japanese', async ({ browser }) => {
		await allowProductAndImportFaq()
		const tutorial = unique('Set up your first board')
		await importContent({
			tutorials: [
				{
					externalId: unique('onboarding'),
					title: tutorial,
					summary: 'Two steps to a board your team uses.',
					phase: 'onboarding',
					language: 'en',
					steps: [
						{ title: 'Create the board', body: 'Choose **New board**.' },
						{ title: 'Invite your team', body: 'Open *Members*.' },
					],
				},
			],
		})
		const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
		const page = await context.newPage()
		await page.goto(`${productOrigin}/onboarding`)
		await page.getByRole('button', { name: 'Help' }).click()
		const panel = page.frameLocator(`iframe[src^="${community}/widget"]`)
		await expect(panel.getByText('Signed in as Milton From Product')).toBeVisible()
		const checklist = panel.locator('#kz-checklist')
		await expect(checklist.getByText('0 / 2')).toBeVisible()
		await checklist.getByRole('button', { name: tutorial }).click()
		const saved = page.waitForResponse((response) => response.url().startsWith(`${community}/api/v1/widget/steps`))
		await panel.getByLabel('Create the board').check()
		expect((await saved).status()).toBe(200)
		await panel.getByRole('button', { name: 'Back' }).click()
		await expect(panel.locator('#kz-checklist').getByText('1 / 2')).toBeVisible()

		// Ask the community, in the panel, as the person the product signed in.
		await panel.getByRole('button', { name: 'Ask the community' }).click()
		await panel.getByLabel('Title').fill('How do I archive an old board?')
		await panel.getByLabel('Details').fill('We finished a project and want its board out of the way.')
		await panel.getByRole('button', { name: 'Post your question' }).click()
		await expect(panel.getByText('Your question is posted.')).toBeVisible()

		// The product switches the widget to Japanese: the panel follows without reloading.
		await page.evaluate(() => (window as unknown as { Kizuna: (command: string, argument: string) => void }).Kizuna('locale', 'ja'))
		await expect(panel.getByRole('searchbox', { name: 'ヘルプセンターを検索' })).toBeVisible()
		await expect(panel.getByText('Milton From Product としてサインイン中')).toBeVisible()
		await expect(page.getByRole('button', { name: 'ヘルプを閉じる' })).toBeVisible()
		// The full-screen panel fits the phone.
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
		await context.close()

		const [person] = await db.select({ id: users.id }).from(users).where(eq(users.email, customer.email))
		const rows = await db.select({ type: events.type, page: events.page, channel: events.channel }).from(events).where(eq(events.userId, person!.id))
		expect(rows).toEqual(
			expect.arrayContaining([
				{ type: 'tutorial_step_done', page: '/onboarding', channel: 'widget' },
				{ type: 'ask_form_opened', page: '/onboarding', channel: 'widget' },
				{ type: 'question_posted', page: '/onboarding', channel: 'widget' },
			])
		)
	})
})
