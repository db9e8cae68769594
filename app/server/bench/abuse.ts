/**
 * `npm run bench:abuse`: the attacks of issue 10 against a running server, while a
 * normal search is timed.
 *
 *   1. builds the app into a directory of its own and starts a throwaway Kizuna
 *      (search/eval/instance.ts: temp data dir, embedded Meilisearch, embedded PGlite
 *      as `npm start` runs, or BENCH_DATABASE_URL: a throwaway PostgreSQL database),
 *      with 1,000 synthetic questions and 50 FAQs imported and one member to sign in as,
 *   2. times GET /api/v1/search, one client, for BENCH_BASELINE seconds (10): the p95
 *      without an attack,
 *   3. for BENCH_DURATION seconds (30) runs, all at once, while the same search is
 *      timed again:
 *        - a Markdown-preview flood (`*a` × 15,000), anonymous and signed in,
 *        - oversized bodies: 300 MB streamed POSTs to a form action and to the API,
 *        - X-Forwarded-For rotation: password spraying on /signin and never-seen
 *          searches, each request from a "new" address,
 *        - deeply nested Markdown posts (`>` × 3,000, a list 1,500 deep) through the
 *          API, and views of the threads they land in,
 *   4. reads the server's memory from /proc (VmRSS sampled, VmHWM at the end),
 *   5. prints the search p95 without and during the attack, the peak RSS, and per
 *      attack how many requests were refused with 429 and 413 and how many got a 5xx.
 *
 * Targets: search p95 during the attack at most 2× the p95 without it, peak RSS under
 * 600 MB, no 5xx. Exit code 1 when a target is missed, 2 when the benchmark could not
 * run, 130 when interrupted. Not part of `npm test`. Every request goes to 127.0.0.1.
 * Options (environment): BENCH_DURATION (30), BENCH_BASELINE (10), BENCH_BUILD
 * (always|never: run the existing build), BENCH_DATABASE_URL (unset: embedded PGlite).
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { buildForMeasurement, createInstance, type Instance } from '#search/eval/instance'
import { generateFaqs, generateQueries, generateQuestions, percentiles, type Latency } from '#search/eval/synthetic'

const TARGETS = { slowdown: 2, rssMb: 600 }

const envInt = (name: string, fallback: number) => {
	const value = Number(process.env[name] ?? fallback)
	if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1`)
	return value
}
const options = {
	duration: envInt('BENCH_DURATION', 30),
	baseline: envInt('BENCH_BASELINE', 10),
	build: process.env.BENCH_BUILD ?? 'always',
	databaseUrl: process.env.BENCH_DATABASE_URL,
}
if (!['always', 'never'].includes(options.build)) throw new Error('BENCH_BUILD must be always or never')

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

// ------------------------------------------------------------------ server memory

/** The server's own process (not npx, tsx's launcher or Meilisearch): it has the instance's data dir and the largest RSS. */
function serverPid(dataDir: string): number {
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

function memory(pid: number): { rss: number; hwm: number } {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
	const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024
	return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

// ------------------------------------------------------------------ search probe

/** One client timing a normal search, back to back, until stopped; a failure counts as its elapsed time. */
function probe(baseUrl: string, queries: string[]) {
	const times: number[] = []
	const statuses: Record<number, number> = {}
	let stopped = false
	const running = (async () => {
		for (let i = 0; !stopped; i++) {
			const q = queries[i % queries.length]!
			const started = performance.now()
			try {
				const answer = await request(`${baseUrl}/api/v1/search?q=${encodeURIComponent(q)}&limit=10`, { timeoutMs: 20_000 })
				statuses[answer.status] = (statuses[answer.status] ?? 0) + 1
				times.push(answer.ms)
			} catch {
				statuses[0] = (statuses[0] ?? 0) + 1
				times.push(performance.now() - started)
			}
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

/** `connections` loops sending `next()` until the deadline. */
async function flood(connections: number, deadline: number, t: Tally, next: () => Promise<Sent>) {
	await Promise.all(
		Array.from({ length: connections }, async () => {
			while (performance.now() < deadline) {
				const started = performance.now()
				// A reset or a timeout is counted as an error.
				const answer = await next().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
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
		make('Markdown preview flood, anonymous (4 connections)', (t, deadline) =>
			flood(4, deadline, t, () => request(`${baseUrl}/resources/markdown-preview`, { method: 'POST', headers: { ...origin, 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': randomIp() }, body: form({ markdown: emphasis }) })),
		),
		make('Markdown preview flood, signed in (2 connections)', (t, deadline) =>
			flood(2, deadline, t, () => request(`${baseUrl}/resources/markdown-preview`, { method: 'POST', headers: { ...origin, Cookie: session, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form({ markdown: emphasis }) })),
		),
		make('300 MB streamed form POST, anonymous (1 connection)', (t, deadline) =>
			flood(1, deadline, t, () =>
				request(`${baseUrl}/questions/ask`, { method: 'POST', headers: { ...origin, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(300 * MB + 6) }, body: () => oversized(300 * MB, 'title='), timeoutMs: 60_000 }),
			),
		),
		make('300 MB streamed JSON POST to the API (1 connection)', (t, deadline) =>
			flood(1, deadline, t, () =>
				request(`${baseUrl}/api/v1/questions`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, body: () => oversized(300 * MB, '{"title":"'), timeoutMs: 60_000 }),
			),
		),
		make('password spraying on /signin, new X-Forwarded-For each time (2 connections)', (t, deadline) => {
			let n = 0
			return flood(2, deadline, t, () =>
				request(`${baseUrl}/signin`, {
					method: 'POST',
					headers: { ...origin, 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': randomIp() },
					body: form({ email: n++ % 2 === 0 ? memberEmail : `victim${n}@example.test`, password: `guess-${n}-password` }),
				}),
			)
		}),
		make('never-seen searches, new X-Forwarded-For each time (2 connections)', (t, deadline) => {
			let n = 0
			return flood(2, deadline, t, () => request(`${baseUrl}/api/v1/search?q=${encodeURIComponent(`unseen query ${n++} ${Math.random().toString(36).slice(2)}`)}`, { headers: { 'X-Forwarded-For': randomIp() } }))
		}),
		make('deeply nested Markdown posts and their threads (1 connection)', (t, deadline) => {
			let n = 0
			return flood(1, deadline, t, async () => {
				const body = n++ % 2 === 0 ? nestedQuote : nestedList
				if (threads.length > 0 && n % 3 === 0) return request(`${baseUrl}${threads[n % threads.length]}`)
				const answer = await request(`${baseUrl}/api/v1/questions`, {
					method: 'POST',
					headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
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
	console.log(`database: ${options.databaseUrl ? 'PostgreSQL at BENCH_DATABASE_URL' : 'embedded PGlite (as npm start runs)'}`)
	if (options.build === 'always') {
		const started = performance.now()
		buildForMeasurement()
		console.log(`build: ${path.relative('.', process.env.KIZUNA_BUILD_DIR ?? 'build')} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
	}

	let instance: Instance | null = null
	let stopping: Promise<void> | null = null
	const cleanup = () => (stopping ??= instance?.stop() ?? Promise.resolve())
	const interrupted = (signal: NodeJS.Signals) => {
		console.error(`\n${signal}: stopping the benchmark instance…`)
		void cleanup().finally(() => process.exit(130))
	}
	process.once('SIGINT', interrupted)
	process.once('SIGTERM', interrupted)

	try {
		instance = createInstance('abuse', { databaseUrl: options.databaseUrl })
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
		const signIn = await request(`${baseUrl}/signin`, { method: 'POST', headers: { Origin: baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form({ email, password: PASSWORD }) })
		const session = [signIn.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('kz_session='))?.split(';')[0]
		if (!session) throw new Error(`Signing in failed (${signIn.status})`)
		console.log(`server ${baseUrl}, pid ${pid}, RSS ${(memory(pid).rss / MB).toFixed(0)} MB after start`)

		const queries = generateQueries(40).map((q) => q.q)
		let peakRss = 0
		const sampler = setInterval(() => {
			try {
				peakRss = Math.max(peakRss, memory(pid).rss)
			} catch {
				// the server is gone: the results will say so
			}
		}, 100)

		section(`search without an attack: ${options.baseline} s, 1 client`)
		for (const q of queries) await request(`${baseUrl}/api/v1/search?q=${encodeURIComponent(q)}&limit=10`)
		const quiet = probe(baseUrl, queries)
		await new Promise((r) => setTimeout(r, options.baseline * 1000))
		const without = await quiet.stop()
		const rssBefore = memory(pid).rss
		console.log(`p50 ${ms(without.latency.p50)}  p95 ${ms(without.latency.p95)}  (n=${without.latency.n}); RSS ${(rssBefore / MB).toFixed(0)} MB`)

		section(`attack: ${options.duration} s, while the same search is timed`)
		const list = attacks(baseUrl, session, token, email)
		const busy = probe(baseUrl, queries)
		const deadline = performance.now() + options.duration * 1000
		await Promise.all(list.map((attack) => attack.run(deadline)))
		const during = await busy.stop()
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
		const probe5xx = Object.entries(during.statuses).filter(([status]) => Number(status) >= 500 || Number(status) === 0).reduce((sum, [, n]) => sum + n, 0)
		console.log(`search without attack   p50 ${ms(without.latency.p50)}  p95 ${ms(without.latency.p95)}  (n=${without.latency.n})`)
		console.log(`search during attack    p50 ${ms(during.latency.p50)}  p95 ${ms(during.latency.p95)}  max ${ms(during.latency.max)}  (n=${during.latency.n}; statuses ${JSON.stringify(during.statuses)})`)
		console.log(`server RSS              ${(rssBefore / MB).toFixed(0)} MB before the attack, peak ${(peak / MB).toFixed(0)} MB (VmHWM ${(hwm / MB).toFixed(0)} MB)`)
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
		const errorsOk = total.server5xx === 0 && probe5xx === 0
		console.log(`${verdict(slowOk)}  search p95 during the attack ≤ ${TARGETS.slowdown}× without: ${ms(during.latency.p95)} vs ${ms(without.latency.p95)} (${slowdown.toFixed(1)}×)`)
		console.log(`${verdict(rssOk)}  server peak RSS < ${TARGETS.rssMb} MB: ${(peak / MB).toFixed(0)} MB`)
		console.log(`${verdict(errorsOk)}  no 5xx and no failed search: ${total.server5xx} attack request(s) with a 5xx, ${probe5xx} search(es) failed`)
		if (os.loadavg()[0]! > cpus.length) console.log(`NOTE  the machine is busy (1-minute load ${os.loadavg()[0]!.toFixed(1)} on ${cpus.length} CPUs): other processes took CPU time too`)
		return slowOk && rssOk && errorsOk ? 0 : 1
	} finally {
		await cleanup()
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error instanceof Error ? (error.stack ?? error.message) : error)
		process.exit(2)
	},
)
