import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { expect, startServer, test } from './support'

const run = promisify(execFile)

/**
 * Backup and restore of the embedded database while `npm start` runs: the CLI has
 * the server do both through the data dir's command socket, with the file named
 * relative to the CLI's own directory. PGlite here, the suite's Meilisearch under a
 * prefix of its own (the bundled one is tested by embedded.spec.ts).
 */
test('the embedded database is backed up and restored through the running server, and the site shows the restored content', async ({ page }) => {
	test.setTimeout(150_000)
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-backup-e2e-'))
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-backup-cwd-'))
	const search = { MEILI_URL: process.env.MEILI_URL, MEILI_MASTER_KEY: process.env.MEILI_MASTER_KEY, MEILI_INDEX_PREFIX: 'e2ebackup_' }
	const server = await startServer({ KIZUNA_DATA_DIR: dataDir, KIZUNA_DEMO_CONTENT: 'off', ...search }, { timeoutMs: 120_000 })
	const cli = (...args: string[]) =>
		// Another directory than the checkout: tsx is told where the project's tsconfig (its import aliases) is.
		run(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), '--tsconfig', path.resolve('tsconfig.json'), path.resolve('app/server/cli.ts'), ...args], {
			encoding: 'utf8',
			cwd: workDir,
			env: { NODE_ENV: 'production', PATH: process.env.PATH, HOME: process.env.HOME, KIZUNA_DATA_DIR: dataDir, ...search },
		}).catch((error: { code: number; stdout: string; stderr: string }) => error)
	const content = (questions: Array<{ externalId: string; title: string }>) => {
		const file = path.join(workDir, 'content.json')
		fs.writeFileSync(file, JSON.stringify({ questions: questions.map((q) => ({ ...q, body: 'How does this work for our team?', answers: [{ body: 'Open the board settings.' }] })) }))
		return cli('import', 'content.json')
	}
	const titlesFound = async (q: string) => ((await (await fetch(`${server.url}/api/v1/search?q=${encodeURIComponent(q)}`)).json()) as { hits: Array<{ title: string }> }).hits.map((hit) => hit.title)
	try {
		const imported = await content([{ externalId: 'q1', title: 'How do I rotate the signing key of a board?' }])
		expect(imported).toMatchObject({ stdout: expect.stringContaining('questions: 1 created') })
		await expect.poll(() => titlesFound('rotate signing key')).toContain('How do I rotate the signing key of a board?')

		const backup = await cli('backup', 'kizuna-backup.tar.gz')
		expect(backup.stderr).toContain(`Using the running Kizuna server (pid ${server.process.pid}) for data dir ${dataDir}.`)
		expect(backup.stdout).toContain(`Backed up the embedded database to ${path.join(workDir, 'kizuna-backup.tar.gz')}`)
		expect(fs.statSync(path.join(workDir, 'kizuna-backup.tar.gz')).size).toBeGreaterThan(1000)

		// Changed after the backup: the question renamed, another asked.
		await content([
			{ externalId: 'q1', title: 'Renamed after the backup: key rotation' },
			{ externalId: 'q2', title: 'Asked after the backup about archived boards' },
		])
		await expect.poll(() => titlesFound('archived boards')).toContain('Asked after the backup about archived boards')

		const refused = await cli('restore', 'kizuna-backup.tar.gz')
		expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('The database already has people or content: add --force to replace all of it with the backup') })

		const restored = await cli('restore', 'kizuna-backup.tar.gz', '--force')
		expect(restored.stdout).toContain('into the embedded database.')
		expect(restored.stdout).toContain('Reindexed 1 question(s)')
		expect(fs.readdirSync(dataDir).filter((name) => name.startsWith('pglite'))).toEqual(['pglite'])

		// The server goes on, on the restored database: the change is gone from pages and search.
		await page.goto(`${server.url}/questions`)
		await expect(page.getByRole('link', { name: 'How do I rotate the signing key of a board?' })).toBeVisible()
		await expect(page.getByText('Asked after the backup about archived boards')).toHaveCount(0)
		await expect(page.getByText('Renamed after the backup: key rotation')).toHaveCount(0)
		expect(await titlesFound('rotate signing key')).toContain('How do I rotate the signing key of a board?')
		expect(await titlesFound('archived boards')).not.toContain('Asked after the backup about archived boards')

		// A file that is no backup changes nothing.
		fs.writeFileSync(path.join(workDir, 'notes.txt'), 'hello')
		expect(await cli('restore', 'notes.txt', '--force')).toMatchObject({ code: 1, stderr: expect.stringContaining('is not a backup of an embedded database') })
		await page.reload()
		await expect(page.getByRole('link', { name: 'How do I rotate the signing key of a board?' })).toBeVisible()
	} finally {
		await server.stop()
		fs.rmSync(dataDir, { recursive: true, force: true })
		fs.rmSync(workDir, { recursive: true, force: true })
	}
})
