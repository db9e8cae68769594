/**
 * `npm run bench:abuse`: the attacks of issue 10 against a running server, while a
 * normal search is timed.
 *
 *   1. builds the app into a directory of its own and starts a throwaway Kizuna
 *      (tests/bench/search/instance.ts: temp data dir, embedded Meilisearch) on a throwaway
 *      PostgreSQL 15 server (tests/support/postgres.ts), or with `--embedded` on
 *      embedded PGlite, which runs inside the server process and so counts in its
 *      memory; with the default rate limits, 1,000 synthetic questions and 50 FAQs
 *      imported and one member to sign in as,
 *   2. acts as the reverse proxy in front of it: the server trusts X-Forwarded-For
 *      from loopback (KIZUNA_TRUSTED_PROXIES=loopback) and every request carries
 *      its client's own address as the last entry, as a proxy appends it; each
 *      attack connection is one attacker with an address of its own, the person
 *      searching has another,
 *   3. times a person searching, GET /api/v1/search at BENCH_SEARCH_RATE searches
 *      a second (4, under the default search limit of 300 a minute per address),
 *      each a query never asked before (tests/bench/search/synthetic.ts generateQueries,
 *      as bench:search's never-seen phase), for BENCH_BASELINE seconds (30): the
 *      latency without an attack,
 *   4. for BENCH_DURATION seconds (30) runs, all at once, while the same person's
 *      searches (the next queries of the same generator) are timed again:
 *        - a Markdown-preview flood (`*a` × 15,000), anonymous and signed in,
 *        - oversized bodies: 300 MB streamed POSTs to a form action and to the API,
 *        - X-Forwarded-For rotation: password spraying on /signin and never-seen
 *          searches, each request naming a "new" address before the one the proxy
 *          appends (so it must be counted as the one client it is),
 *        - deeply nested Markdown posts (`>` × 3,000, a list 1,500 deep) through the
 *          API, and views of the threads they land in,
 *   5. reads the Node server process's memory from /proc (VmRSS sampled, VmHWM at
 *      the end),
 *   6. prints the search p95 without and during the attack, the peak RSS, and per
 *      attack how many requests were refused with 429 and 413 and how many got a 5xx.
 *
 * Targets: search p95 during the attack at most 2× the p95 without it, peak RSS under
 * 600 MB, no 5xx, every timed search answered 200. Exit code 1 when a target is
 * missed, 2 when the benchmark could not run, 130 when interrupted. Not part of
 * `npm test`. Every request goes to 127.0.0.1. Argument: `--embedded` (PGlite).
 * Options (environment): BENCH_DURATION (30), BENCH_BASELINE (30), BENCH_SEARCH_RATE
 * (4), BENCH_BUILD (always|never: run the existing build).
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { buildForMeasurement, cpuShare, cpuUsed, type CpuShare, createInstance, embeddedArgument, envInt, type Instance, memory, runBenchmark, serverPid } from './search/instance'
import { startPostgres, type TestPostgres } from '../support/postgres'
import { generateFaqs, generateQueries, generateQuestions, percentiles, type Latency } from './search/synthetic'

const TARGETS = { slowdown: 2, rssMb: 600 }

const options = {
	embedded: embeddedArgument(),
	duration: envInt('BENCH_DURATION', 30, 1),
	baseline: envInt('BENCH_BASELINE', 30, 1),
	searchRate: envInt('BENCH_SEARCH_RATE', 4, 1),
	build: process.env.BENCH_BUILD ?? 'always',
}
if (!['always', 'never'].includes(options.build)) throw new Error('BENCH_BUILD must be always or never')
const database = options.embedded
	? 'embedded PGlite (--embedded): inside the server process, so its memory counts in the server RSS'
	: 'throwaway PostgreSQL 15 server on this machine (its own processes; not in the server RSS)'

const PASSWORD = 'correct horse battery'
const MB = 1024 * 1024
const section = (title: string) => console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}`)
const ms = (value: number) => `${value.toFixed(1)} ms`

// ------------------------------------------------------------------ HTTP

type Sent = { status: number; body: string; ms: number; headers: http.IncomingHttpHeaders }

/**
 * One request on a fresh connection. A body may be a generator of chunks, written as
 * the socket drains, so a 300 MB upload costs the client no memory; once the server
 * has answered, the rest is not sent.
 */
