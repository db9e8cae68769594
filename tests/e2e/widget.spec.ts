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
import type { Browser, Page } from '@playwright/test'
import { and, eq } from 'drizzle-orm'
import { SignJWT } from 'jose'
import { db } from '../../db/client.server'
import { writeSetting } from '../../app/settings/settings.server'
import { auditEvents, events, faqs, users } from '../../db/schema'
import { question, sessionCookie } from '../support/factories'
import { apiToken, createUser, expect, importAccounts, importContent, runJobs, startServer, test, unique } from './support'

const SECRET = crypto.randomBytes(32).toString('hex')
const account = { externalId: unique('initech'), name: 'Initech', plan: 'Business' }
const customer = { sub: unique('product-user'), email: `${unique('milton')}@initech.test`, name: 'Milton From Product', account }

let community = ''
let productOrigin = ''
let strangerOrigin = ''
let stopCommunity: () => Promise<void>
const servers: http.Server[] = []
let dataDir = ''
/** The embed snippet exactly as /admin/widget shows it: what the customer pastes into the product's pages. */
let snippet = ''

const jwt = () =>
	new SignJWT({ ...customer, jti: crypto.randomUUID() }).setProtectedHeader({ alg: 'HS256' }).setAudience(community).setIssuedAt().setExpirationTime('2m').sign(new TextEncoder().encode(SECRET))

/**
 * The product's pages: a strict CSP (scripts from itself, the community and its own
 * nonce; frames from the community only; no inline styles) and the snippet copied from
 * /admin/widget, its `nonce="…"` filled in, its `/community-token` answered with a JWT.
 */
async function productPage(request: http.IncomingMessage, response: http.ServerResponse) {
	const url = new URL(request.url ?? '/', 'http://product.invalid')
	if (url.pathname === '/support') return response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Support</title><h1>Acme support desk</h1>')
	if (url.pathname === '/community-token') return response.writeHead(200, { 'content-type': 'text/plain' }).end(await jwt())
	if (url.pathname === '/favicon.ico') return response.writeHead(404).end()
	const nonce = crypto.randomBytes(12).toString('base64')
	response.writeHead(200, {
		'content-type': 'text/html; charset=utf-8',
		'content-security-policy': `default-src 'self'; script-src 'self' ${community} 'nonce-${nonce}'; frame-src ${community}; style-src 'self'; img-src 'self'`,
	})
	response.end(`<!doctype html><html lang="en"><title>Acme ${url.pathname}</title><h1>Acme product: ${url.pathname}</h1>
${snippet.replace('<script nonce="…">', `<script nonce="${nonce}">`)}`)
}

async function copySnippet(adminPage: Page) {
	snippet = (await adminPage.getByTestId('widget-snippet').textContent()) ?? ''
	expect(snippet).toContain(`<script src="${community}/widget.js" defer></script>\n<script nonce="…">`)
}

async function adminContext(browser: Browser, options: { viewport?: { width: number; height: number } } = {}) {
	const admin = await createUser('admin')
	const context = await browser.newContext(options)
	await context.addCookies([{ name: 'kz_session', value: await sessionCookie(admin), url: community, httpOnly: true, sameSite: 'Lax' }])
	return { admin, context }
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
	// One person's helpful FAQ is enough to be learned here; that it takes as many people
	// as teaching a phrasing is tested in tests/integration/widget-security.test.ts.
	const server = await startServer({ ...env, KIZUNA_DATA_DIR: dataDir, KIZUNA_DEMO_CONTENT: 'off', KIZUNA_ROLE: 'web', KIZUNA_SSO_SECRET: SECRET, KIZUNA_PHRASING_TEACHERS: '1' })
	community = server.url
	stopCommunity = server.stop
})

test.afterAll(async () => {
	await stopCommunity?.()
	for (const server of servers) await new Promise((resolve) => server.close(resolve))
	fs.rmSync(dataDir, { recursive: true, force: true })
})

const faqTitle = 'How do I change the card Initech pays with?'

/** The product's origin allowed (as the admin does at /admin/widget), its snippet pasted, and the FAQ the customer looks for. */
async function allowProductAndImportFaq(browser: Browser) {
	if (!snippet) {
		const { context } = await adminContext(browser)
		const adminPage = await context.newPage()
		await adminPage.goto(`${community}/admin/widget`)
		await copySnippet(adminPage)
		await context.close()
	}
	await writeSetting(db, 'widget', { allowedOrigins: [productOrigin], supportLink: `${productOrigin}/support` })
	const [existing] = await db.select({ id: faqs.id }).from(faqs).where(eq(faqs.title, faqTitle))
	if (!existing)
		await importContent({ faqs: [{ externalId: unique('card'), title: faqTitle, body: 'Open **Billing** and choose *Change card*.', tags: ['billing'], published: true, language: 'en' }] })
}

