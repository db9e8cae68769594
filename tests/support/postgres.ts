import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { freePort } from '../../search/embedded.server'

/**
 * A throwaway PostgreSQL 15 cluster for the test suite: initdb in a temp dir,
 * fsync off, trust auth on loopback, removed again by stop().
 */
export type TestPostgres = {
	/** URL of the `postgres` maintenance database. */
	url: string
	/** Creates a database and returns its URL. */
	createDatabase(name: string): Promise<string>
	stop(): Promise<void>
}

const BIN_DIR = '/usr/lib/postgresql/15/bin'
const PG_USER = 'postgres'

const isRoot = () => process.getuid?.() === 0

function ensureBinaries() {
	if (fs.existsSync(path.join(BIN_DIR, 'postgres')) && fs.existsSync(path.join(BIN_DIR, 'initdb'))) return
	if (!isRoot()) {
		throw new Error(
			`PostgreSQL 15 is not installed (no ${BIN_DIR}/postgres). Install Debian's package first:\n` +
				'  sudo apt-get update && sudo apt-get install -y postgresql-15',
		)
	}
	console.log(`[postgres] ${BIN_DIR} is missing: installing postgresql-15 with apt-get…`)
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'postgresql-15']]) {
		const result = spawnSync('apt-get', args, { stdio: 'inherit', env })
		if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal})`)
	}
	if (!fs.existsSync(path.join(BIN_DIR, 'postgres'))) throw new Error(`postgresql-15 installed but ${BIN_DIR}/postgres is still missing`)
}

/** The uid/gid the server runs as: ours, or the `postgres` system user when we are root. */
function serverIdentity(): { uid: number; gid: number } | null {
	if (!isRoot()) return null
	try {
		const uid = Number(execFileSync('id', ['-u', PG_USER], { encoding: 'utf8' }).trim())
		const gid = Number(execFileSync('id', ['-g', PG_USER], { encoding: 'utf8' }).trim())
		return { uid, gid }
	} catch {
		throw new Error(
			`PostgreSQL refuses to run as root and there is no '${PG_USER}' system user to run it as ` +
				"(Debian's postgresql-15 package creates it). Run the tests as a normal user, or create that user.",
		)
	}
}

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function command(binary: string, args: string[]): [string, string[]] {
	const full = path.join(BIN_DIR, binary)
	return isRoot() ? ['runuser', ['-u', PG_USER, '--', full, ...args]] : [full, args]
}

function run(binary: string, args: string[], cwd: string) {
	const [file, argv] = command(binary, args)
	return spawnSync(file, argv, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: '', LANG: '' } })
}

function makeBaseDir(identity: { uid: number; gid: number } | null): string {
	const candidates = [os.tmpdir(), '/tmp'].filter((dir, i, all) => all.indexOf(dir) === i)
	for (const parent of candidates) {
		const dir = fs.mkdtempSync(path.join(parent, 'kizuna-pg-'))
		if (!identity) return dir
		fs.chownSync(dir, identity.uid, identity.gid)
		// The postgres user must be able to reach the directory (e.g. TMPDIR=/root/tmp is not reachable).
		const probe = spawnSync('runuser', ['-u', PG_USER, '--', 'test', '-w', dir])
		if (probe.status === 0) return dir
		fs.rmSync(dir, { recursive: true, force: true })
	}
	throw new Error(`The '${PG_USER}' user cannot write to a temp dir under ${candidates.join(' or ')}`)
}

function initdb(dataDir: string, cwd: string) {
	const base = ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--encoding=UTF8', '--no-instructions']
	let result = run('initdb', [...base, '--locale=C.UTF-8'], cwd)
	if (result.status !== 0) {
		fs.rmSync(dataDir, { recursive: true, force: true })
		const first = `${result.stdout}${result.stderr}`
		result = run('initdb', [...base, '--locale=C'], cwd)
		if (result.status !== 0) {
			throw new Error(`initdb failed:\n--- with C.UTF-8 ---\n${first}\n--- with C ---\n${result.stdout}${result.stderr}`)
		}
	}
}

function readPostmasterPid(dataDir: string): number | null {
	try {
		const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
		return Number.isInteger(pid) && pid > 0 ? pid : null
	} catch {
		return null
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0)
		return true
	} catch {
		return false
	}
}

function readLog(file: string): string {
	try {
		return fs.readFileSync(file, 'utf8').slice(-4000)
	} catch {
		return '(no log)'
	}
}

export async function startPostgres(): Promise<TestPostgres> {
	ensureBinaries()
	const identity = serverIdentity()
	const baseDir = makeBaseDir(identity)
	const dataDir = path.join(baseDir, 'data')
	const socketDir = path.join(baseDir, 'socket')
	const logFile = path.join(baseDir, 'postgres.log')
	let child: ChildProcess | null = null
	let admin: postgres.Sql | null = null

	// Last-resort cleanup if the process exits without stop(): immediate shutdown.
	const killOnExit = () => {
		const pid = readPostmasterPid(dataDir)
		for (const target of [pid, child?.pid]) {
			if (target) {
				try {
					process.kill(target, 'SIGQUIT')
				} catch {}
			}
		}
		const deadline = Date.now() + 3000
		while (pid && alive(pid) && Date.now() < deadline) spawnSync('sleep', ['0.05'])
		fs.rmSync(baseDir, { recursive: true, force: true })
	}
	process.once('exit', killOnExit)

	const stop = async () => {
		process.off('exit', killOnExit)
		await admin?.end({ timeout: 2 }).catch(() => {})
		admin = null
		const proc = child
		child = null
		if (proc && proc.exitCode === null && proc.signalCode === null) {
			const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
			// runuser does not pass signals through cleanly: signal the postmaster itself.
			// SIGINT = fast shutdown (disconnect clients, checkpoint, exit).
			const pid = readPostmasterPid(dataDir) ?? proc.pid
			const signal = (name: NodeJS.Signals) => {
				try {
					if (pid) process.kill(pid, name)
				} catch {}
			}
			signal('SIGINT')
			const escalate = setTimeout(() => signal('SIGQUIT'), 10_000)
			const kill = setTimeout(() => proc.kill('SIGKILL'), 15_000)
			await exited
			clearTimeout(escalate)
			clearTimeout(kill)
		}
		fs.rmSync(baseDir, { recursive: true, force: true })
	}

	try {
		fs.mkdirSync(socketDir)
		if (identity) fs.chownSync(socketDir, identity.uid, identity.gid)
		initdb(dataDir, baseDir)

		const port = await freePort()
		const log = fs.openSync(logFile, 'a')
		const [file, argv] = command('postgres', [
			'-D', dataDir,
			'-p', String(port),
			'-k', socketDir,
			'-c', 'listen_addresses=127.0.0.1',
			'-c', 'fsync=off',
			'-c', 'synchronous_commit=off',
			'-c', 'full_page_writes=off',
			'-c', 'max_connections=200',
		])
		// Own process group: a Ctrl-C in the terminal reaches the orchestrator, which
		// then stops the server in order, instead of runuser killing it mid-shutdown.
		child = spawn(file, argv, { cwd: baseDir, stdio: ['ignore', log, log], detached: true })
		fs.closeSync(log)
		const started = child

		const url = `postgres://postgres@127.0.0.1:${port}/postgres`
		const deadline = Date.now() + 60_000
		for (;;) {
			if (started.exitCode !== null || started.signalCode !== null) {
				throw new Error(`PostgreSQL exited during start-up (${started.exitCode ?? started.signalCode}):\n${readLog(logFile)}`)
			}
			const probe = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} })
			try {
				await probe`select 1`
				admin = probe
				break
			} catch (error) {
				await probe.end({ timeout: 1 }).catch(() => {})
				if (Date.now() > deadline) {
					throw new Error(`PostgreSQL did not accept connections within 60 s (${(error as Error).message}):\n${readLog(logFile)}`)
				}
				await new Promise((r) => setTimeout(r, 100))
			}
		}

		return {
			url,
			async createDatabase(name: string) {
				if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid database name: ${name}`)
				if (!admin) throw new Error('PostgreSQL is stopped')
				await admin.unsafe(`CREATE DATABASE "${name}"`)
				return `postgres://postgres@127.0.0.1:${port}/${name}`
			},
			stop,
		}
	} catch (error) {
		await stop()
		throw error
	}
}