function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | (() => Generator<Buffer>); timeoutMs?: number } = {}): Promise<Sent> {
	const started = performance.now()
	return new Promise((resolve, reject) => {
		let answered = false
		const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false, timeout: init.timeoutMs ?? 30_000 }, (res) => {
			answered = true
			const chunks: Buffer[] = []
			const done = () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started, headers: res.headers })
			res.on('data', (chunk: Buffer) => chunks.push(chunk))
			res.on('end', done)
			res.on('error', done)
		})
		req.on('timeout', () => req.destroy(new Error('timeout')))
		req.on('error', (error) => (answered ? undefined : reject(error)))
		const body = init.body
		if (typeof body === 'function') {
			const chunks = body()
			const pump = () => {
				for (let next = chunks.next(); !next.done; next = chunks.next()) {
					if (answered || req.destroyed) return
					if (!req.write(next.value)) return void req.once('drain', pump)
				}
				req.end()
			}
			pump()
		} else {
			req.end(body)
		}
	})
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
const randomIp = () => Array.from({ length: 4 }, () => 1 + Math.floor(Math.random() * 254)).join('.')

/**
 * The bench is the reverse proxy: it appends the client's real address last to
 * whatever X-Forwarded-For the client sent (an attacker's own, rotating entries),
 * and the server, trusting loopback, takes that last entry as the client.
 */
const viaProxy = (clientIp: string, sent?: string) => ({ 'X-Forwarded-For': sent ? `${sent}, ${clientIp}` : clientIp })
/** Documentation ranges (RFC 5737): the person searching, the bench's own sign-in, and one per attack connection. */
const SEARCHER_IP = '192.0.2.10'
const SETUP_IP = '192.0.2.20'
let attackers = 0
const attackerIp = () => `198.51.100.${++attackers}`

const othersOf = (used: CpuShare) => Math.max(0, used.machine - used.server - used.meilisearch - used.postgres - used.bench)

const cpuLine = (used: CpuShare, seconds: number, cpus: number) => {
	const others = othersOf(used)
	return `${used.machine.toFixed(1)} of ${(seconds * cpus).toFixed(0)} CPU-s busy: Node server ${used.server.toFixed(1)}, Meilisearch ${used.meilisearch.toFixed(1)}, ${options.embedded ? 'launchers' : 'PostgreSQL + launchers'} ${used.postgres.toFixed(1)}, this bench (attackers + searcher) ${used.bench.toFixed(1)}, other processes ${others.toFixed(1)}`
}

// ------------------------------------------------------------------ search probe

/**
 * A person searching: `rate` searches a second from one address, each a query the
 * server has not seen (so not answered from its result cache), until stopped; a
 * failure counts as its elapsed time.
 */
function probe(baseUrl: string, queries: Iterator<string>, rate: number) {
	const times: number[] = []
	const statuses: Record<number, number> = {}
	let stopped = false
	const interval = 1000 / rate
	const running = (async () => {
		for (let next = performance.now(); !stopped; ) {
			const q = queries.next()
			if (q.done) throw new Error('The benchmark ran out of never-seen queries')
			const started = performance.now()
			next = Math.max(next + interval, started)
			try {
				const answer = await request(`${baseUrl}/api/v1/search?q=${encodeURIComponent(q.value)}&limit=10`, { headers: viaProxy(SEARCHER_IP), timeoutMs: 20_000 })
				statuses[answer.status] = (statuses[answer.status] ?? 0) + 1
				times.push(answer.ms)
			} catch {
				statuses[0] = (statuses[0] ?? 0) + 1
				times.push(performance.now() - started)
			}
			await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())))
		}
	})()
	return {
		async stop(): Promise<{ latency: Latency; statuses: Record<number, number> }> {
			stopped = true
			await running
			return { latency: percentiles(times), statuses }
		},
	}
}

