/**
 * `npm run bench:pages`: how many server-rendered pages Kizuna serves, anonymous and
 * signed in, with the page cache off (every page rendered) and on.
 *
 *   1. builds the app into a directory of its own and starts a throwaway PostgreSQL 15;
 *   2. starts a Kizuna web process (KIZUNA_ROLE=web: background jobs are a worker's,
 *      and would take the cores from the pages measured) on it with the demo content
 *      (loaded at start), first with KIZUNA_PAGE_CACHE=off, then again with it on
 *      (same database), and waits until it is idle;
 *   3. for each page type (home, a thread, an FAQ, a tutorial, the tag list), asks for
 *      it one request at a time and divides the server process's CPU time
 *      (/proc/<pid>/stat, user + system) by the requests: CPU ms per page, rendered
 *      (cache off, or signed in) and served by the cache. Load-independent: the figure
 *      to compare across machines and runs;
 *   4. drives the anonymous mix (the five pages in turn, visitors from a pool of
 *      cookies, as returning readers) and the signed-in mix (the same pages with a
 *      member's session) with autocannon: 50 connections, 30 s each, Accept-Encoding
 *      gzip as browsers send;
 *   5. prints requests/s, p50/p95/p99, non-2xx, the targets (anonymous ≥ 400 req/s
 *      with p99 ≤ 300 ms, signed in ≥ 120 req/s with p99 ≤ 1 s; judged with the
 *      cache on) and the resident memory of the server and Meilisearch at idle after
 *      start and after the load.
 *
 * Settings: PAGES_CONNECTIONS (50), PAGES_DURATION seconds per mix (30),
 * PAGES_CPU_REQUESTS requests per page for the CPU figures (100). Exit code 1 when
 * a target is missed. Throughput depends on what else the machine runs: the load
 * average is printed beside the figures.
 */
import fs from 'node:fs'
import os from 'node:os'
import { startPostgres, type TestPostgres } from '../support/postgres'
import { buildForMeasurement, createInstance, envInt, type Instance, load, type Load, runBenchmark, type Sent } from './search/instance'

const options = {
	connections: envInt('PAGES_CONNECTIONS', 50, 1),
	duration: envInt('PAGES_DURATION', 30, 1),
	cpuRequests: envInt('PAGES_CPU_REQUESTS', 100, 5),
}
const targets = { anonymous: { rps: 400, p99: 300 }, signedIn: { rps: 120, p99: 1000 } }
const BROWSER = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) kizuna-bench-pages', accept: 'text/html', 'accept-encoding': 'gzip' }
const VISITORS = Array.from({ length: 500 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
const TICK_MS = 1000 / 100

const ms = (value: number) => `${value.toFixed(1)} ms`
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`
const section = (title: string) => console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}`)
const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ')

type Page = { name: string; path: string }

// ------------------------------------------------------------------ processes

type Proc = { pid: number; cpuTicks: number; rss: number }

/** The processes of an instance: the node process that serves (the largest one running main.ts) and Meilisearch, found by the data dir they use. */
function processesOf(instance: Instance): { server: Proc; meili: Proc | null } {
	let server: Proc | null = null
	let meili: Proc | null = null
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue
		try {
			const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ')
			const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8')
			if (!environ.includes(`KIZUNA_DATA_DIR=${instance.dataDir}`) && !cmdline.includes(instance.dataDir)) continue
			const proc = readProc(Number(entry))
			if (/meilisearch/.test(cmdline)) meili = proc
			else if (cmdline.includes('app/server/main.ts') && (!server || proc.rss > server.rss)) server = proc
		} catch {
			// gone, or not ours
		}
	}
	if (!server) throw new Error('The Kizuna server process was not found')
	return { server, meili }
}

function readProc(pid: number): Proc {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
	// Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
	const rssPages = Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1])
	return { pid, cpuTicks: Number(fields[11]) + Number(fields[12]), rss: rssPages * 4096 }
}

/** Waits (at most 60 s) until the server is idle: its start's own work (migrations, the demo seed) must not count as pages' CPU. */
async function settled(instance: Instance) {
	const deadline = Date.now() + 60_000
	let ticks = processesOf(instance).server.cpuTicks
	while (Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 1_000))
		const now = processesOf(instance).server.cpuTicks
		if ((now - ticks) * TICK_MS < 20) return
		ticks = now
	}
}

