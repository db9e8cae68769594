import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { DomainError } from '~/utils/errors.server'
import { log } from '~/utils/log.server'
import { closeDatabase, connectDatabase, db, embeddedDatabase, embeddedDataPath } from './client.server'

/**
 * Backups of the whole database, and their restore. The embedded database (PGlite)
 * is saved as its data directory in a .tar.gz (PGlite's dumpDataDir); a PostgreSQL
 * server as pg_dump's custom format. A restore never leaves a half-restored
 * database: the embedded one is loaded into a new directory, checked, and swapped
 * in; a server's is replayed by psql in one transaction, which commits whole or not
 * at all. Searching what was restored is the caller's next step (a reindex).
 */
export type DatabaseTarget = { databaseUrl?: string; dataDir: string; pgBin?: string }

const GZIP = Buffer.from([0x1f, 0x8b])
const PG_CUSTOM = Buffer.from('PGDMP')

/** The tables whose rows make a database worth not overwriting by accident. */
const CONTENT_TABLES = ['users', 'questions', 'faqs', 'tutorials', 'accounts']

/**
 * Writes next to the file and renames it into place, so a failed backup never leaves
 * a cut-short file under the name. The partial file has a random name and is created
 * new (never an existing file or a symlink someone planted there) with mode 0600
 * before any data is written: a backup holds password hashes and live session ids.
 * It is flushed to disk before the rename, so a crash cannot leave it cut short under the name.
 */
async function writeInPlace(file: string, write: (partial: number) => Promise<void>): Promise<number> {
	const partial = `${file}.partial-${crypto.randomBytes(8).toString('hex')}`
	const handle = fs.openSync(partial, 'wx', 0o600)
	try {
		await write(handle)
		fs.fsyncSync(handle)
		fs.renameSync(partial, file)
	} finally {
		fs.closeSync(handle)
		fs.rmSync(partial, { force: true })
	}
	return fs.statSync(file).size
}

export async function backupDatabase(file: string, target: DatabaseTarget): Promise<{ bytes: number; kind: 'embedded' | 'server' }> {
	const folder = path.dirname(file)
	if (!fs.existsSync(folder)) throw new DomainError('invalid', `The folder ${folder} does not exist`)
	if (target.databaseUrl) {
		const pgDump = findPgTool('pg_dump', target.pgBin)
		// pg_dump writes to the file opened here (its standard output), not to one it creates with its own mode.
		const bytes = await writeInPlace(file, (partial) => run(pgDump, ['--format=custom', '--no-owner', '--no-privileges'], connectionEnv(target.databaseUrl!), partial))
		return { bytes, kind: 'server' }
	}
	const embedded = embeddedDatabase()
	if (!embedded) throw new Error('The embedded database is not open')
	// Everything committed is written to the data files first, so the copy needs no recovery to be whole.
	await embedded.exec('checkpoint')
	const archive = await embedded.dumpDataDir('gzip')
	const bytes = await writeInPlace(file, async (partial) => fs.writeFileSync(partial, Buffer.from(await archive.arrayBuffer())))
	return { bytes, kind: 'embedded' }
}

/** Whether any account, post or customer account is stored: restoring over it needs --force. */
export async function hasContent(): Promise<boolean> {
	const checks = CONTENT_TABLES.map((table) => `exists (select 1 from "${table}")`).join(' or ')
	const [row] = (await db.execute(sql.raw(`select (${checks}) as "hasContent"`))) as unknown as Array<{ hasContent: boolean }>
	return row?.hasContent ?? false
}

export async function restoreDatabase(file: string, target: DatabaseTarget, options: { force: boolean }): Promise<{ kind: 'embedded' | 'server' }> {
	let head: Buffer
	try {
		const handle = fs.openSync(file, 'r')
		head = Buffer.alloc(5)
		fs.readSync(handle, head, 0, 5, 0)
		fs.closeSync(handle)
	} catch (error) {
		throw new DomainError('invalid', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
	}
	const isServerDump = head.subarray(0, 5).equals(PG_CUSTOM)
	const isEmbeddedDump = head.subarray(0, 2).equals(GZIP)
	if (target.databaseUrl && !isServerDump) {
		throw new DomainError('invalid', isEmbeddedDump ? 'This is a backup of an embedded database: restore it without DATABASE_URL' : `${file} is not a backup made by pg_dump --format=custom`)
	}
	if (!target.databaseUrl && !isEmbeddedDump) {
		throw new DomainError('invalid', isServerDump ? 'This is a backup of a PostgreSQL server (pg_dump): restore it with DATABASE_URL set' : `${file} is not a backup of an embedded database`)
	}
	if (!options.force && (await hasContent())) {
		throw new DomainError('conflict', 'The database already has people or content: add --force to replace all of it with the backup')
	}
	if (target.databaseUrl) {
		await restoreServer(file, target)
		// A backup from an older version is brought up to this one's schema, as a start would.
		await closeDatabase()
		await connectDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir })
		return { kind: 'server' }
	}
	await restoreEmbedded(file, target.dataDir)
	return { kind: 'embedded' }
}

/**
 * Loads the archive into a new directory beside the live one and opens it there
 * (PGlite checks it and replays its log) before anything is replaced; then swaps
 * the directories while the database is closed for a moment, and opens the result
 * with migrations, as a start does. If that fails the old directory is put back.
 * A previous directory left over is never deleted: the restore refuses to start.
 */