// ------------------------------------------------------------------ attacks

type Tally = { sent: number; ok: number; refused413: number; refused429: number; other4xx: number; server5xx: number; errors: number; worstMs: number; firstError: string | null }
const tally = (): Tally => ({ sent: 0, ok: 0, refused413: 0, refused429: 0, other4xx: 0, server5xx: 0, errors: 0, worstMs: 0, firstError: null })

function count(t: Tally, answer: Sent | Error, elapsedMs: number) {
	t.sent++
	t.worstMs = Math.max(t.worstMs, elapsedMs)
	if (answer instanceof Error) {
		t.firstError ??= answer.message
		return void t.errors++
	}
	if (answer.status === 413) t.refused413++
	else if (answer.status === 429) t.refused429++
	else if (answer.status >= 500) t.server5xx++
	else if (answer.status >= 400) t.other4xx++
	else t.ok++
}

/** `connections` loops sending `next(ip)` until the deadline, each an attacker with its own address. */
async function flood(connections: number, deadline: number, t: Tally, next: (ip: string) => Promise<Sent>) {
	await Promise.all(
		Array.from({ length: connections }, async () => {
			const ip = attackerIp()
			while (performance.now() < deadline) {
				const started = performance.now()
				// A reset or a timeout is counted as an error.
				const answer = await next(ip).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
				count(t, answer, performance.now() - started)
			}
		}),
	)
}

function* oversized(totalBytes: number, prefix: string): Generator<Buffer> {
	const chunk = Buffer.alloc(MB, 'a')
	yield Buffer.from(prefix)
	for (let sent = 0; sent < totalBytes; sent += chunk.length) yield chunk
}

const nestedQuote = `${'>'.repeat(3000)} quoted`
const nestedList = Array.from({ length: 1500 }, (_, i) => `${'  '.repeat(i)}- item`).join('\n')
const emphasis = '*a'.repeat(15_000)

type Attack = { name: string; tally: Tally; run: (deadline: number) => Promise<void> }

