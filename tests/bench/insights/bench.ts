/**
 * `npm run bench:insights`: the insights API at the scale of issue 5.
 *
 *   1. builds the app into a directory of its own (tests/bench/search/instance.ts), so the
 *      code as it is now is measured and nobody else's build can swap it,
 *   2. starts a throwaway PostgreSQL 15 (tests/support/postgres.ts), as production
 *      runs, and migrates it,
 *   3. generates 2,000 accounts, 20,000 members, 100,000 questions and 1,000,000
 *      events over 90 days in SQL (seed.ts), then lets the app build help journeys
 *      and check alerts the way the worker's jobs do,
 *   4. starts the server against it and times each insights endpoint for the last
 *      30 days, one request at a time, also per account and with filters,
 *   5. times writing events one at a time, and what a page that records
 *      costs meanwhile,
 *   6. prints the figures and PASS/FAIL (p95 ≤ 300 ms); exits 1 when a target fails,
 *      2 when the benchmark could not run, 130 when interrupted.
 *
 * Not part of `npm test`. Options (environment): BENCH_REQUESTS (60 per endpoint),
 * BENCH_ACCOUNTS (2000), BENCH_MEMBERS (22000), BENCH_QUESTIONS (100000), BENCH_EVENTS
 * (1000000), BENCH_BUILD (always|never: run the existing build in KIZUNA_BUILD_DIR or build/).
 *
 * Meilisearch is not started: insights do not search, and the seeded content is not
 * indexed. The server is pointed at a closed port, so its indexing tasks fail fast
 * and wait instead of competing for the CPU.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { closeDatabase, connectDatabase } from '#db/client.server'
import { freePort } from '#search/embedded.server'
import { buildForMeasurement, runBenchmark } from '../search/instance'
import { createUser } from '~/auth/users.server'
import { createApiToken } from '../../support/factories'
import { startPostgres, type TestPostgres } from '../../support/postgres'
import { discardJobs } from '#db/queue.server'
import { evaluateAlerts } from '~/insights/alerts.server'
import { recordActivity } from '~/insights/events.server'
import { buildJourneys } from '~/insights/journeys.server'
import { seed } from './seed'

const TARGET_P95_MS = 300

const envInt = (name: string, fallback: number, min = 1) => {
	const value = Number(process.env[name] ?? fallback)
	if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}`)
	return value
}
const options = {
	requests: envInt('BENCH_REQUESTS', 60),
	accounts: envInt('BENCH_ACCOUNTS', 2_000),
	members: envInt('BENCH_MEMBERS', 22_000),
	questions: envInt('BENCH_QUESTIONS', 100_000),
	events: envInt('BENCH_EVENTS', 1_000_000),
	build: process.env.BENCH_BUILD ?? 'always',
}
if (!['always', 'never'].includes(options.build)) throw new Error('BENCH_BUILD must be always or never')

type Latency = { n: number; p50: number; p95: number; p99: number; max: number }
function percentiles(values: number[]): Latency {
	const sorted = [...values].sort((a, b) => a - b)
	const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN
	return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] ?? NaN }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const millis = (ms: number) => `${ms.toFixed(0)} ms`.padStart(7)
const count = (n: number | string | undefined) => Number(n).toLocaleString('en')
const section = (title: string) => console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}`)
const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
	const started = performance.now()
	const result = await run()
	return [result, performance.now() - started]
}

// ------------------------------------------------------------------ server

let server: ChildProcess | null = null

async function startServer(env: NodeJS.ProcessEnv): Promise<string> {
	const port = await freePort()
	const baseUrl = `http://127.0.0.1:${port}`
	// node --import tsx rather than npx: the pid is the server itself, so a signal reaches it.
	server = spawn(process.execPath, ['--import', 'tsx', 'app/server/main.ts'], {
		env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
		stdio: ['ignore', 'ignore', 'pipe'],
	})
	let stderr = ''
	server.stderr!.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString()).slice(-4000)
	})
	const deadline = Date.now() + 120_000
	while (Date.now() < deadline) {
		if (server.exitCode !== null) throw new Error(`The server exited (${server.exitCode}):\n${stderr}`)
		try {
			// 503 is expected: only the database has to answer, Meilisearch is not running.
			const health = (await (await fetch(`${baseUrl}/healthz`)).json()) as { failing?: { database?: string } }
			if (!health.failing?.database) return baseUrl
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 250))
	}
	throw new Error(`The server did not start within 120 s:\n${stderr}`)
}

async function stopServer() {
	const child = server
	server = null
	if (!child || child.exitCode !== null) return
	const exited = new Promise((resolve) => child.once('exit', resolve))
	child.kill('SIGTERM')
	await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))])
}

// ------------------------------------------------------------------ timing

type Endpoint = { name: string; path: string; variants: Array<{ label: string; query: string }> }

async function timeEndpoint(baseUrl: string, token: string, endpoint: Endpoint) {
	const get = async (query: string) => {
		const started = performance.now()
		const response = await fetch(`${baseUrl}${endpoint.path}?${query}`, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' } })
		const body = await response.text()
		const elapsed = performance.now() - started
		if (response.status !== 200) throw new Error(`${endpoint.path}?${query}: ${response.status} ${body.slice(0, 300)}`)
		return { elapsed, body }
	}
	const all: number[] = []
	const perVariant = new Map<string, number[]>()
	const samples = new Map<string, string>()
	for (const variant of endpoint.variants) samples.set(variant.label, (await get(variant.query)).body)
	for (let i = 0; i < 3; i++) for (const variant of endpoint.variants) await get(variant.query)
	for (let i = 0; i < options.requests; i++) {
		const variant = endpoint.variants[i % endpoint.variants.length]!
		const { elapsed } = await get(variant.query)
		all.push(elapsed)
		perVariant.set(variant.label, [...(perVariant.get(variant.label) ?? []), elapsed])
	}
	return { all: percentiles(all), perVariant: [...perVariant].map(([label, times]) => ({ label, latency: percentiles(times) })), samples }
}

/** A page that records an event (a question through the API, as a new anonymous visitor each time). */
async function timeRecordingPage(baseUrl: string, questionIds: number[]) {
	const times: number[] = []
	for (let i = 0; i < 200; i++) {
		const started = performance.now()
		const response = await fetch(`${baseUrl}/api/v1/questions/${questionIds[i % questionIds.length]}`)
		await response.arrayBuffer()
		if (response.status !== 200) throw new Error(`GET /api/v1/questions/${questionIds[i % questionIds.length]}: ${response.status}`)
		times.push(performance.now() - started)
	}
	return percentiles(times)
}