async function restoreEmbedded(file: string, dataDir: string) {
	const live = embeddedDataPath(dataDir)
	const incoming = `${live}.restoring`
	const previous = `${live}.before-restore`
	// Left by a restore that stopped between its two renames, it may be the only copy of the database.
	if (fs.existsSync(previous)) {
		throw new DomainError(
			'conflict',
			`${previous} is left from a restore that did not finish and may hold the only copy of the database. With Kizuna stopped, keep whichever of it and ${live} holds your data as ${live}, move the other out of the data directory, and restore again.`,
		)
	}
	fs.rmSync(incoming, { recursive: true, force: true })
	try {
		const { PGlite } = await import('@electric-sql/pglite')
		const loaded = await PGlite.create(incoming, { loadDataDir: new Blob([fs.readFileSync(file)]) })
		try {
			await loaded.query('select count(*) from drizzle.__drizzle_migrations')
		} catch {
			throw new DomainError('invalid', `${file} is not a backup of a Kizuna database`)
		} finally {
			await loaded.close()
		}
	} catch (error) {
		fs.rmSync(incoming, { recursive: true, force: true })
		if (error instanceof DomainError) throw error
		throw new DomainError('invalid', `${file} could not be loaded as an embedded database: ${(error as Error).message}`)
	}
	await closeDatabase()
	fs.renameSync(live, previous)
	fs.renameSync(incoming, live)
	try {
		await connectDatabase({ dataDir })
	} catch (error) {
		log.error({ err: error }, 'The restored database did not open: the previous one is put back')
		await closeDatabase()
		fs.rmSync(live, { recursive: true, force: true })
		fs.renameSync(previous, live)
		await connectDatabase({ dataDir })
		throw error
	}
	fs.rmSync(previous, { recursive: true, force: true })
}

/** The schemas a Kizuna database has (migrations: public, drizzle; the job queue: pgboss), dropped and replayed in one transaction. */
const RESET_SCHEMAS = 'drop schema if exists pgboss cascade; drop schema if exists drizzle cascade; drop schema if exists public cascade; create schema public;'

async function restoreServer(file: string, target: DatabaseTarget) {
	const pgRestore = findPgTool('pg_restore', target.pgBin)
	const psql = findPgTool('psql', target.pgBin)
	// pg_restore turns the archive into SQL and psql runs it after dropping what is there, in one
	// transaction that is committed only once pg_restore has read the whole archive: an archive cut
	// short, or any error (ON_ERROR_STOP), ends psql without COMMIT, so PostgreSQL rolls everything
	// back, and other processes see the old database or the new one, never a mix.
	await new Promise<void>((resolve, reject) => {
		const reader = spawn(pgRestore, ['--no-owner', '--no-privileges', '--file=-', file], { stdio: ['ignore', 'pipe', 'pipe'] })
		const writer = spawn(psql, ['--no-psqlrc', '--quiet', '--set=ON_ERROR_STOP=1'], { env: connectionEnv(target.databaseUrl!), stdio: ['pipe', 'ignore', 'pipe'] })
		let errors = ''
		let readerCode: number | null = null
		reader.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()))
		writer.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()))
		writer.stdin.on('error', () => {})
		reader.once('error', reject)
		writer.once('error', reject)
		writer.stdin.write(`BEGIN;\n${RESET_SCHEMAS}\n`)
		reader.stdout.pipe(writer.stdin, { end: false })
		reader.once('close', (code) => {
			readerCode = code
			writer.stdin.end(code === 0 ? 'COMMIT;\n' : '')
		})
		writer.once('close', (code) => {
			if (code === 0 && readerCode === 0) resolve()
			else reject(new DomainError('invalid', `The restore was rolled back; the database is as it was. ${errors.trim().slice(0, 2000)}`))
		})
	})
}

/** Where a PostgreSQL client program is: in KIZUNA_PG_BIN when set, else on PATH. */
export function findPgTool(name: 'pg_dump' | 'pg_restore' | 'psql', pgBin: string | undefined, searchPath = process.env.PATH ?? ''): string {
	const folders = pgBin ? [pgBin] : searchPath.split(path.delimiter).filter(Boolean)
	for (const folder of folders) {
		const candidate = path.join(folder, name)
		try {
			fs.accessSync(candidate, fs.constants.X_OK)
			return candidate
		} catch {
			// Not in this folder.
		}
	}
	throw new DomainError(
		'unavailable',
		pgBin
			? `${name} was not found in KIZUNA_PG_BIN (${pgBin})`
			: `${name} was not found on PATH: install the PostgreSQL client programs (the server's major version or newer), or set KIZUNA_PG_BIN to the folder that has them`,
	)
}

/** libpq's environment for a connection URL: the password never appears on a command line others can list. */
export function connectionEnv(databaseUrl: string): NodeJS.ProcessEnv {
	const url = new URL(databaseUrl)
	const env: NodeJS.ProcessEnv = { ...process.env, PGHOST: decodeURIComponent(url.hostname.replace(/^\[|\]$/g, '')), PGPORT: url.port || '5432', PGDATABASE: decodeURIComponent(url.pathname.slice(1)) }
	if (url.username) env.PGUSER = decodeURIComponent(url.username)
	if (url.password) env.PGPASSWORD = decodeURIComponent(url.password)
	const sslmode = url.searchParams.get('sslmode')
	if (sslmode) env.PGSSLMODE = sslmode
	const host = url.searchParams.get('host')
	if (host) env.PGHOST = host
	return env
}

function run(program: string, args: string[], env: NodeJS.ProcessEnv, output: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(program, args, { env, stdio: ['ignore', output, 'pipe'] })
		let errors = ''
		child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()))
		child.once('error', reject)
		child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(program)} failed (exit code ${code}): ${errors.trim().slice(0, 2000)}`))))
	})
}
