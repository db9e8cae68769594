import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { runCommand, type Output } from '../../app/server/commands'
import { findPgTool, restoreDatabase } from '../../db/backup.server'
import { db } from '../../db/client.server'
import { questions } from '../../db/schema'
import { searchContent } from '../../search/query.server'
import { person, question } from '../support/factories'
import { resetData } from '../support/reset'

/**
 * Backup and restore of a PostgreSQL server database through the CLI's commands
 * (pg_dump and pg_restore of the suite's PostgreSQL 15). The embedded database's
 * are tested end to end, through a running server (tests/e2e/backup.spec.ts).
 */
const PG_BIN = '/usr/lib/postgresql/15/bin'
const saved = { ...process.env }
let dir = ''

async function cli(command: 'backup' | 'restore', file: string, force = false) {
	const out: string[] = []
	const err: string[] = []
	const output: Output = { out: (line) => void out.push(line), err: (line) => void err.push(line) }
	const code = await runCommand({ command, values: force ? { force: true } : {}, positionals: [file] }, output)
	return { code, out: out.join('\n'), err: err.join('\n') }
}

const anonymous = { userId: null, visitorId: 'backup-visitor', record: false }
const titlesFound = async (q: string) => (await searchContent({ q, limit: 20 }, anonymous)).hits.map((hit) => hit.title)

describe('backup and restore with DATABASE_URL', () => {
	beforeAll(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-backup-'))
		process.env.KIZUNA_PG_BIN = PG_BIN
	})
	afterAll(() => {
		process.env = saved
		fs.rmSync(dir, { recursive: true, force: true })
	})
	beforeEach(resetData)

	it('restores what was backed up: later changes are gone, search finds the restored content', async () => {
		const asker = await person('member')
		const kept = await question(asker, { title: 'How do I rotate the signing key of a board?' })
		await runPendingJobs()
		const file = path.join(dir, 'kizuna.dump')
		const backup = await cli('backup', file)
		expect(backup).toMatchObject({ code: 0, out: expect.stringMatching(/^Backed up the database at DATABASE_URL to .*kizuna\.dump \(\d+\.\d MB\)\.$/) })
		expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP')

		// Changes after the backup: an edit and a new question.
		await db.update(questions).set({ title: 'Renamed after the backup: signing key rotation' }).where(eq(questions.id, kept.id))
		await question(asker, { title: 'Asked after the backup about a board archive' })

		const refused = await cli('restore', file)
		expect(refused).toMatchObject({ code: 1, err: 'The database already has people or content: add --force to replace all of it with the backup' })
		expect(await db.$count(questions)).toBe(2)

		const restored = await cli('restore', file, true)
		expect(restored.code).toBe(0)
		expect(restored.out).toContain(`Restored ${file} into the database at DATABASE_URL.`)
		expect(restored.out).toContain('Reindexed 1 question(s), 0 FAQ(s) and 0 tutorial(s)')
		expect((await db.select({ title: questions.title }).from(questions)).map((row) => row.title)).toEqual(['How do I rotate the signing key of a board?'])
		expect(await titlesFound('rotate signing key board')).toContain('How do I rotate the signing key of a board?')
		expect(await titlesFound('board archive')).not.toContain('Asked after the backup about a board archive')
		// The restored database takes writes (its sequences came back too).
		await question(asker, { title: 'Asked after the restore about exports' })
		expect(await db.$count(questions)).toBe(2)
	})

	it('never leaves a half-restored database: a backup cut short is rolled back whole', async () => {
		await question(await person('member'), { title: 'A question that must survive a failed restore' })
		const file = path.join(dir, 'whole.dump')
		expect((await cli('backup', file)).code).toBe(0)
		const cut = path.join(dir, 'cut.dump')
		const bytes = fs.readFileSync(file)
		fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.8)))
		await question(await person('member'), { title: 'Asked after the backup, kept by the rollback' })

		const failed = await cli('restore', cut, true)
		expect(failed.code).toBe(1)
		expect(failed.err).toContain('The restore was rolled back; the database is as it was.')
		expect((await db.select({ title: questions.title }).from(questions)).map((row) => row.title).sort()).toEqual(['A question that must survive a failed restore', 'Asked after the backup, kept by the rollback'])

		const notADump = path.join(dir, 'notes.txt')
		fs.writeFileSync(notADump, 'hello')
		expect(await cli('restore', notADump, true)).toMatchObject({ code: 1, err: `${notADump} is not a backup made by pg_dump --format=custom` })
		expect(await cli('restore', path.join(dir, 'missing.dump'), true)).toMatchObject({ code: 1, err: expect.stringContaining('Cannot read') })
	})

	it('writes a backup readable by its owner only, even over a file others could read', async () => {
		const file = path.join(dir, 'private.dump')
		fs.writeFileSync(file, 'an older backup', { mode: 0o644 })
		expect((await cli('backup', file)).code).toBe(0)
		// It holds password hashes and live session ids.
		expect(fs.statSync(file).mode & 0o777).toBe(0o600)
		expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP')
		expect(fs.readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([])
	})

	it('says clearly when the PostgreSQL programs are missing', async () => {
		expect(findPgTool('pg_dump', PG_BIN)).toBe(`${PG_BIN}/pg_dump`)
		expect(() => findPgTool('pg_dump', undefined, '/nonexistent:/also-not-here')).toThrow(/pg_dump was not found on PATH: install the PostgreSQL client programs .* or set KIZUNA_PG_BIN/)
		process.env.KIZUNA_PG_BIN = path.join(dir, 'no-bin')
		try {
			expect(await cli('backup', path.join(dir, 'never.dump'))).toMatchObject({ code: 1, err: `pg_dump was not found in KIZUNA_PG_BIN (${path.join(dir, 'no-bin')})` })
			expect(fs.existsSync(path.join(dir, 'never.dump'))).toBe(false)
		} finally {
			process.env.KIZUNA_PG_BIN = PG_BIN
		}
	})
})

describe('restore of an embedded database', () => {
	it('never deletes the directory a restore that stopped between its renames left: it may be the only copy', async () => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-restore-'))
		try {
			const leftover = path.join(dataDir, 'pglite.before-restore')
			fs.mkdirSync(leftover)
			fs.writeFileSync(path.join(leftover, 'PG_VERSION'), '17')
			const archive = path.join(dataDir, 'embedded.backup')
			fs.writeFileSync(archive, Buffer.from([0x1f, 0x8b, 0x08, 0x00]))
			await expect(restoreDatabase(archive, { dataDir }, { force: true })).rejects.toThrow(
				`${leftover} is left from a restore that did not finish and may hold the only copy of the database. With Kizuna stopped, keep whichever of it and ${path.join(dataDir, 'pglite')} holds your data as ${path.join(dataDir, 'pglite')}, move the other out of the data directory, and restore again.`,
			)
			expect(fs.readFileSync(path.join(leftover, 'PG_VERSION'), 'utf8')).toBe('17')
		} finally {
			fs.rmSync(dataDir, { recursive: true, force: true })
		}
	})
})
