import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { type Browser } from '@playwright/test'
import postgres from 'postgres'
import { askQuestion, expect, signUp, test, unique } from './support'

/**
 * A second Kizuna whose Meilisearch is unreachable (MEILI_URL is a closed port),
 * on a database of its own in the same PostgreSQL, so that its failing index tasks
 * never touch the shared server's queue. It loads the demo content at start, while
 * Meilisearch is down: everything it finds comes from the PostgreSQL fallback.
 */
let server: ChildProcess | null = null
let baseURL = ''
let admin: postgres.Sql | null = null
let database = ''
let databaseUrl = ''
let dataDir = ''

async function freePort(): Promise<number> {
	const probe = net.createServer()
	const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as net.AddressInfo).port)))
	await new Promise((resolve) => probe.close(resolve))
	return port
}

test.beforeAll(async () => {
	test.setTimeout(120_000)
	const shared = new URL(process.env.DATABASE_URL!)
	database = `kizuna_degraded_${Date.now().toString(36)}`
	admin = postgres(shared.toString(), { max: 1, onnotice: () => {} })
	await admin.unsafe(`create database ${database}`)
	const own = new URL(shared)
	own.pathname = `/${database}`
	databaseUrl = own.toString()
	const port = await freePort()
	baseURL = `http://127.0.0.1:${port}`
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-degraded-'))
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		NODE_ENV: 'production',
		DATABASE_URL: own.toString(),
		MEILI_URL: `http://127.0.0.1:${await freePort()}`,
		KIZUNA_DATA_DIR: dataDir,
		KIZUNA_DEMO_CONTENT: 'on',
	}
	// Its own process group, so that stopping it stops tsx's child too.
	server = spawn(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'app/server/main.ts'], { env, detached: true, stdio: 'ignore' })
	await expect(async () => {
		const response = await fetch(`${baseURL}/healthz`)
		expect([200, 503]).toContain(response.status)
	}).toPass({ timeout: 90_000 })
})

test.afterAll(async () => {
	if (server?.pid) {
		const exited = new Promise((resolve) => server!.once('exit', resolve))
		process.kill(-server.pid, 'SIGTERM')
		await exited
	}
	await admin?.unsafe(`drop database if exists ${database} with (force)`)
	await admin?.end()
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

const degradedPage = async (browser: Browser) => (await browser.newContext({ baseURL, locale: 'en-US' })).newPage()

test('with Meilisearch down, search answers from PostgreSQL with a notice, in English and Japanese', async ({ browser, request }) => {
	const health = await request.get(`${baseURL}/healthz`)
	expect(health.status()).toBe(503)
	expect(Object.keys((await health.json()).failing)).toEqual(['meilisearch'])

	const page = await degradedPage(browser)
	await page.goto('/search?q=download+past+invoices')
	await expect(page.getByTestId('search-degraded')).toHaveText('Search is running in a reduced mode; results may be less relevant.')
	await expect(page.getByTestId('search-hit').first()).toContainText('Where can I download past invoices as PDF?')
	await expect(page.getByTestId('search-hit').first().locator('mark').first()).toBeVisible()

	// The English UI searches English content unless asked for every language.
	await page.goto(`/search?q=${encodeURIComponent('請求書の宛名')}&lang=all`)
	await expect(page.getByTestId('search-degraded')).toBeVisible()
	// The FAQ on the same problem comes first: curated help wins.
	await expect(page.getByTestId('search-hit').first()).toContainText('請求書の宛名や住所を変更するには')
	await expect(page.getByTestId('search-hit').filter({ hasText: '請求書の宛名と住所を変更したい' })).toBeVisible()

	// A question posted during the outage is found at once. The sign-up is confirmed in this server's own database.
	const me = await signUp(page, undefined, { verify: false })
	const own = postgres(databaseUrl, { max: 1, onnotice: () => {} })
	await own`update users set email_verified_at = now() where lower(email) = lower(${me.email})`
	await own.end()
	const marker = unique('zq').replace(/[^a-z0-9]/g, '')
	const title = `Gantt chart hides the weekend columns ${marker}`
	await askQuestion(page, { title, body: 'Saturday and Sunday disappeared from the Gantt view of our board.' })
	const box = page.getByRole('combobox', { name: 'Search' })
	await box.fill(`gantt weekend ${marker}`)
	const suggestions = page.getByRole('listbox')
	await expect(suggestions.getByText(title)).toBeVisible()
	await expect(suggestions.getByTestId('search-degraded')).toBeVisible()
	await box.press('Enter')
	await expect(page.getByTestId('search-hit').first()).toContainText(title)

	await page.goto('/search?q=invoice&type=faq')
	await expect(page.getByTestId('search-degraded')).toBeVisible()
	await expect(page.getByTestId('search-hit').first().locator('.badge.type')).toHaveText('FAQ')

	await page.goto('/')
	await page.evaluate(() => (document.cookie = 'kz_lang=ja; path=/'))
	await page.goto('/search?q=invoice')
	await expect(page.getByTestId('search-degraded')).toHaveText('検索は縮退モードで動作しています。結果の関連性が低い場合があります。')
})

test('the API says degraded, keeping its fields', async ({ request }) => {
	const response = await request.get(`${baseURL}/api/v1/search?q=${encodeURIComponent('download past invoices')}&limit=2`)
	expect(response.status()).toBe(200)
	const body = await response.json()
	expect(Object.keys(body)).toEqual(['searchId', 'total', 'hits', 'facets', 'degraded'])
	expect(body.degraded).toBe(true)
	// The demo has this as a thread and as an FAQ.
	expect(body.hits.map((hit: { title: string }) => hit.title)).toEqual(['Where can I download past invoices as PDF?', 'Where can I download past invoices as PDF?'])
	expect(body.hits[0].snippet).toContain('<mark>')
	expect(Object.keys(body.hits[0])).toEqual(['id', 'type', 'title', 'url', 'snippet', 'externalId', 'tags', 'solved', 'language'])
	expect(body.facets.type.question).toBeGreaterThan(0)
	const click = await request.post(`${baseURL}/api/v1/searches/${body.searchId}/clicks`, { data: { hitId: body.hits[0].id }, headers: { Origin: baseURL } })
	expect(click.status()).toBe(204)

	const normal = await (await request.get('/api/v1/search?q=invoice')).json()
	expect(normal.degraded).toBe(false)
})