function attacks(baseUrl: string, session: string, token: string, memberEmail: string): Attack[] {
	const origin = { Origin: baseUrl }
	const make = (name: string, run: (t: Tally, deadline: number) => Promise<void>): Attack => {
		const t = tally()
		return { name, tally: t, run: (deadline) => run(t, deadline) }
	}
	const threads: string[] = []
	return [
		make('Markdown preview flood, anonymous, new X-Forwarded-For each time (4 connections)', (t, deadline) =>
			flood(4, deadline, t, (ip) => request(`${baseUrl}/resources/markdown-preview`, { method: 'POST', headers: { ...origin, 'Content-Type': 'application/x-www-form-urlencoded', ...viaProxy(ip, randomIp()) }, body: form({ markdown: emphasis }) })),
		),
		make('Markdown preview flood, signed in (2 connections)', (t, deadline) =>
			flood(2, deadline, t, (ip) => request(`${baseUrl}/resources/markdown-preview`, { method: 'POST', headers: { ...origin, Cookie: session, 'Content-Type': 'application/x-www-form-urlencoded', ...viaProxy(ip) }, body: form({ markdown: emphasis }) })),
		),
		make('300 MB streamed form POST, anonymous (1 connection)', (t, deadline) =>
			flood(1, deadline, t, (ip) =>
				request(`${baseUrl}/questions/ask`, { method: 'POST', headers: { ...origin, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(300 * MB + 6), ...viaProxy(ip) }, body: () => oversized(300 * MB, 'title='), timeoutMs: 60_000 }),
			),
		),
		make('300 MB streamed JSON POST to the API (1 connection)', (t, deadline) =>
			flood(1, deadline, t, (ip) =>
				request(`${baseUrl}/api/v1/questions`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', ...viaProxy(ip) }, body: () => oversized(300 * MB, '{"title":"'), timeoutMs: 60_000 }),
			),
		),
		make('password spraying on /signin, new X-Forwarded-For each time (2 connections)', (t, deadline) => {
			let n = 0
			return flood(2, deadline, t, (ip) =>
				request(`${baseUrl}/signin`, {
					method: 'POST',
					headers: { ...origin, 'Content-Type': 'application/x-www-form-urlencoded', ...viaProxy(ip, randomIp()) },
					body: form({ email: n++ % 2 === 0 ? memberEmail : `victim${n}@example.test`, password: `guess-${n}-password` }),
				}),
			)
		}),
		make('never-seen searches, new X-Forwarded-For each time (2 connections)', (t, deadline) => {
			let n = 0
			return flood(2, deadline, t, (ip) => request(`${baseUrl}/api/v1/search?q=${encodeURIComponent(`unseen query ${n++} ${Math.random().toString(36).slice(2)}`)}`, { headers: viaProxy(ip, randomIp()) }))
		}),
		make('deeply nested Markdown posts and their threads (1 connection)', (t, deadline) => {
			let n = 0
			return flood(1, deadline, t, async (ip) => {
				const body = n++ % 2 === 0 ? nestedQuote : nestedList
				if (threads.length > 0 && n % 3 === 0) return request(`${baseUrl}${threads[n % threads.length]}`, { headers: viaProxy(ip) })
				const answer = await request(`${baseUrl}/api/v1/questions`, {
					method: 'POST',
					headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...viaProxy(ip) },
					body: JSON.stringify({ title: `Nested markdown ${n} ${Date.now()}`, body }),
				})
				if (answer.status === 201) threads.push((JSON.parse(answer.body) as { url: string }).url)
				return answer
			})
		}),
	]
}

// ------------------------------------------------------------------ main

async function main(): Promise<number> {
	section('Kizuna abuse benchmark')
	const cpus = os.cpus()
	console.log(`machine: ${cpus.length} CPU(s), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`)
	console.log(`database: ${database}`)
	console.log(`rate limits: the defaults; X-Forwarded-For trusted from loopback, where the bench acts as the proxy`)
	console.log(`the person searching: ${options.searchRate} never-seen searches a second from ${SEARCHER_IP}`)
	if (options.build === 'always') {
		console.log(`build: ${buildForMeasurement()}`)
	}

	let pg: TestPostgres | null = null
	let instance: Instance | null = null
	let stopping: Promise<void> | null = null
	const cleanup = () =>
		(stopping ??= (async () => {
			await instance?.stop()
			await pg?.stop()
		})())
	const interrupted = (signal: NodeJS.Signals) => {
		console.error(`\n${signal}: stopping the benchmark instance…`)
		void cleanup().finally(() => process.exit(130))
	}
	process.once('SIGINT', interrupted)
	process.once('SIGTERM', interrupted)

	try {
		const settings = { rateLimits: 'defaults', env: { KIZUNA_TRUSTED_PROXIES: 'loopback' } } as const
		if (options.embedded) instance = createInstance('abuse', settings)
		else {
			section('PostgreSQL 15')
			pg = await startPostgres()
			instance = createInstance('abuse', { ...settings, databaseUrl: await pg.createDatabase('kizuna_abuse') })
			console.log('throwaway PostgreSQL 15 started')
		}
		section('content and people')
		const content = path.join(instance.dataDir, 'content.json')
		const questions = generateQuestions(1000).map(({ externalId, title, body, tags, answers }) => ({ externalId, title, body, tags, answers: answers.map(({ body: answer, accepted }) => ({ body: answer, accepted })) }))
		const faqs = generateFaqs(50).map(({ externalId, title, body, category, tags }) => ({ externalId, title, body, category, tags, published: true }))
		fs.writeFileSync(content, JSON.stringify({ questions, faqs }))
		// Before the server starts: embedded PGlite takes one process at a time.
		instance.cli('import', content)
		const email = 'abuse-member@example.test'
		instance.cli('user:create', '--email', email, '--password', PASSWORD, '--role', 'member')
		const token = instance.cli('token:create', '--email', email).trim().split('\n').at(-1)!.trim()
		console.log(`${questions.length} questions, ${faqs.length} FAQs; one member with a session and an API token`)

		await instance.start()
		const baseUrl = instance.baseUrl
		const pid = serverPid(instance.dataDir)
		const signIn = await request(`${baseUrl}/signin`, { method: 'POST', headers: { Origin: baseUrl, 'Content-Type': 'application/x-www-form-urlencoded', ...viaProxy(SETUP_IP) }, body: form({ email, password: PASSWORD }) })
		const session = [signIn.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('kz_session='))?.split(';')[0]
		if (!session) throw new Error(`Signing in failed (${signIn.status})`)
		console.log(`server ${baseUrl}, pid ${pid}, RSS ${(memory(pid).rss / MB).toFixed(0)} MB after start`)

		// Enough never-seen queries for every search of both phases, from one generator: a few warm the server up, then each phase takes the next ones.
		const warmUp = 10
		const queries = generateQueries(warmUp + (options.baseline + options.duration + 10) * options.searchRate).map((q) => q.q)[Symbol.iterator]()
		let peakRss = 0
		const sampler = setInterval(() => {
			try {
				peakRss = Math.max(peakRss, memory(pid).rss)
			} catch {
				// the server is gone: the results will say so
			}
		}, 100)

		section(`search without an attack: ${options.baseline} s, ${options.searchRate} never-seen searches a second`)
		for (let i = 0; i < warmUp; i++) await request(`${baseUrl}/api/v1/search?q=${encodeURIComponent(queries.next().value!)}&limit=10`, { headers: viaProxy(SEARCHER_IP) })
		const quietCpu = cpuShare(pid)
		const quietStarted = performance.now()
		const quiet = probe(baseUrl, queries, options.searchRate)
		await new Promise((r) => setTimeout(r, options.baseline * 1000))
		const without = await quiet.stop()
		const quietUsed = cpuUsed(quietCpu, cpuShare(pid))
		const quietSeconds = (performance.now() - quietStarted) / 1000
		const rssBefore = memory(pid).rss
		console.log(`p50 ${ms(without.latency.p50)}  p95 ${ms(without.latency.p95)}  (n=${without.latency.n}; statuses ${JSON.stringify(without.statuses)}); RSS ${(rssBefore / MB).toFixed(0)} MB`)

		section(`attack: ${options.duration} s, while the same person's searches are timed`)
		const list = attacks(baseUrl, session, token, email)
		const busyCpu = cpuShare(pid)
		const busyStarted = performance.now()
		const busy = probe(baseUrl, queries, options.searchRate)
		const deadline = performance.now() + options.duration * 1000
		await Promise.all(list.map((attack) => attack.run(deadline)))
		const during = await busy.stop()
		const busyUsed = cpuUsed(busyCpu, cpuShare(pid))
		// The attack ends when its last requests are answered, after the deadline.
		const busySeconds = (performance.now() - busyStarted) / 1000
		clearInterval(sampler)
		let hwm = NaN
		try {
			hwm = memory(pid).hwm
		} catch {
			console.log('the server process is gone: it did not survive the attack')
		}
		const peak = Math.max(peakRss, Number.isNaN(hwm) ? 0 : hwm)

		section('results')
		const slowdown = during.latency.p95 / without.latency.p95
		const total = list.reduce((sum, a) => ({ refused413: sum.refused413 + a.tally.refused413, refused429: sum.refused429 + a.tally.refused429, server5xx: sum.server5xx + a.tally.server5xx }), { refused413: 0, refused429: 0, server5xx: 0 })
		const notOk = (statuses: Record<number, number>) => Object.entries(statuses).filter(([status]) => Number(status) !== 200).reduce((sum, [, n]) => sum + n, 0)
		const probeFailed = notOk(without.statuses) + notOk(during.statuses)
		console.log(`database                ${database}`)
		console.log(`search without attack   p50 ${ms(without.latency.p50)}  p95 ${ms(without.latency.p95)}  max ${ms(without.latency.max)}  (n=${without.latency.n}; statuses ${JSON.stringify(without.statuses)})`)
		console.log(`search during attack    p50 ${ms(during.latency.p50)}  p95 ${ms(during.latency.p95)}  max ${ms(during.latency.max)}  (n=${during.latency.n}; statuses ${JSON.stringify(during.statuses)})`)
		console.log(`CPU without attack      ${cpuLine(quietUsed, quietSeconds, cpus.length)}`)
		console.log(`CPU during attack       ${cpuLine(busyUsed, busySeconds, cpus.length)}`)
		console.log(`server RSS              ${(rssBefore / MB).toFixed(0)} MB before the attack, peak ${(peak / MB).toFixed(0)} MB (VmHWM ${(hwm / MB).toFixed(0)} MB; the Node server process, pid ${pid})`)
		console.log('')
		console.log(`${'attack'.padEnd(78)} ${'sent'.padStart(6)} ${'2xx/3xx'.padStart(8)} ${'413'.padStart(5)} ${'429'.padStart(5)} ${'4xx'.padStart(5)} ${'5xx'.padStart(5)} ${'errors'.padStart(6)}  slowest`)
		for (const { name, tally: t } of list) {
			console.log(`${name.padEnd(78)} ${String(t.sent).padStart(6)} ${String(t.ok).padStart(8)} ${String(t.refused413).padStart(5)} ${String(t.refused429).padStart(5)} ${String(t.other4xx).padStart(5)} ${String(t.server5xx).padStart(5)} ${String(t.errors).padStart(6)}  ${(t.worstMs / 1000).toFixed(1)} s`)
			if (t.firstError) console.log(`  first error: ${t.firstError}`)
		}
		console.log(`refused: ${total.refused429} with 429, ${total.refused413} with 413; ${total.server5xx} attack requests got a 5xx`)
		console.log('')
		const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL')
		const slowOk = slowdown <= TARGETS.slowdown
		const rssOk = peak < TARGETS.rssMb * MB
		const errorsOk = total.server5xx === 0 && probeFailed === 0
		console.log(`${verdict(slowOk)}  search p95 during the attack ≤ ${TARGETS.slowdown}× without: ${ms(during.latency.p95)} vs ${ms(without.latency.p95)} (${slowdown.toFixed(1)}×)`)
		console.log(`${verdict(rssOk)}  server peak RSS < ${TARGETS.rssMb} MB: ${(peak / MB).toFixed(0)} MB`)
		console.log(`${verdict(errorsOk)}  no 5xx, every timed search answered 200: ${total.server5xx} attack request(s) with a 5xx, ${probeFailed} timed search(es) not answered 200`)
		// The load average counts this benchmark's own processes; the CPU accounting tells others apart.
		const othersShare = Math.max(othersOf(quietUsed) / (quietSeconds * cpus.length), othersOf(busyUsed) / (busySeconds * cpus.length))
		if (othersShare > 0.1) console.log(`NOTE  other processes on this machine took up to ${(othersShare * 100).toFixed(0)} % of its CPU time during a phase: the figures are not those of a quiet machine`)
		return slowOk && rssOk && errorsOk ? 0 : 1
	} finally {
		await cleanup()
	}
}

runBenchmark(main)