test.describe('the help widget in a customer product', () => {
	test('an admin allows the product, a customer searches and self-serves on one page and contacts support on another, and a stranger cannot frame the panel', async ({ browser }) => {
		await importContent({
			faqs: [{ externalId: unique('card'), title: faqTitle, body: 'Open **Billing** and choose *Change card*.', tags: ['billing'], published: true, language: 'en' }],
		})
		// A thread nobody solved matches the search too: the panel does not show it, so it is not counted as a result.
		await question(await createUser('member'), { title: 'How do I change the card when it is declined?', body: 'The card is declined every time I change it.' })
		await runJobs()

		// The admin allows the product's origin and sets the support link at /admin/widget; the product pastes the snippet shown there.
		const { admin, context: adminSession } = await adminContext(browser)
		const adminPage = await adminSession.newPage()
		await adminPage.goto(`${community}/admin/widget`)
		await copySnippet(adminPage)
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
		// Usable on a phone: nothing wider than the screen (the snippet and the rules scroll in their own boxes).
		await adminPage.setViewportSize({ width: 390, height: 844 })
		await adminPage.reload()
		await expect(adminPage.getByRole('heading', { name: 'Found helpful on these pages' })).toBeVisible()
		expect(await adminPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
		await adminPage.setViewportSize({ width: 1280, height: 720 })

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
		// Named as what it is, for screen readers and the tab list when opened alone.
		await expect.poll(() => page.frames().find((frame) => frame.url().startsWith(`${community}/widget`))?.title()).toBe('Help center')
		// The page rule's tag suggests the billing FAQ before anything is typed.
		await expect(panel.getByRole('heading', { name: 'Suggested for this page' })).toBeVisible()
		await expect(panel.getByRole('button', { name: /How do I change the card Initech pays with\?/ })).toBeVisible()
		// Identified through the JWT, without any cookie of ours in this cross-site frame.
		await expect(panel.getByText('Signed in as Milton From Product')).toBeVisible()
		// The person searches: results as they type, the FAQ opened from them (the click recorded for the search).
		const searched = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/v1/search' && new URL(response.url()).searchParams.get('q') === 'change card')
		await panel.getByRole('searchbox', { name: 'Search the help center' }).fill('change card')
		const results = panel.locator('#kz-results').getByRole('listitem')
		// Other specs' content shares this database: the FAQ comes first, the unsolved thread that matches too is not shown.
		await expect(results.first().getByRole('button')).toHaveAccessibleName(new RegExp(faqTitle.replace('?', '\\?')))
		await expect(results.getByRole('button', { name: /when it is declined/ })).toHaveCount(0)
		// What the search counted is what the panel may show: the unsolved thread is not among them.
		const found = (await (await searched).json()) as { total: number; hits: Array<{ title: string }> }
		expect(found.hits.map((hit) => hit.title)).not.toContain('How do I change the card when it is declined?')
		const shown = found.total
		const clicked = page.waitForResponse((response) => response.url().startsWith(`${community}/api/v1/searches/`) && response.request().method() === 'POST')
		await results.first().getByRole('button').click()
		expect((await clicked).status()).toBe(204)
		await expect(panel.getByRole('heading', { level: 1, name: faqTitle })).toBeVisible()
		await expect(panel.locator('#kz-article strong')).toHaveText('Billing')
		await panel.getByRole('button', { name: 'Yes' }).click()
		await expect(panel.getByRole('status')).toHaveText('Thanks! Glad it helped.')
		expect(refusedByHost).toEqual([])

		// Another page of the product opens the panel on a search of its own; the person contacts support from there.
		await page.goto(`${productOrigin}/projects/new`)
		await page.getByRole('button', { name: 'Help' }).click()
		const supportPanel = page.frameLocator(`iframe[src^="${community}/widget"]`)
		await expect(supportPanel.getByText('Signed in as Milton From Product')).toBeVisible()
		await page.evaluate(() => (window as unknown as { Kizuna: (command: string, argument: unknown) => void }).Kizuna('open', { query: 'change card' }))
		await expect(supportPanel.getByRole('searchbox', { name: 'Search the help center' })).toHaveValue('change card')
		await expect(supportPanel.locator('#kz-results').getByRole('button', { name: /change the card Initech/ })).toBeVisible()
		const recorded = page.waitForResponse((response) => response.url().startsWith(`${community}/api/v1/widget/events`) && response.request().method() === 'POST')
		const [desk] = await Promise.all([context.waitForEvent('page'), supportPanel.getByRole('link', { name: 'Contact support' }).click()])
		expect((await recorded).status()).toBe(201)
		await expect(desk.getByRole('heading', { name: 'Acme support desk' })).toBeVisible()
		await context.close()

		const [person] = await db.select({ id: users.id }).from(users).where(eq(users.email, customer.email))
		const widgetEvents = await db
			.select({ type: events.type, page: events.page, channel: events.channel, resultCount: events.resultCount })
			.from(events)
			.where(eq(events.userId, person!.id))
		expect(widgetEvents).toEqual(
			expect.arrayContaining([
				// As many results as the search found for the panel (the unsolved thread is not one), on both pages.
				{ type: 'search', page: '/settings/billing', channel: 'widget', resultCount: shown },
				{ type: 'result_click', page: '/settings/billing', channel: 'widget', resultCount: null },
				{ type: 'content_view', page: '/settings/billing', channel: 'widget', resultCount: null },
				{ type: 'helpful', page: '/settings/billing', channel: 'widget', resultCount: null },
				{ type: 'search', page: '/projects/new', channel: 'widget', resultCount: shown },
				{ type: 'support_contacted', page: '/projects/new', channel: 'widget', resultCount: null },
			])
		)

		// What the person found helpful on the billing page is what the panel learned there, shown to staff beside the rule.
		await runJobs()
		await adminPage.reload()
		await expect(adminPage.locator('.widget-learned dd').first()).toContainText(`FAQ: ${faqTitle}`)
		await adminSession.close()

		// A third origin frames the panel: the browser refuses (frame-ancestors lists only the product and the community).
		const stranger = await browser.newPage()
		const framed = stranger.waitForResponse((response) => response.url().startsWith(`${community}/widget?`))
		await stranger.goto(strangerOrigin)
		const answer = await framed
		expect(answer.headers()['content-security-policy']).toContain(`frame-ancestors 'self' ${productOrigin}`)
		expect(answer.headers()['content-security-policy']).not.toContain(strangerOrigin)
		// Chromium shows its own error page in the frame instead of the panel (Playwright gives a blocked frame no address to check instead).
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
		const hostPages = async (accountId: string) => {
			const answer = await request.get(`${community}/api/v1/insights/pages?from=${today}&to=${today}&account=${accountId}`, { headers: { Authorization: `Bearer ${analyst}` } })
			expect(answer.status(), await answer.text()).toBe(200)
			return ((await answer.json()) as { pages: Array<{ page: string; journeys: number; selfResolutionRate: number | null; escalated: number }> }).pages
		}
		// Another customer's account: none of Initech's journeys.
		const other = unique('globex')
		expect(await importAccounts(`externalId,name,plan,size,industry,phase,domains\n${other},Globex,Business,50,Manufacturing,adoption,${other}.test\n`)).toMatchObject({ created: 1 })
		expect(await hostPages(other)).toEqual([])
		const pages = await hostPages(account.externalId)
		expect(pages).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ page: '/settings/billing', journeys: 1, selfResolutionRate: 1, escalated: 0 }),
				expect.objectContaining({ page: '/projects/new', journeys: 1, escalated: 1 }),
			])
		)
		expect(pages.reduce((sum, row) => sum + row.journeys, 0)).toBe(2)
	})
	// After the insights test, whose two journeys it would add to; self-contained, as a failure above restarts the worker on a fresh database.
	test('in the panel the person works through the onboarding checklist, asks the community and switches to Japanese', async ({ browser }) => {
		await allowProductAndImportFaq(browser)
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
		// Other specs' onboarding tutorials share this database: this one's item is the one followed.
		const item = checklist.getByRole('listitem').filter({ hasText: tutorial })
		await expect(item.getByText('0 / 2')).toBeVisible()
		await checklist.getByRole('button', { name: tutorial }).click()
		const saved = page.waitForResponse((response) => response.url().startsWith(`${community}/api/v1/widget/steps`))
		await panel.getByLabel('Create the board').check()
		expect((await saved).status()).toBe(200)
		await panel.getByRole('button', { name: 'Back' }).click()
		await expect(item.getByText('1 / 2')).toBeVisible()

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
		await expect.poll(() => page.frames().find((frame) => frame.url().startsWith(`${community}/widget`))?.title()).toBe('ヘルプセンター')
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
