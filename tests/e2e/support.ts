import { execFile } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { test as base, expect, type Page } from '@playwright/test'
import { simpleParser, type ParsedMail } from 'mailparser'
import type { Role } from '../../db/schema'
import { cloneDatabase } from '../support/databases'
import { startServer } from '../support/server-process'
import * as factories from '../support/factories'
import { runPendingJobs } from '../../app/jobs/worker.server'

export { expect, startServer }
export const unique = factories.unique

/**
 * Each Playwright worker runs its own Kizuna: a clone of the migrated template
 * database, its own Meilisearch index prefix and data dir, on a free port. Two workers
 * then never see each other's rows, search documents, vocabulary, webhooks or rate-limit
 * counts, so their specs run side by side (one shared server made every spec wait for
 * the others: 5 minutes for 50 tests). The worker's process also connects to that
 * database, so fixtures create people, sessions and tokens in-process (a few ms) rather
 * than through a CLI process each (3–6 s on this machine).
 */
type Kizuna = { url: string; databaseUrl: string }
type Env = Record<string, string | undefined>

const serverEnvNames = ['MEILI_URL', 'MEILI_MASTER_KEY', 'KIZUNA_BUILD_DIR', 'KIZUNA_RATE_LIMITS', 'KIZUNA_ALLOW_PRIVATE_URLS'] as const

export const test = base.extend<{}, { kizuna: Kizuna }>({
	kizuna: [
		async ({}, use, workerInfo) => {
			const templateUrl = process.env.KIZUNA_TEST_TEMPLATE_URL
			if (!templateUrl) throw new Error('KIZUNA_TEST_TEMPLATE_URL is not set: run the end-to-end tests with `npm test -- --only=e2e`')
			const id = workerInfo.workerIndex
			const databaseUrl = await cloneDatabase(templateUrl, `kizuna_e2e_${id}`)
			const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kizuna-e2e-${id}-`))
			const indexPrefix = `e2e${id}_`
			// A port chosen here rather than by the server, so links in its mails (KIZUNA_PUBLIC_URL) point back at it.
			const port = await freePort()
			const env: Env = {
				DATABASE_URL: databaseUrl,
				MEILI_INDEX_PREFIX: indexPrefix,
				KIZUNA_DATA_DIR: dataDir,
				KIZUNA_DEMO_CONTENT: 'off',
				PORT: String(port),
				KIZUNA_PUBLIC_URL: `http://127.0.0.1:${port}`,
			}
			for (const name of serverEnvNames) if (process.env[name] !== undefined) env[name] = process.env[name]
			const server = await startServer(env)
			// Specs and the processes they start (the CLI) address this worker's server and data.
			Object.assign(process.env, env, { E2E_BASE_URL: server.url })

			const { connectDatabase, closeDatabase } = await import('../../db/client.server')
			const { connectSearch } = await import('../../search/client.server')
			await connectDatabase({ databaseUrl, dataDir })
			connectSearch({ url: process.env.MEILI_URL!, masterKey: process.env.MEILI_MASTER_KEY, indexPrefix })
			// A site in use has its admin, so every sign-up in the specs makes a member.
			await factories.person('admin')
			await use({ url: server.url, databaseUrl })
			await server.stop()
			await closeDatabase()
			fs.rmSync(dataDir, { recursive: true, force: true })
		},
		{ scope: 'worker', auto: true, timeout: 120_000 },
	],
	baseURL: async ({ kizuna }, use) => use(kizuna.url),
})

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer()
		probe.once('error', reject)
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo
			probe.close(() => resolve(port))
		})
	})
}

/** The URL of this worker's server. */
export const baseUrl = () => process.env.E2E_BASE_URL!

const run = promisify(execFile)
/** `npm run cli -- …` against this worker's database and search; for the test of the CLI itself. */
export async function cli(...args: string[]): Promise<string> {
	return (await run(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'app/server/cli.ts', ...args], { encoding: 'utf8', env: process.env })).stdout
}

export const importContent = factories.importContent
export const importAccounts = factories.importAccounts

export type Person = factories.Person
/** A person with a password; `email` chooses their address, e.g. at a customer account's domain. */
export const createUser = (role: Role, email?: string) => factories.person(role, role, { email })
/** A person shown by exactly this name. */
export const namedUser = (role: Role, displayName: string) => factories.person(role, role, { displayName })
export const apiToken = factories.apiToken
/** Everything queued for the background worker, done now (as `npm run cli -- jobs:run`). */
/** What `npm run cli -- jobs:run` does: every pending job, and the recurring ones (journeys, alerts) now. */
export const runJobs = () => runPendingJobs({ recurring: true })

