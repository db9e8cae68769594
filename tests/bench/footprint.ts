/**
 * `npm run bench:footprint`: the memory the embedded default holds.
 *
 *   1. starts Kizuna as `npm start` does (the same command: it builds only when the
 *      sources changed), with its defaults (embedded PGlite, the bundled Meilisearch, the
 *      demo content) in a fresh temporary data dir;
 *   2. waits until it is idle: every Meilisearch task done, no job running or due (from
 *      its own /metrics) and the server and Meilisearch using under 5 % of a core for
 *      3 s, then reads each process's memory ("idle"), and again BENCH_SETTLE seconds later
 *      ("settled": long enough for the Japanese analyzer, loaded to index the demo
 *      content's Japanese posts, to be ended after its minute without use);
 *   3. drives a page mix (home, question list, threads, FAQs, search page) and a search
 *      mix (GET /api/v1/search, English and Japanese) with autocannon, BENCH_CONNECTIONS
 *      connections for BENCH_DURATION seconds each, and reads the memory again;
 *   4. with BENCH_POSTGRES=on (the default), starts it once more on a throwaway
 *      PostgreSQL 15 (DATABASE_URL) and prints its idle and settled readings.
 *
 * Per process: resident memory (VmRSS), its anonymous part (RssAnon: the heap, not the
 * program's files), memory freed but not yet taken back by the kernel (LazyFree, counted
 * in RSS until the machine needs it), and for the server V8's heap and the memory outside
 * it (WebAssembly memories, buffers) from /metrics. The processes `npm start` leaves
 * between the shell and the server (npm, sh, a loader) are printed as "launcher".
 *
 * Target: server + Meilisearch ≤ 700 MB resident, settled at idle, embedded default.
 * Exit code 1 when missed, 2 when the benchmark could not run. Not part of `npm test`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { freePort } from '#search/embedded.server'
import { startPostgres, type TestPostgres } from '../support/postgres'
import { envInt, runBenchmark } from './search/instance'

const TARGET_MB = 700
const options = {
	settle: envInt('BENCH_SETTLE', 75),
	connections: envInt('BENCH_CONNECTIONS', 10, 1),
	duration: envInt('BENCH_DURATION', 10, 1),
	postgres: process.env.BENCH_POSTGRES ?? 'on',
}
if (!['on', 'off'].includes(options.postgres)) throw new Error('BENCH_POSTGRES must be on or off')

const MB = 1024 * 1024
const section = (title: string) => console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}`)
const load = () =>
	os
		.loadavg()
		.map((l) => l.toFixed(2))
		.join(' / ')

type Memory = { rss: number; anon: number; file: number; lazyFree: number }
type Reading = { label: string; seconds: number; server: Memory; meili: Memory; launcher: Memory; launchers: string; v8: { used: number; total: number; external: number } | null }

function procMemory(pid: number): Memory {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
	const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024
	let lazyFree = 0
	try {
		lazyFree = Number(/^LazyFree:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0) * 1024
	} catch {
		// smaps_rollup needs Linux 4.14
	}
	return { rss: field('VmRSS'), anon: field('RssAnon'), file: field('RssFile'), lazyFree }
}

const sum = (list: Memory[]): Memory => list.reduce((a, b) => ({ rss: a.rss + b.rss, anon: a.anon + b.anon, file: a.file + b.file, lazyFree: a.lazyFree + b.lazyFree }), { rss: 0, anon: 0, file: 0, lazyFree: 0 })

function children(pid: number): number[] {
	try {
		return fs
			.readdirSync(`/proc/${pid}/task`)
			.flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/))
			.filter(Boolean)
			.map(Number)
	} catch {
		return []
	}
}

const tree = (pid: number): number[] => [pid, ...children(pid).flatMap(tree)]
const comm = (pid: number) => {
	try {
		return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
	} catch {
		return ''
	}
}
const groupAlive = (pid: number) => {
	try {
		process.kill(-pid, 0)
		return true
	} catch {
		return false
	}
}
const parent = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1])
/** User + system CPU time of a process, in ms. */
const cpuMs = (pid: number) => {
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
}

type Started = { child: ChildProcess; baseUrl: string; dataDir: string; startedAt: number; server: number; meili: number; launcher: () => number[]; log: () => string }

