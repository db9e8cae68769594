import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '#search/embedded.server'

/**
 * A throwaway Kizuna (embedded Meilisearch in a temporary data dir, and embedded
 * PGlite there too unless a throwaway databaseUrl is given), driven like a user
 * would: the CLI to import, then the HTTP API. `env` is what its processes run with.
 * Options: `rateLimits: 'defaults'` keeps the rate limits a real install has (for
 * measuring abuse), `env` adds settings (e.g. KIZUNA_TRUSTED_PROXIES).
 */
/** A benchmark setting from the environment: a whole number of at least `min`. */
export function envInt(name: string, fallback: number, min = 0) {
	const value = Number(process.env[name] ?? fallback)
	if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}`)
	return value
}

/** The benchmarks' one argument: `--embedded` runs on PGlite instead of a throwaway PostgreSQL 15. */
export function embeddedArgument(argv = process.argv.slice(2)) {
	for (const arg of argv) if (arg !== '--embedded') throw new Error(`Unknown argument ${arg} (the only one is --embedded)`)
	return argv.includes('--embedded')
}

export type Instance = { baseUrl: string; dataDir: string; env: NodeJS.ProcessEnv; cli: (...args: string[]) => string; start: () => Promise<void>; stop: () => Promise<void> }

/**
 * Measurements send thousands of searches and votes from 127.0.0.1 in minutes, far
 * beyond the per-address rate limits meant for the public: they are measured
 * without them.
 */
const unlimited = ['signInAccount', 'signInAddress', 'signUp', 'post', 'vote', 'feedback', 'feedbackAddress', 'search', 'preview', 'apiToken', 'follow', 'mentionSuggest'].map((kind) => `${kind}=1000000/1s`).join(',')

export function createInstance(label: string, options: { databaseUrl?: string; rateLimits?: 'unlimited' | 'defaults'; env?: Record<string, string> } = {}): Instance {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kizuna-${label}-`))
	// An outer DATABASE_URL or MEILI_URL must not leak in: only the caller's own throwaway database is used.
	// Nor an outer KIZUNA_RATE_LIMITS: with `rateLimits: 'defaults'` the limits are the built-in ones.
	const { DATABASE_URL: _db, MEILI_URL: _meili, KIZUNA_RATE_LIMITS: _limits, ...outer } = process.env
	const env: NodeJS.ProcessEnv = {
		...outer,
		KIZUNA_DATA_DIR: dataDir,
		KIZUNA_DEMO_CONTENT: 'off',
		...(options.rateLimits === 'defaults' ? {} : { KIZUNA_RATE_LIMITS: unlimited }),
		...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
		...options.env,
	}
	let server: ChildProcess | null = null
	let baseUrl = ''
	const instance: Instance = {
		dataDir,
		env,
		get baseUrl() {
			return baseUrl
		},
		cli: (...args) => execFileSync('npx', ['tsx', 'app/server/cli.ts', ...args], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 }),
		async start() {
			const port = await freePort()
			baseUrl = `http://127.0.0.1:${port}`
			server = spawn('npx', ['tsx', 'app/server/main.ts'], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'], detached: true })
			const deadline = Date.now() + 120_000
			while (Date.now() < deadline) {
				try {
					if ((await fetch(`${baseUrl}/healthz`)).ok) return
				} catch {
					// not listening yet
				}
				await new Promise((r) => setTimeout(r, 250))
			}
			throw new Error('The Kizuna server did not start within 120 s')
		},
		async stop() {
			if (server?.pid) {
				process.kill(-server.pid, 'SIGTERM')
				// npx exits before the server it started has finished shutting down (writing
				// queued events, stopping Meilisearch): wait for the whole process group.
				const deadline = Date.now() + 15_000
				while (Date.now() < deadline && groupAlive(server.pid)) await new Promise((r) => setTimeout(r, 100))
			}
			fs.rmSync(dataDir, { recursive: true, force: true })
		},
	}
	return instance
}

function groupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0)
		return true
	} catch {
		return false
	}
}

/**
 * Builds the app into a directory of this process's own, so what is measured is the
 * code as it is now, and a build by anyone else (or another measurement running at
 * the same time) cannot swap it. The directory lives in the project, where the
 * bundle resolves its packages, and is removed when the process exits.
 */
export function buildForMeasurement(): string {
	const started = performance.now()
	const dir = path.resolve(`.cache/measure-build-${process.pid}`)
	execFileSync('npx', ['remix', 'vite:build'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, KIZUNA_BUILD_DIR: dir } })
	process.env.KIZUNA_BUILD_DIR = dir
	process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
	return `${path.relative('.', dir)} in ${((performance.now() - started) / 1000).toFixed(1)} s`
}

/** Runs a benchmark's main: its number is the exit code (1 when a target was missed); a crash prints its stack and exits 2. */
export function runBenchmark(main: () => Promise<number | void>) {
	main().then(
		(code) => process.exit(code ?? 0),
		(error) => {
			console.error(error instanceof Error ? (error.stack ?? error.message) : error)
			process.exit(2)
		},
	)
}