/**
 * Signs up through the form; the new address is then confirmed (as its mail's
 * link would), so the person can post. `{ verify: false }` leaves it unconfirmed.
 */
export async function signUp(page: Page, name = unique('Person'), options: { verify?: boolean } = {}) {
	const email = `${name.toLowerCase()}@example.test`
	const password = factories.PASSWORD
	await page.goto('/signup')
	await page.getByLabel('Name').fill(name)
	await page.getByLabel('Email').fill(email)
	await page.getByLabel('Password').fill(password)
	await page.getByRole('button', { name: 'Sign up' }).click()
	await expect(page.getByText(name, { exact: true })).toBeVisible()
	if (options.verify !== false) await factories.confirmAddressOf(email)
	return { name, email, password }
}

/**
 * Signs this person in with a session made in-process (the cookie signing in would
 * set), then opens the home page as them.
 */
export async function signIn(page: Page, user: factories.Person) {
	await page.context().addCookies([{ name: 'kz_session', value: await factories.sessionCookie(user), url: baseUrl(), httpOnly: true, sameSite: 'Lax' }])
	await page.goto('/')
	// Attached, not visible: on a phone the header's menu is closed.
	await expect(page.locator('form[action="/signout"]')).toBeAttached()
}

/** Opens a staff page from the header's Admin menu (app/components/site-header.tsx). */
export async function openAdminPage(page: Page, name: string | RegExp) {
	const link = page.locator('.admin-menu-links').getByRole('link', { name, exact: true })
	// The menu closes on every navigation: one still finishing (a form's redirect, the
	// root's reload) can close it again right after the click, so open it until it stays.
	// The click is inside the retry too: the menu can close between seeing the link and clicking it.
	await expect(async () => {
		if (!(await link.isVisible())) await page.locator('summary', { hasText: 'Admin' }).click()
		await link.click({ timeout: 1_000 })
	}).toPass({ timeout: 10_000 })
}

/** Signs in through the sign-in form, for the tests of the form itself. */
export async function signInWithForm(page: Page, user: { email: string; password: string }) {
	await page.goto('/signin')
	await page.getByLabel('Email').fill(user.email)
	await page.getByLabel('Password').fill(user.password)
	await page.getByRole('button', { name: 'Sign in' }).click()
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
}

/** Asks through the form and returns the question page's URL. */
export async function askQuestion(page: Page, input: { title: string; body: string; tags?: string }) {
	await page.goto('/questions/ask')
	await page.getByLabel('Title').fill(input.title)
	await page.getByLabel('Details').fill(input.body)
	if (input.tags) await page.getByLabel('Tags').fill(input.tags)
	await page.getByRole('button', { name: 'Post your question' }).click()
	await expect(page.getByRole('heading', { level: 1, name: input.title })).toBeVisible()
	return page.url()
}

/**
 * The mails this worker's server has sent to `address`, oldest first, as parsed
 * from the `.eml` files it writes to `<data dir>/mail/` when no SMTP_URL is set.
 * Waits (running pending jobs) until at least `count` have arrived.
 */
export async function mailsTo(address: string, options: { count?: number; timeoutMs?: number } = {}): Promise<ParsedMail[]> {
	const folder = path.join(process.env.KIZUNA_DATA_DIR!, 'mail')
	const deadline = Date.now() + (options.timeoutMs ?? 10_000)
	for (;;) {
		const files = fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => name.endsWith('.eml')).sort() : []
		const mails = await Promise.all(files.map(async (name) => simpleParser(fs.readFileSync(path.join(folder, name)))))
		const found = mails.filter((mail) => [mail.to ?? []].flat().some((to) => to.value.some((entry) => entry.address?.toLowerCase() === address.toLowerCase())))
		if (found.length >= (options.count ?? 1) || Date.now() > deadline) return found
		await runPendingJobs()
		await new Promise((resolve) => setTimeout(resolve, 200))
	}
}

/** The first link in a mail's text part whose path starts with `pathPrefix` (e.g. `/reset-password/`). */
export function linkIn(mail: ParsedMail, pathPrefix: string): string {
	const link = (mail.text ?? '').match(/https?:\/\/\S+/g)?.find((url) => new URL(url).pathname.startsWith(pathPrefix))
	if (!link) throw new Error(`No link to ${pathPrefix} in the mail "${mail.subject}":\n${mail.text}`)
	return link
}