const rssLine = (instance: Instance) => {
	const { server, meili } = processesOf(instance)
	return `server ${mb(server.rss)}, Meilisearch ${meili ? mb(meili.rss) : 'n/a'}, together ${mb(server.rss + (meili?.rss ?? 0))}`
}

// ------------------------------------------------------------------ requests

async function get(url: string, headers: Record<string, string>): Promise<{ status: number; url: string; text: string; cache: string | null }> {
	const response = await fetch(url, { headers })
	return { status: response.status, url: response.url, text: await response.text(), cache: response.headers.get('x-page-cache') }
}

/** One page of each type, at its canonical address (found on the site's own lists). */
async function findPages(baseUrl: string): Promise<Page[]> {
	const first = async (list: string, pattern: RegExp) => {
		const page = await get(baseUrl + list, BROWSER)
		const match = pattern.exec(page.text)
		if (!match) throw new Error(`No link matching ${pattern} on ${list}`)
		const landed = await get(baseUrl + match[0], BROWSER)
		if (landed.status !== 200) throw new Error(`${match[0]} answered ${landed.status}`)
		return new URL(landed.url).pathname
	}
	return [
		{ name: 'home', path: '/' },
		{ name: 'thread', path: await first('/questions?sort=frequent', /\/questions\/\d+\/[a-z0-9-]+/) },
		{ name: 'FAQ', path: await first('/faq', /\/faq\/\d+\/[a-z0-9-]+/) },
		{ name: 'tutorial', path: await first('/tutorials', /\/tutorials\/\d+\/[a-z0-9-]+/) },
		{ name: 'tag list', path: '/tags' },
	]
}

/** CPU ms of the server per request of one page, asked one at a time (after a few unmeasured ones). */
async function cpuPerPage(instance: Instance, page: Page, headers: Record<string, string>): Promise<{ ms: number; cache: string | null }> {
	const url = instance.baseUrl + page.path
	let cache: string | null = null
	for (let i = 0; i < 5; i++) await get(url, headers)
	const { server } = processesOf(instance)
	const before = readProc(server.pid).cpuTicks
	for (let i = 0; i < options.cpuRequests; i++) {
		const answer = await get(url, headers)
		if (answer.status !== 200) throw new Error(`${page.path} answered ${answer.status}`)
		cache = answer.cache
	}
	return { ms: ((readProc(server.pid).cpuTicks - before) * TICK_MS) / options.cpuRequests, cache }
}

/** The mix of `pages` in turn, each request from a returning visitor of a pool (their cookie), or all with `cookie`. */
function mixLoad(baseUrl: string, pages: Page[], cookie: string | null): Promise<Load> {
	const visitors = cookie ? [cookie] : VISITORS.map((id) => `kz_vid=${id}`)
	const requests = Array.from({ length: pages.length * visitors.length }, (_, n): Sent => ({ path: pages[n % pages.length]!.path, headers: { ...BROWSER, cookie: visitors[n % visitors.length]! } }))
	return load(baseUrl, requests, options.connections, options.duration, BROWSER)
}

const loadLine = (l: Load) =>
	`${l.requestsPerSecond.toFixed(0).padStart(5)} req/s  p50 ${ms(l.latency.p50)}  p95 ${ms(l.latency.p95)}  p99 ${ms(l.latency.p99)}  non-2xx ${l.non2xx}  errors ${l.errors + l.timeouts}  (n=${l.latency.n})`

/** A member's session, made as the tests make one (tests/support/factories.ts), in this process against the benchmark's database. */
async function memberCookie(databaseUrl: string): Promise<string> {
	const { connectDatabase, closeDatabase } = await import('../../db/client.server')
	const { person, sessionCookie } = await import('../support/factories')
	await connectDatabase({ databaseUrl, dataDir: os.tmpdir() })
	try {
		return `kz_session=${encodeURIComponent(await sessionCookie(await person('member', 'Bench reader')))}`
	} finally {
		await closeDatabase()
	}
}

// ------------------------------------------------------------------ phases

type Phase = { cpu: Map<string, { anonymous: number; signedIn: number; cache: string | null }>; anonymous: Load; signedIn: Load }

