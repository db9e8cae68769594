import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { freePort } from '#search/embedded.server'
import { percentiles, type Latency } from './synthetic'

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

// ------------------------------------------------------------------ processes of an instance

/** The server's own process (not npx, tsx's launcher or Meilisearch): it has the instance's data dir and the largest RSS. */
export function serverPid(dataDir: string): number {
	let best = { pid: 0, rss: -1 }
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue
		try {
			const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8')
			if (!cmdline.includes('app/server/main.ts') || cmdline.startsWith('npm') || cmdline.includes('npx')) continue
			if (!fs.readFileSync(`/proc/${entry}/environ`, 'utf8').includes(`KIZUNA_DATA_DIR=${dataDir}\0`)) continue
			const rss = memory(Number(entry)).rss
			if (rss > best.rss) best = { pid: Number(entry), rss }
		} catch {
			// gone, or not ours
		}
	}
	if (!best.pid) throw new Error('Could not find the server process in /proc')
	return best.pid
}

export function memory(pid: number): { rss: number; hwm: number } {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
	const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024
	return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

// ------------------------------------------------------------------ CPU time

const TICKS_PER_SECOND = 100

/** Every process's parent and CPU time (user + system, in seconds) so far, from /proc. */
function processes(): Map<number, { ppid: number; cpu: number }> {
	const out = new Map<number, { ppid: number; cpu: number }>()
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue
		try {
			// After the command name in parentheses: state, ppid, …, utime (12th), stime (13th).
			const fields = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ').at(-1)!.split(' ')
			out.set(Number(entry), { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND })
		} catch {
			// gone
		}
	}
	return out
}

/** Busy CPU seconds of the whole machine so far (/proc/stat: everything but idle and iowait). */
function machineBusy(): number {
	const [, ...ticks] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number)
	return (ticks.reduce((sum, n) => sum + n, 0) - ticks[3]! - ticks[4]!) / TICKS_PER_SECOND
}

export type CpuShare = { server: number; meilisearch: number; postgres: number; bench: number; machine: number }

/**
 * Where the machine's CPU time goes: the Node server, what it started (Meilisearch),
 * what this bench started besides the server (PostgreSQL and its backends, the
 * server's npx/tsx launchers), this bench's own process (the attackers and the
 * person searching), and the whole machine (other work on it included).
 */
export function cpuShare(serverPid: number): CpuShare {
	const all = processes()
	const descends = (pid: number, ancestor: number) => {
		for (let at = all.get(pid)?.ppid; at !== undefined && at > 1; at = all.get(at)?.ppid) if (at === ancestor) return true
		return false
	}
	const share: CpuShare = { server: all.get(serverPid)?.cpu ?? 0, meilisearch: 0, postgres: 0, bench: 0, machine: machineBusy() }
	const usage = process.cpuUsage()
	share.bench = (usage.user + usage.system) / 1e6
	for (const [pid, { cpu }] of all) {
		if (pid === serverPid || pid === process.pid) continue
		if (descends(pid, serverPid)) share.meilisearch += cpu
		else if (descends(pid, process.pid)) share.postgres += cpu
	}
	return share
}

export const cpuUsed = (before: CpuShare, after: CpuShare): CpuShare => ({
	server: after.server - before.server,
	meilisearch: after.meilisearch - before.meilisearch,
	postgres: after.postgres - before.postgres,
	bench: after.bench - before.bench,
	machine: after.machine - before.machine,
})

/**
 * The embedded Meilisearch an instance's server started (search/embedded.server.ts):
 * its address (from its command line), master key (from the data dir) and pid, so a
 * benchmark can ask it directly beside the server, in the same run.
 */
export function embeddedMeilisearchOf(dataDir: string): { url: string; masterKey: string; pid: number } {
	const dbPath = path.join(dataDir, 'meilisearch')
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue
		try {
			const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
			const at = args.indexOf('--db-path')
			if (at === -1 || args[at + 1] !== dbPath) continue
			const address = args[args.indexOf('--http-addr') + 1]
			return { url: `http://${address}`, masterKey: fs.readFileSync(path.join(dataDir, 'meili-master-key'), 'utf8').trim(), pid: Number(entry) }
		} catch {
			// gone, or not ours
		}
	}
	throw new Error(`No embedded Meilisearch with --db-path ${dbPath} is running`)
}

export type Load = { latency: Latency; requests: number; requestsPerSecond: number; non2xx: number; errors: number; timeouts: number; statusCodes: Record<string, number>; elapsed: number }

/** One request of a load: the path, for a POST its JSON body, and headers of its own (replacing the load's). */
export type Sent = { path: string; body?: string; headers?: Record<string, string> }

/** Drives `baseUrl` with autocannon for `durationSeconds`: the clients share one rotation through `requests`; latencies of 2xx answers only. */
export async function load(baseUrl: string, requests: Sent[], connections: number, durationSeconds: number, headers: Record<string, string>): Promise<Load> {
	let next = 0
	const latencies: number[] = []
	const statusCodes: Record<string, number> = {}
	const started = performance.now()
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon(
			{
				url: baseUrl,
				connections,
				pipelining: 1,
				duration: durationSeconds,
				timeout: 10,
				headers,
				// One dynamic request, rebuilt before each send: the clients share one rotation through the queries.
				requests: [{ method: requests[0]?.body === undefined ? 'GET' : 'POST', setupRequest: (request) => ({ ...request, ...requests[next++ % requests.length]! }) }],
			},
			(error, done) => (error ? reject(error) : resolve(done)),
		)
		instance.on('response', (_client, statusCode, _bytes, responseTime) => {
			statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1
			if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime)
		})
	})
	const elapsed = (performance.now() - started) / 1000
	const completed = Object.values(statusCodes).reduce((a, b) => a + b, 0)
	return {
		latency: percentiles(latencies),
		requests: completed,
		requestsPerSecond: latencies.length / elapsed,
		non2xx: result.non2xx,
		errors: result.errors,
		timeouts: result.timeouts,
		statusCodes,
		elapsed,
	}
}
