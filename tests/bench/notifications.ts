/**
 * `npm run bench:notifications`: a question in a tag that 10,000 people follow.
 *
 *   1. builds the app into a directory of its own and starts a throwaway Kizuna
 *      (tests/bench/search/instance.ts: temp data dir, embedded Meilisearch, its
 *      background worker in the same process) on a throwaway PostgreSQL 15 server
 *      (tests/support/postgres.ts),
 *   2. creates one asker with an API token (the CLI) and BENCH_FOLLOWERS people
 *      (10,000) following one tag (SQL: the people are not what is measured),
 *   3. posts BENCH_QUESTIONS questions (30) in that tag through `POST /api/v1/questions`,
 *      one after the other, and after each waits until every follower has its
 *      `tag_question` notification (polling the database every 10 ms),
 *   4. prints p50/p95 of the POST (the notify job is only queued in its transaction)
 *      and of the time from the POST until all notifications exist.
 *
 * Targets: POST p95 < 100 ms, all notifications within 10 s. Exit code 1 when a
 * target is missed, 2 when the benchmark could not run. Not part of `npm test`.
 */
import os from 'node:os'
import postgres from 'postgres'
import { startPostgres, type TestPostgres } from '../support/postgres'
import { buildForMeasurement, createInstance, embeddedArgument, envInt, runBenchmark, type Instance } from './search/instance'
import { percentiles } from './search/synthetic'

const TARGETS = { postP95Ms: 100, fanOutMs: 10_000 }
// PGlite serves the server process alone, and the benchmark reads the database beside it: PostgreSQL only.
if (embeddedArgument()) throw new Error('--embedded is not supported here: the benchmark counts notifications in the database while the server runs')
const options = { followers: envInt('BENCH_FOLLOWERS', 10_000, 1), questions: envInt('BENCH_QUESTIONS', 30, 1), build: process.env.BENCH_BUILD ?? 'always' }
if (!['always', 'never'].includes(options.build)) throw new Error('BENCH_BUILD must be always or never')
const TAG = 'bench-followed'
const PASSWORD = 'correct horse battery'
const section = (title: string) => console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}`)
const ms = (value: number) => `${value.toFixed(1)} ms`

async function main(): Promise<number> {
	section('Kizuna notifications benchmark')
	const cpus = os.cpus()
	console.log(`machine: ${cpus.length} CPU(s), node ${process.version}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`)
	console.log(`database: throwaway PostgreSQL 15; ${options.followers} followers of one tag, ${options.questions} questions`)
	if (options.build === 'always') {
		console.log(`build: ${buildForMeasurement()}`)
	}

	let pg: TestPostgres | null = null
	let instance: Instance | null = null
	let sql: postgres.Sql | null = null
	const cleanup = async () => {
		await sql?.end({ timeout: 5 })
		await instance?.stop()
		await pg?.stop()
	}
	process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)))
	try {
		pg = await startPostgres()
		const databaseUrl = await pg.createDatabase('kizuna_notifications')
		instance = createInstance('notifications', { databaseUrl })

		section('people')
		const email = 'bench-asker@example.test'
		instance.cli('user:create', '--email', email, '--password', PASSWORD, '--role', 'member')
		const token = instance.cli('token:create', '--email', email).trim().split('\n').at(-1)!.trim()
		sql = postgres(databaseUrl, { max: 2, onnotice: () => {} })
		const started = performance.now()
		await sql`insert into tags (name) values (${TAG})`
		await sql`
			insert into users (id, email, display_name, handle, email_verified_at)
			select 'bench-' || n, 'follower' || n || '@example.test', 'Follower ' || n, 'follower' || n, now() from generate_series(1, ${options.followers}) n`
		await sql`insert into tag_follows (user_id, tag_id) select 'bench-' || n, (select id from tags where name = ${TAG}) from generate_series(1, ${options.followers}) n`
		await sql`analyze`
		console.log(`${options.followers} people following "${TAG}" in ${((performance.now() - started) / 1000).toFixed(1)} s`)

		await instance.start()
		section('questions')
		const post = async (i: number) => {
			const sent = performance.now()
			const response = await fetch(`${instance!.baseUrl}/api/v1/questions`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ title: `How do I export board number ${i} to CSV?`, body: `Exporting board ${i} stops after 1,000 rows. What can I do?`, tags: [TAG] }),
			})
			const took = performance.now() - sent
			if (response.status !== 201) throw new Error(`POST /api/v1/questions answered ${response.status}: ${await response.text()}`)
			return { id: ((await response.json()) as { id: number }).id, sent, took }
		}
		// Two warm-up questions: the first requests load code and fill caches.
		const warm = []
		for (let i = 0; i < 2; i++) warm.push(await post(-i))
		await waitForAll(sql, warm.at(-1)!.id, options.followers, performance.now() + 60_000)
		const posts: number[] = []
		const fanOuts: number[] = []
		for (let i = 1; i <= options.questions; i++) {
			const { id, sent, took } = await post(i)
			posts.push(took)
			const done = await waitForAll(sql, id, options.followers, sent + 60_000)
			fanOuts.push(done - sent)
			process.stdout.write(`\rquestion ${i}/${options.questions}: POST ${ms(took)}, all ${options.followers} notifications after ${ms(done - sent)}   `)
		}
		console.log('')
		const postLatency = percentiles(posts)
		const fanOut = percentiles(fanOuts)
		section('results')
		console.log(`POST /api/v1/questions            p50 ${ms(postLatency.p50)}  p95 ${ms(postLatency.p95)}  max ${ms(postLatency.max)}`)
		console.log(`until all ${options.followers} notifications   p50 ${ms(fanOut.p50)}  p95 ${ms(fanOut.p95)}  max ${ms(fanOut.max)}`)
		const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL')
		const postOk = postLatency.p95 < TARGETS.postP95Ms
		const fanOutOk = fanOut.max < TARGETS.fanOutMs
		console.log(`${verdict(postOk)}  POST p95 < ${TARGETS.postP95Ms} ms`)
		console.log(`${verdict(fanOutOk)}  every question's ${options.followers} notifications within ${TARGETS.fanOutMs / 1000} s (slowest ${ms(fanOut.max)})`)
		console.log(`load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`)
		return postOk && fanOutOk ? 0 : 1
	} finally {
		await cleanup()
	}
}

/** When the question's notifications reached `count` (performance.now() time); throws after the deadline. */
async function waitForAll(sql: postgres.Sql, questionId: number, count: number, deadline: number): Promise<number> {
	for (;;) {
		const [row] = await sql<Array<{ n: number }>>`select count(*)::int as n from notifications where question_id = ${questionId} and type = 'tag_question'`
		if (row!.n >= count) return performance.now()
		if (performance.now() > deadline) throw new Error(`Question ${questionId}: only ${row!.n} of ${count} notifications after 60 s`)
		await new Promise((resolve) => setTimeout(resolve, 10))
	}
}

runBenchmark(main)