async function phase(label: string, databaseUrl: string, cache: 'on' | 'off', cookie: () => Promise<string>, pagesFound: (baseUrl: string) => Promise<Page[]>): Promise<Phase> {
	section(`page cache ${cache}`)
	const instance = createInstance(`pages-${label}`, { databaseUrl, env: { KIZUNA_DEMO_CONTENT: 'on', KIZUNA_PAGE_CACHE: cache, KIZUNA_ROLE: 'web', LOG_LEVEL: 'warn' } })
	try {
		await instance.start()
		await settled(instance)
		console.log(`resident memory at idle after start: ${rssLine(instance)}`)
		const pages = await pagesFound(instance.baseUrl)
		const member = { ...BROWSER, cookie: await cookie() }
		const anonymous = { ...BROWSER, cookie: `kz_vid=${VISITORS[0]}` }
		const cpu = new Map<string, { anonymous: number; signedIn: number; cache: string | null }>()
		for (const page of pages) {
			const visitor = await cpuPerPage(instance, page, anonymous)
			const signedIn = await cpuPerPage(instance, page, member)
			cpu.set(page.name, { anonymous: visitor.ms, signedIn: signedIn.ms, cache: visitor.cache })
			console.log(`CPU per page  ${page.name.padEnd(9)} anonymous ${ms(visitor.ms).padStart(8)} (${visitor.cache ?? 'rendered'})   signed in ${ms(signedIn.ms).padStart(8)}   ${page.path}`)
		}
		console.log(`load average: ${loadAverage()}`)
		const anonymousLoad = await mixLoad(instance.baseUrl, pages, null)
		console.log(`anonymous mix   ${loadLine(anonymousLoad)}`)
		const signedInLoad = await mixLoad(instance.baseUrl, pages, member.cookie)
		console.log(`signed-in mix   ${loadLine(signedInLoad)}`)
		console.log(`load average: ${loadAverage()}`)
		console.log(`resident memory after the load: ${rssLine(instance)}`)
		return { cpu, anonymous: anonymousLoad, signedIn: signedInLoad }
	} finally {
		await instance.stop()
	}
}

async function main() {
	const cpus = os.cpus()
	section('Kizuna page benchmark')
	console.log(`machine: ${cpus.length} CPU(s) (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`)
	console.log(`load: ${options.connections} connections, ${options.duration} s per mix; ${options.cpuRequests} sequential requests per page for CPU`)
	console.log(`load average before the run: ${loadAverage()} (1 / 5 / 15 min)`)
	console.log(`build: ${buildForMeasurement()}`)
	let pg: TestPostgres | null = null
	try {
		pg = await startPostgres()
		const databaseUrl = await pg.createDatabase('kizuna_pages')
		let cookie: string | null = null
		const memberSession = async () => (cookie ??= await memberCookie(databaseUrl))
		let pages: Page[] | null = null
		const pagesFound = async (baseUrl: string) => (pages ??= await findPages(baseUrl))
		const off = await phase('off', databaseUrl, 'off', memberSession, pagesFound)
		const on = await phase('on', databaseUrl, 'on', memberSession, pagesFound)

		section('summary')
		console.log(`CPU ms per page      rendered (cache off)   from the cache   signed in (cache off → on)`)
		for (const [name, before] of off.cpu) {
			const after = on.cpu.get(name)!
			console.log(`  ${name.padEnd(18)} ${ms(before.anonymous).padStart(10)} ${ms(after.anonymous).padStart(20)}   ${ms(before.signedIn)} → ${ms(after.signedIn)}`)
		}
		console.log(`anonymous mix  cache off: ${loadLine(off.anonymous)}`)
		console.log(`anonymous mix  cache on:  ${loadLine(on.anonymous)}`)
		console.log(`signed-in mix  cache off: ${loadLine(off.signedIn)}`)
		console.log(`signed-in mix  cache on:  ${loadLine(on.signedIn)}`)
		const anonymousPass = on.anonymous.requestsPerSecond >= targets.anonymous.rps && on.anonymous.latency.p99 <= targets.anonymous.p99 && on.anonymous.non2xx === 0
		const signedInPass = on.signedIn.requestsPerSecond >= targets.signedIn.rps && on.signedIn.latency.p99 <= targets.signedIn.p99 && on.signedIn.non2xx === 0
		console.log(`${anonymousPass ? 'PASS' : 'FAIL'}  anonymous ≥ ${targets.anonymous.rps} req/s with p99 ≤ ${targets.anonymous.p99} ms (no non-2xx)`)
		console.log(`${signedInPass ? 'PASS' : 'FAIL'}  signed in ≥ ${targets.signedIn.rps} req/s with p99 ≤ ${targets.signedIn.p99} ms (no non-2xx)`)
		console.log(`load average after the run: ${loadAverage()}`)
		return anonymousPass && signedInPass ? 0 : 1
	} finally {
		await pg?.stop()
	}
}

runBenchmark(main)