/** `npm start` in a fresh data dir, in a process group of its own; resolves once /healthz answers. */
async function start(label: string, env: Record<string, string>): Promise<Started> {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kizuna-footprint-${label}-`))
	const port = await freePort()
	const logFile = path.join(dataDir, 'server.log')
	const out = fs.openSync(logFile, 'w')
	// The defaults, as a fresh `npm start` has them: no outer database, search or data dir leaks in.
	const { DATABASE_URL: _db, MEILI_URL: _meili, MEILI_MASTER_KEY: _key, KIZUNA_DATA_DIR: _dir, KIZUNA_DEMO_CONTENT: _demo, KIZUNA_ROLE: _role, KIZUNA_BUILD_DIR: _build, ...outer } = process.env
	const startedAt = performance.now()
	const child = spawn('npm', ['start'], {
		env: {
			...outer,
			KIZUNA_DATA_DIR: dataDir,
			PORT: String(port),
			HOST: '127.0.0.1',
			// The search mix sends more searches from 127.0.0.1 than the public per-address limit allows.
			KIZUNA_RATE_LIMITS: 'search=1000000/1s',
			...env,
		},
		stdio: ['ignore', out, out],
		detached: true,
	})
	const log = () => fs.readFileSync(logFile, 'utf8').slice(-3000)
	const baseUrl = `http://127.0.0.1:${port}`
	const deadline = Date.now() + 300_000
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${log()}`)
		const up = await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false)
		const meili = child.pid ? tree(child.pid).find((pid) => comm(pid) === 'meilisearch') : undefined
		if (up && meili) {
			const server = parent(meili)
			return { child, baseUrl, dataDir, startedAt, server, meili, launcher: () => tree(child.pid!).filter((pid) => pid !== server && pid !== meili), log }
		}
		await new Promise((r) => setTimeout(r, 250))
	}
	throw new Error(`Kizuna did not answer /healthz within 300 s:\n${log()}`)
}

async function stop(started: Started) {
	const pid = started.child.pid
	if (pid) {
		try {
			process.kill(-pid, 'SIGTERM')
		} catch {
			// already gone
		}
		// npm exits before the server has stopped Meilisearch and closed its database: wait for the whole group.
		const deadline = Date.now() + 20_000
		while (Date.now() < deadline && groupAlive(pid)) await new Promise((r) => setTimeout(r, 100))
	}
	fs.rmSync(started.dataDir, { recursive: true, force: true })
}

type Metrics = Map<string, number>

async function metrics(baseUrl: string): Promise<Metrics> {
	const text = await (await fetch(`${baseUrl}/metrics`)).text()
	const out: Metrics = new Map()
	for (const line of text.split('\n')) {
		const match = /^([a-z_]+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line)
		if (match) out.set(match[1]! + (match[2] ?? ''), Number(match[3]))
	}
	return out
}

const total = (m: Metrics, name: string, filter: (labels: string) => boolean = () => true) =>
	[...m].filter(([key]) => key === name || (key.startsWith(`${name}{`) && filter(key))).reduce((a, [, value]) => a + value, 0)

/** Idle: the work the start queued is done, and neither process is using the CPU. */
async function waitForIdle(started: Started) {
	const deadline = Date.now() + 300_000
	let quietSince: number | null = null
	let last = { at: performance.now(), cpu: cpuMs(started.server) + cpuMs(started.meili) }
	while (Date.now() < deadline) {
		await new Promise((r) => setTimeout(r, 1000))
		const m = await metrics(started.baseUrl)
		const now = { at: performance.now(), cpu: cpuMs(started.server) + cpuMs(started.meili) }
		const busyShare = (now.cpu - last.cpu) / (now.at - last.at)
		last = now
		const queued = total(m, 'kizuna_meilisearch_tasks') + total(m, 'kizuna_jobs', (k) => k.includes('state="active"')) + total(m, 'kizuna_jobs_oldest_due_seconds')
		const indexed = total(m, 'kizuna_jobs_total', (k) => k.includes('queue="search-index"') && k.includes('outcome="completed"')) > 0
		if (queued === 0 && indexed && busyShare < 0.05) {
			quietSince ??= performance.now()
			if (performance.now() - quietSince >= 3000) return
		} else {
			quietSince = null
		}
	}
	throw new Error('Kizuna did not become idle within 300 s')
}

async function read(label: string, started: Started): Promise<Reading> {
	const m = await metrics(started.baseUrl).catch(() => null)
	return {
		label,
		seconds: (performance.now() - started.startedAt) / 1000,
		server: procMemory(started.server),
		meili: procMemory(started.meili),
		launcher: sum(started.launcher().map(procMemory)),
		launchers: started.launcher().map(comm).join(', '),
		v8: m ? { used: m.get('nodejs_heap_size_used_bytes') ?? 0, total: m.get('nodejs_heap_size_total_bytes') ?? 0, external: m.get('nodejs_external_memory_bytes') ?? 0 } : null,
	}
}

const mb = (bytes: number) => `${Math.round(bytes / MB)}`.padStart(5)

function print(readings: Reading[]) {
	console.log(`${'reading'.padEnd(24)} ${'s'.padStart(5)}  ${'process'.padEnd(12)} ${'RSS'.padStart(5)} ${'anon'.padStart(5)} ${'file'.padStart(5)} ${'lazy'.padStart(5)}   (MB)`)
	for (const r of readings) {
		const rows: Array<[string, Memory, string]> = [
			['server', r.server, r.v8 ? `V8 heap ${Math.round(r.v8.used / MB)} of ${Math.round(r.v8.total / MB)}, outside it ${Math.round(r.v8.external / MB)}` : ''],
			['meilisearch', r.meili, ''],
			['together', sum([r.server, r.meili]), ''],
			['launcher', r.launcher, r.launchers],
		]
		rows.forEach(([name, m, note], i) =>
			console.log(`${(i === 0 ? r.label : '').padEnd(24)} ${(i === 0 ? r.seconds.toFixed(0) : '').padStart(5)}  ${name.padEnd(12)} ${mb(m.rss)} ${mb(m.anon)} ${mb(m.file)} ${mb(m.lazyFree)}   ${note}`),
		)
	}
}

/** Pages a reader opens: found by following the home page's and the FAQ list's own links. */
async function pagePaths(baseUrl: string): Promise<string[]> {
	const links = async (page: string, pattern: RegExp) => [...new Set([...(await (await fetch(baseUrl + page)).text()).matchAll(pattern)].map((match) => match[1]!))].slice(0, 4)
	const threads = await links('/', /href="(\/questions\/\d+[^"#?]*)"/g)
	const faqs = await links('/faq', /href="(\/faq\/\d+[^"#?]*)"/g)
	if (threads.length === 0 || faqs.length === 0) throw new Error('The demo content has no question or FAQ links on / and /faq')
	return ['/', '/questions', '/faq', '/tags', '/search?q=password', ...threads, ...faqs]
}

const SEARCHES = ['reset password', 'change my email address', 'invoice download', 'two factor authentication', 'パスワード 変更', '請求書をダウンロードしたい', 'ログインできない', 'export data csv']

async function drive(baseUrl: string, title: string, paths: string[]) {
	const result = await autocannon({
		url: baseUrl,
		connections: options.connections,
		duration: options.duration,
		requests: paths.map((p) => ({ method: 'GET' as const, path: p })),
	})
	const failed = result.non2xx + result.errors + result.timeouts
	console.log(`${title.padEnd(8)} ${result.requests.total} requests, ${result.requests.average.toFixed(0)}/s, p99 ${result.latency.p99} ms, ${failed} not 2xx (${paths.length} paths, ${options.connections} connections, ${options.duration} s)`)
	return failed
}

async function measure(label: string, env: Record<string, string>, withLoad: boolean): Promise<{ readings: Reading[]; failed: number }> {
	const started = await start(label, env)
	try {
		const readings: Reading[] = []
		console.log(`ready after ${((performance.now() - started.startedAt) / 1000).toFixed(1)} s (load ${load()})`)
		await waitForIdle(started)
		readings.push(await read('idle', started))
		await new Promise((r) => setTimeout(r, options.settle * 1000))
		readings.push(await read(`settled (+${options.settle} s)`, started))
		let failed = 0
		if (withLoad) {
			const pages = await pagePaths(started.baseUrl)
			failed += await drive(started.baseUrl, 'pages', pages)
			failed += await drive(started.baseUrl, 'search', SEARCHES.map((q) => `/api/v1/search?q=${encodeURIComponent(q)}`))
			readings.push(await read('after load', started))
		}
		return { readings, failed }
	} catch (error) {
		console.error(started.log())
		throw error
	} finally {
		await stop(started)
	}
}

async function main(): Promise<number> {
	section('Kizuna footprint benchmark')
	console.log(`machine: ${os.cpus().length} CPU(s), ${Math.round(os.totalmem() / MB / 1024)} GiB, node ${process.version}; load average ${load()}`)

	section('embedded default (npm start: PGlite, bundled Meilisearch, demo content)')
	const embedded = await measure('embedded', {}, true)
	print(embedded.readings)

	if (options.postgres === 'on') {
		section('PostgreSQL 15 at DATABASE_URL, bundled Meilisearch, demo content')
		let pg: TestPostgres | null = null
		try {
			pg = await startPostgres()
			const server = await measure('postgres', { DATABASE_URL: await pg.createDatabase('kizuna_footprint') }, false)
			print(server.readings)
		} finally {
			await pg?.stop()
		}
	}

	section('verdict')
	const settled = embedded.readings.find((r) => r.label.startsWith('settled'))!
	const together = (settled.server.rss + settled.meili.rss) / MB
	const ok = together <= TARGET_MB
	console.log(`${ok ? 'PASS' : 'FAIL'}  server + Meilisearch at idle ≤ ${TARGET_MB} MB resident: ${together.toFixed(0)} MB (server ${(settled.server.rss / MB).toFixed(0)}, Meilisearch ${(settled.meili.rss / MB).toFixed(0)}); load average ${load()}`)
	if (embedded.failed > 0) console.log(`FAIL  ${embedded.failed} requests of the load were not answered 2xx`)
	return ok && embedded.failed === 0 ? 0 : 1
}

runBenchmark(main)
