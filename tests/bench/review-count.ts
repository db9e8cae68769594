/**
 * `npx tsx tests/bench/review-count.ts`: the review queue's header count (run for
 * staff on every page) on a throwaway PostgreSQL 15 (tests/support/postgres.ts) with
 * BENCH_POSTS questions and as many answers (100,000 each), of which 0.1% are held
 * and 0.5% hidden or deleted, and 30 open flags. Prints the plan and the median and
 * p95 of 200 counts. Target: p95 under 5 ms. Exit code 1 when missed or when the
 * plan scans a whole posts table. Not part of `npm test`.
 */
import { sql } from 'drizzle-orm'
import { startPostgres, type TestPostgres } from '../support/postgres'
import { envInt } from './search/instance'

const posts = envInt('BENCH_POSTS', 100_000, 1000)
const TARGET_P95_MS = 5

async function main(): Promise<number> {
	let pg: TestPostgres | null = null
	const { connectDatabase, closeDatabase, db } = await import('../../db/client.server')
	const { reviewCountQuery } = await import('../../app/moderation/review.server')
	try {
		pg = await startPostgres()
		await connectDatabase({ databaseUrl: await pg.createDatabase('kizuna_review_count'), dataDir: '.' })
		const started = performance.now()
		await db.execute(sql`insert into users (id, email, display_name, handle) values ('bench-author', 'author@example.test', 'Author', 'author')`)
		// Every thousandth post held, every two hundredth hidden or deleted (alternately), the rest visible.
		const state = sql.raw(`case when n % 1000 = 0 then 'held' when n % 200 = 0 then (case when n % 400 = 0 then 'hidden' else 'deleted' end) else 'visible' end::post_state`)
		await db.execute(sql`
			insert into questions (author_id, title, body, body_html, slug, state, state_changed_at)
			select 'bench-author', 'Question ' || n, 'Body ' || n, '<p>Body ' || n || '</p>', 'question-' || n, ${state}, now() - n * interval '1 minute'
			from generate_series(1, ${posts}) n`)
		await db.execute(sql`
			insert into answers (question_id, author_id, body, body_html, state, state_changed_at)
			select q.id, 'bench-author', 'Answer ' || n, '<p>Answer ' || n || '</p>', ${state}, now() - n * interval '1 minute'
			from generate_series(1, ${posts}) n join questions q on q.slug = 'question-' || n`)
		await db.execute(sql`
			insert into users (id, email, display_name, handle)
			select 'bench-flagger-' || n, 'flagger' || n || '@example.test', 'Flagger ' || n, 'flagger' || n from generate_series(1, 30) n`)
		await db.execute(sql`
			insert into flags (target_type, target_id, reporter_id, reason, weight)
			select 'question', (select min(id) from questions) + n * 7, 'bench-flagger-' || n, 'spam', 1 from generate_series(1, 30) n`)
		await db.execute(sql`analyze`)
		console.log(`${posts} questions and ${posts} answers written in ${((performance.now() - started) / 1000).toFixed(1)} s`)

		const plan = (await db.execute(sql`explain (analyze, costs off, timing off) ${reviewCountQuery}`)) as unknown as Array<{ 'QUERY PLAN': string }>
		const text = plan.map((row) => row['QUERY PLAN']).join('\n')
		console.log(text)
		const times: number[] = []
		let count = 0
		for (let i = 0; i < 200; i++) {
			const begun = performance.now()
			count = ((await db.execute(reviewCountQuery)) as unknown as Array<{ n: number }>)[0]!.n
			times.push(performance.now() - begun)
		}
		times.sort((a, b) => a - b)
		const p50 = times[Math.floor(times.length * 0.5)]!
		const p95 = times[Math.floor(times.length * 0.95)]!
		console.log(`count ${count}; median ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms (target p95 < ${TARGET_P95_MS} ms)`)
		const scans = /Seq Scan on (questions|answers)/.test(text)
		if (scans) console.log('The plan scans a whole posts table.')
		return p95 < TARGET_P95_MS && !scans ? 0 : 1
	} finally {
		await closeDatabase()
		await pg?.stop()
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error)
		process.exit(2)
	},
)