// ------------------------------------------------------------------ main

async function main() {
	const runStarted = performance.now()
	const cpus = os.cpus()
	section('Kizuna insights benchmark')
	console.log(`machine: ${cpus.length} CPU(s) (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`)
	const loadBefore = os.loadavg()
	console.log(`load average before the run: ${loadBefore.map((l) => l.toFixed(2)).join(' / ')} (1 / 5 / 15 min)`)

	const buildStarted = performance.now()
	if (options.build === 'always') buildForMeasurement()
	const buildDir = path.resolve(process.env.KIZUNA_BUILD_DIR ?? 'build')
	if (!fs.existsSync(path.join(buildDir, 'server/index.js'))) throw new Error(`${buildDir}/server/index.js is missing: run npm run build, or leave BENCH_BUILD unset`)
	console.log(`build: ${options.build === 'always' ? `built into ${path.relative('.', buildDir)} in ${seconds(performance.now() - buildStarted)}` : `${buildDir} as it is (BENCH_BUILD=never)`}`)

	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-bench-insights-'))
	let pg: TestPostgres | null = null
	let stopping: Promise<void> | null = null
	const cleanup = () =>
		(stopping ??= (async () => {
			await stopServer()
			await closeDatabase()
			await pg?.stop()
			fs.rmSync(dataDir, { recursive: true, force: true })
		})())
	const interrupted = (signal: NodeJS.Signals) => {
		console.error(`\n${signal}: stopping the benchmark…`)
		void cleanup().finally(() => process.exit(130))
	}
	process.once('SIGINT', interrupted)
	process.once('SIGTERM', interrupted)

	let failed = false
	try {
		section('PostgreSQL 15 and data')
		pg = await startPostgres()
		const databaseUrl = await pg.createDatabase('kizuna_bench')
		const [connection, migrateMs] = await timed(() => connectDatabase({ databaseUrl, dataDir }))
		console.log(`throwaway PostgreSQL 15 started; migrations applied in ${seconds(migrateMs)}`)

		const now = new Date()
		const reserved = await connection.sql.reserve()
		const [, generateMs] = await timed(() =>
			seed(reserved, { accounts: options.accounts, members: options.members, questions: options.questions, events: options.events, days: 90, now }, (step, rows, ms) =>
				console.log(`  ${step.padEnd(26)} ${count(rows).padStart(10)} rows  ${seconds(ms).padStart(7)}`),
			),
		)
		reserved.release()
		console.log(`generated in ${seconds(generateMs)}`)

		section('help journeys and alerts (as the worker\'s jobs run them)')
		const [, journeysMs] = await timed(async () => {
			await buildJourneys()
			await evaluateAlerts(now)
		})
		console.log(`buildJourneys() and evaluateAlerts() over 1,000,000 new events: ${seconds(journeysMs)}`)
		// The seeded content was never indexed, so the frequency updates queued above have nothing to update.
		const droppedTasks = await discardJobs('search-index')
		// After bulk loading and one update of every event, as autovacuum would do before long.
		const [, vacuumMs] = await timed(() => connection.sql`vacuum analyze`)
		console.log(`dropped ${count(droppedTasks)} search-index jobs for unindexed content; vacuum analyze: ${seconds(vacuumMs)}`)

		const [rows] = (await connection.sql`
			select (select count(*) from accounts) as accounts, (select count(*) from account_domains) as domains,
				(select count(*) from users where role = 'member') as members, (select count(*) from users where role = 'member' and account_id is null) as without_account,
				(select count(*) from questions) as questions, (select count(*) from questions where answer_count > 0) as answered, (select count(*) from answers) as answers,
				(select count(*) from question_tags) as question_tags, (select count(*) from me_toos) as me_toos, (select count(*) from content_feedback) as feedback,
				(select count(*) from tutorial_progress) as progress, (select count(*) from events) as events,
				(select count(*) from events where type = 'search') as searches, (select count(*) from events where type = 'search' and result_count = 0) as zero,
				(select count(*) from help_journeys) as all_journeys, (select count(*) from help_journeys where is_help) as journeys,
				(select count(*) from help_journeys where self_resolved) as self_resolved, (select count(*) from help_journeys where escalated) as escalated,
				(select count(*) from help_journeys where deflected) as deflected, (select count(*) from account_alerts where cleared_at is null) as alerts,
				(select count(*) from help_journeys where is_help and channel = 'widget') as widget_journeys, (select count(distinct page) from help_journeys where channel = 'widget') as widget_pages`) as unknown as [Record<string, string>]
		const [big] = (await connection.sql`select a.external_id from accounts a join users u on u.account_id = a.id group by a.id order by count(*) desc, a.id limit 1`) as unknown as [{ external_id: string }]
		const [small] = (await connection.sql`select a.external_id from accounts a join users u on u.account_id = a.id group by a.id order by count(*), a.id limit 1`) as unknown as [{ external_id: string }]
		const questionIds = ((await connection.sql`select id from questions order by id desc limit 50`) as unknown as Array<{ id: number }>).map((row) => row.id)

		const email = 'bench-cs@vendor.example'
		const staff = await createUser({ email, password: 'benchmark-password', displayName: 'Bench CS', role: 'cs' })
		const token = await createApiToken(staff.id)
		await closeDatabase()

		section('server')
		const [baseUrl, startMs] = await timed(() =>
			startServer({
				...process.env,
				DATABASE_URL: databaseUrl,
				KIZUNA_DATA_DIR: dataDir,
				KIZUNA_DEMO_CONTENT: 'off',
				KIZUNA_BUILD_DIR: buildDir,
				// Nothing listens on port 1: search calls fail at once.
				MEILI_URL: 'http://127.0.0.1:1',
			}),
		)
		console.log(`${baseUrl} ready in ${seconds(startMs)} (DATABASE_URL: the throwaway PostgreSQL; no Meilisearch)`)

		const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10)
		const period = `from=${day(-29)}&to=${day(0)}`
		const endpoints: Endpoint[] = [
			{ name: 'summary', path: '/api/v1/insights/summary', variants: [] },
			{ name: 'unanswered-topics', path: '/api/v1/insights/unanswered-topics', variants: [] },
			{ name: 'zero-result-queries', path: '/api/v1/insights/zero-result-queries', variants: [] },
			{ name: 'pages', path: '/api/v1/insights/pages', variants: [] },
			{ name: 'accounts', path: '/api/v1/insights/accounts', variants: [{ label: 'plan=enterprise', query: `${period}&plan=enterprise` }, { label: 'phase=onboarding', query: `${period}&phase=onboarding` }] },
		]
		// Most requests cover every account; one in five each is about the largest and the smallest account.
		for (const endpoint of endpoints) {
			endpoint.variants.unshift(
				{ label: 'all accounts', query: period },
				{ label: 'all accounts', query: period },
				{ label: 'all accounts', query: period },
				{ label: `account=${big.external_id} (largest)`, query: `${period}&account=${big.external_id}` },
				{ label: `account=${small.external_id} (smallest)`, query: `${period}&account=${small.external_id}` },
			)
		}

		section(`insights endpoints: ${period}, ${options.requests} sequential requests each after a warm-up`)
		const results = []
		for (const endpoint of endpoints) {
			const result = await timeEndpoint(baseUrl, token, endpoint)
			results.push({ endpoint, result })
			console.log(`${endpoint.path}: p50 ${millis(result.all.p50)}  p95 ${millis(result.all.p95)}  p99 ${millis(result.all.p99)}  max ${millis(result.all.max)}`)
			for (const variant of result.perVariant) console.log(`    ${variant.label.padEnd(34)} n=${String(variant.latency.n).padStart(3)}  p50 ${millis(variant.latency.p50)}  p95 ${millis(variant.latency.p95)}`)
		}
		const summary = JSON.parse(results[0]!.result.samples.get('all accounts')!) as Record<string, unknown>
		console.log(`summary, all accounts: ${JSON.stringify(summary)}`)

		section('event recording')
		// In this process, with the app's recorder: what a page pays per event.
		await connectDatabase({ databaseUrl, dataDir })
		const calls = 10_000
		const [, writeMs] = await timed(async () => {
			for (let i = 0; i < calls; i++) await recordActivity({ actor: null, visitorId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }, { type: 'content_view', targetType: 'question', targetId: questionIds[i % questionIds.length] })
		})
		const [built, buildMs] = await timed(() => buildJourneys())
		await closeDatabase()
		const page = await timeRecordingPage(baseUrl, questionIds)

		section('results')
		console.log(`machine                ${cpus.length} CPU(s), node ${process.version}; PostgreSQL 15 with default settings (fsync off), server and database on this machine`)
		console.log(`rows                   ${count(rows.accounts)} accounts (${count(rows.domains)} domains), ${count(rows.members)} members (${count(rows.without_account)} without an account), ${count(rows.questions)} questions (${count(rows.answered)} answered, ${count(rows.answers)} answers, ${count(rows.question_tags)} tags), ${count(rows.me_toos)} "me too"`)
		console.log(`                       ${count(rows.events)} events over 90 days (${count(rows.searches)} searches, ${count(rows.zero)} with no result), ${count(rows.feedback)} helpful votes, ${count(rows.progress)} tutorial steps done`)
		console.log(`                       ${count(rows.all_journeys)} journeys, ${count(rows.journeys)} help journeys: ${count(rows.self_resolved)} self-resolved, ${count(rows.escalated)} escalated, ${count(rows.deflected)} deflected; ${count(rows.alerts)} open account alerts`)
		console.log(`                       ${count(rows.widget_journeys)} of the help journeys in the widget, on ${count(rows.widget_pages)} host pages`)
		console.log(`data generation        ${seconds(generateMs)} (SQL, incl. analyze)`)
		console.log(`journey building       ${seconds(journeysMs)} (1,000,000 events → journeys and rollups, question frequencies, alerts)`)
		console.log(`recording, in process  ${calls.toLocaleString('en')} recordActivity calls ${millis(writeMs).trim()} (${((writeMs / calls) * 1000).toFixed(1)} µs each, written one at a time); building their journeys ${millis(buildMs).trim()} (${built.events} events)`)
		console.log(`page that records      GET /api/v1/questions/:id as a new visitor (1 event + a view count each), 200 sequential: p50 ${millis(page.p50).trim()}  p95 ${millis(page.p95).trim()}  p99 ${millis(page.p99).trim()}`)
		console.log('')
		console.log(`${'endpoint'.padEnd(38)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(7)}  p95 ≤ ${TARGET_P95_MS} ms`)
		for (const { endpoint, result } of results) {
			const pass = result.all.p95 <= TARGET_P95_MS
			failed ||= !pass
			console.log(`${endpoint.path.padEnd(38)} ${millis(result.all.p50)} ${millis(result.all.p95)} ${millis(result.all.p99)} ${millis(result.all.max)}  ${pass ? 'PASS' : 'FAIL'}`)
		}
		const loadAfter = os.loadavg()
		console.log(`\nload average after: ${loadAfter.map((l) => l.toFixed(2)).join(' / ')}`)
		if (loadBefore[0]! > cpus.length * 0.5) console.log(`NOTE  the machine was busy before the benchmark started (1-minute load ${loadBefore[0]!.toFixed(1)} on ${cpus.length} CPUs): times are pessimistic`)
		if (options.accounts !== 2_000 || options.questions !== 100_000 || options.events !== 1_000_000) console.log('NOTE  non-default scale: the target is defined for 2,000 accounts, 100,000 questions and 1,000,000 events')
	} finally {
		await cleanup()
		console.log(`\ntotal benchmark time ${seconds(performance.now() - runStarted)}`)
	}
	return failed ? 1 : 0
}

runBenchmark(main)
