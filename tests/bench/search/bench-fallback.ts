/**
 * `npm run bench:fallback`: how fast search answers from PostgreSQL while Meilisearch
 * is down. Starts a throwaway PostgreSQL 15 (tests/support/postgres.ts), seeds the
 * corpus of `npm run bench:search` (bench-seed.ts: BENCH_QUESTIONS questions, 50,000 by
 * default, with answers, and BENCH_FAQS FAQs, 30 % Japanese), builds the fallback
 * rows as `reindex` does, then points search at a closed port and times
 * searchContent() (the whole degraded path: synonyms, fallback query, facets,
 * highlighting; no HTTP) one query at a time, over BENCH_QUERIES natural-language
 * queries: full result pages with facet counts, and as-you-type suggestions.
 */
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { closeDatabase, connectDatabase, db } from '#db/client.server'
import { connectSearch } from '#search/client.server'
import { rebuildFallback } from '#search/fallback.server'
import { searchContent } from '#search/query.server'
import type { SearchRequest } from '#search/request'
import { startPostgres } from '../../support/postgres'
import { seed } from './bench-seed'
import { generateQueries, percentiles } from './synthetic'
import { runBenchmark } from './instance'

const envInt = (name: string, fallback: number) => {
	const value = Number(process.env[name] ?? fallback)
	if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`)
	return value
}

async function closedPort(): Promise<number> {
	const probe = net.createServer()
	const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as net.AddressInfo).port)))
	await new Promise((resolve) => probe.close(resolve))
	return port
}

async function timeQueries(queries: string[], request: Omit<SearchRequest, 'q'>) {
	const times: number[] = []
	let degraded = 0
	let found = 0
	for (const q of queries) {
		const started = performance.now()
		const result = await searchContent({ q, ...request }, { userId: null, visitorId: null, record: false })
		times.push(performance.now() - started)
		if (result.degraded) degraded++
		if (result.total > 0) found++
	}
	return { ...percentiles(times), degraded, found }
}

async function main() {
	const questions = envInt('BENCH_QUESTIONS', 50_000)
	const faqs = envInt('BENCH_FAQS', 2_000)
	const queries = generateQueries(envInt('BENCH_QUERIES', 300)).map((q) => q.q)
	const postgres = await startPostgres()
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-bench-fallback-'))
	try {
		await connectDatabase({ databaseUrl: await postgres.createDatabase('bench_fallback'), dataDir })
		const seeded = await seed(questions, faqs, true)
		let started = performance.now()
		const rows = await rebuildFallback()
		const buildSeconds = (performance.now() - started) / 1000
		await db.execute(sql`analyze search_fallback`)
		const [size] = await db.execute<{ table: string; gin: string }>(
			sql`select pg_size_pretty(pg_total_relation_size('search_fallback')) as table, pg_size_pretty(pg_relation_size('search_fallback_terms')) as gin`,
		)
		console.log(`fallback rows: ${rows} for ${seeded.questions} questions (${seeded.answers} answers) and ${seeded.faqs} FAQs, built in ${buildSeconds.toFixed(1)} s; table ${size?.table}, GIN index ${size?.gin}`)

		connectSearch({ url: `http://127.0.0.1:${await closedPort()}`, indexPrefix: 'bench_' })
		// The first search finds Meilisearch unreachable and opens the breaker; the rest go straight to PostgreSQL.
		await searchContent({ q: queries[0]!, limit: 10 }, { userId: null, visitorId: null, record: false })
		started = performance.now()
		const pages = await timeQueries(queries, { limit: 10 })
		const suggestions = await timeQueries(queries.map((q) => q.slice(0, Math.max(3, Math.ceil(q.length * 0.6)))), { limit: 6, facets: false })
		const format = (label: string, m: Awaited<ReturnType<typeof timeQueries>>) =>
			`${label}: p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, max ${m.max.toFixed(1)} ms; ${m.found}/${m.n} found something, ${m.degraded}/${m.n} degraded`
		console.log(format(`result pages with facets (${queries.length} queries, one at a time)`, pages))
		console.log(format('as-you-type suggestions (the first 60 % of each query)', suggestions))
		console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`)
	} finally {
		await closeDatabase()
		await postgres.stop()
		fs.rmSync(dataDir, { recursive: true, force: true })
	}
}

runBenchmark(main)
