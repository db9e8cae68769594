/**
 * Seeds a throwaway Kizuna for `npm run bench:search` (run by bench.ts as a child
 * process, before the server starts: the embedded database, when used, allows one
 * process at a time). It writes the synthetic corpus straight into PostgreSQL with
 * multi-row INSERTs (the `import` CLI takes one transaction per item: ~40 ms each through
 * PGlite, over half an hour for 52,000 items), then times `reindexAll()`, which
 * builds the Meilisearch index from PostgreSQL like `npm run cli -- reindex`.
 *
 * Environment: KIZUNA_DATA_DIR (required; an empty instance with embedded Meilisearch),
 * DATABASE_URL (only bench.ts's throwaway server, repeated in BENCH_THROWAWAY_DATABASE_URL;
 * unset: embedded PGlite), BENCH_QUESTIONS (50000), BENCH_FAQS (2000), BENCH_QUERIES
 * (300), BENCH_SYNONYMS (on|off), BENCH_SEED_RESULT (where to write the JSON result).
 */
import fs from 'node:fs'
import { pathToFileURL } from 'node:url'
import { sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { discardJobs, listJobs } from '#db/queue.server'
import { answers, faqCategories, faqRevisions, faqs, meToos, questions, questionTags, searchVocabulary, tags, users } from '#db/schema'
import { indexName, searchClient } from '#search/client.server'
import { CONTENT_INDEX } from '#search/settings'
import { rebuildFallback } from '#search/fallback.server'
import { reindexAll } from '#search/sync.server'
import { loadConfig } from '~/config.server'
import { renderMarkdown } from '~/markdown/markdown.server'
import { slugify } from '~/utils/urls'
import { startRuntime } from '~/server/runtime.server'
import { benchSynonyms, faqCategories as syntheticCategories, generateFaqs, generateQueries, generateQuestions, percentiles, plainSearch, Random, type Latency } from './synthetic'

export type SeedResult = {
	questions: number
	answers: number
	acceptedAnswers: number
	faqs: number
	japaneseShare: number
	/** server_version of the database seeded. */
	databaseVersion: string
	generateSeconds: number
	insertSeconds: number
	indexSeconds: number
	indexedDocuments: number
	reindexCounts: Record<string, number>
	pendingIndexTasks: number
	synonymGroups: number
	diagnostics: Diagnostics | null
}

const CHUNK = 1000
const REFERENCE_DATE = Date.UTC(2026, 0, 1)
const day = 24 * 60 * 60 * 1000

const envNumber = (name: string, fallback: number) => {
	const value = Number(process.env[name] ?? fallback)
	if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`)
	return value
}

async function insertChunked<T>(label: string, rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
	const started = performance.now()
	for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK))
	console.log(`  ${label.padEnd(16)} ${String(rows.length).padStart(7)} rows  ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

/**
 * Also used by bench-fallback.ts, which needs the same corpus without Meilisearch.
 * Rows carry their rendered HTML, as every write stores it: without, the server's
 * worker renders and updates 177,000 rows one at a time (the backfill for rows from
 * before body_html existed) while the benchmark measures, in the server's own process.
 */
export async function seed(questionCount: number, faqCount: number, synonyms: boolean) {
	let started = performance.now()
	const syntheticQuestions = generateQuestions(questionCount)
	const syntheticFaqs = generateFaqs(faqCount)
	const r = new Random(7)

	const memberIds = Array.from({ length: 400 }, (_, i) => `bench-member-${i + 1}`)
	const staffIds = Array.from({ length: 8 }, (_, i) => `bench-cs-${i + 1}`)
	const userRows = [
		...memberIds.map((id, i) => ({ id, email: `member${i + 1}@bench.example`, displayName: `Member ${i + 1}`, handle: `member${i + 1}`, role: 'member' as const, createdAt: new Date(REFERENCE_DATE - 800 * day), emailVerifiedAt: new Date(REFERENCE_DATE - 800 * day) })),
		...staffIds.map((id, i) => ({ id, email: `cs${i + 1}@bench.example`, displayName: `Support ${i + 1}`, handle: `support${i + 1}`, role: 'cs' as const, createdAt: new Date(REFERENCE_DATE - 800 * day), emailVerifiedAt: new Date(REFERENCE_DATE - 800 * day) })),
	]

	const tagIds = new Map<string, number>()
	for (const q of syntheticQuestions) for (const t of q.tags) if (!tagIds.has(t)) tagIds.set(t, tagIds.size + 1)
	const tagRows = [...tagIds].map(([name, id]) => ({ id, name }))

	const questionRows: Array<typeof questions.$inferInsert> = []
	const answerRows: Array<typeof answers.$inferInsert> = []
	const questionTagRows: Array<typeof questionTags.$inferInsert> = []
	const meTooRows: Array<typeof meToos.$inferInsert> = []
	let answerId = 0
	let accepted = 0
	for (const [i, q] of syntheticQuestions.entries()) {
		const id = i + 1
		const createdAt = new Date(REFERENCE_DATE - q.ageDays * day - r.int(0, day - 1))
		const authorId = r.pick(memberIds)
		let acceptedAnswerId: number | null = null
		let lastActivity = createdAt
		for (const [position, answer] of q.answers.entries()) {
			answerId++
			const answeredAt = new Date(createdAt.getTime() + answer.offsetMinutes * 60_000)
			if (answeredAt > lastActivity) lastActivity = answeredAt
			if (answer.accepted) acceptedAnswerId = answerId
			answerRows.push({ id: answerId, questionId: id, authorId: r.chance(0.25) ? r.pick(staffIds) : r.pick(memberIds), body: answer.body, bodyHtml: renderMarkdown(answer.body), score: answer.score, externalId: `${q.externalId}#answer-${position + 1}`, createdAt: answeredAt, updatedAt: answeredAt })
		}
		if (acceptedAnswerId !== null) accepted++
		const meTooUsers = r.sample(memberIds.filter((m) => m !== authorId), q.meToo)
		for (const userId of meTooUsers) meTooRows.push({ questionId: id, userId, createdAt: lastActivity })
		for (const t of q.tags) questionTagRows.push({ questionId: id, tagId: tagIds.get(t)! })
		questionRows.push({
			id,
			authorId,
			title: q.title,
			body: q.body,
			bodyHtml: renderMarkdown(q.body),
			slug: slugify(q.title),
			externalId: q.externalId,
			acceptedAnswerId,
			frequency: 1 + meTooUsers.length,
			score: q.score,
			answerCount: q.answers.length,
			meTooCount: meTooUsers.length,
			viewCount: q.views,
			createdAt,
			updatedAt: createdAt,
			lastActivityAt: lastActivity,
		})
	}

	const categoryIds = new Map(syntheticCategories.map((c, i) => [c.name, i + 1]))
	const categoryRows = syntheticCategories.map((c, i) => ({ id: i + 1, name: c.name, slug: c.slug, description: c.description, position: i }))
	const faqRows: Array<typeof faqs.$inferInsert> = syntheticFaqs.map((f, i) => {
		const createdAt = new Date(REFERENCE_DATE - f.ageDays * day)
		return {
			id: i + 1,
			title: f.title,
			body: f.body,
			bodyHtml: renderMarkdown(f.body),
			slug: slugify(f.title),
			categoryId: categoryIds.get(f.category)!,
			tags: f.tags,
			language: f.language,
			published: true,
			publishedAt: createdAt,
			position: i,
			externalId: f.externalId,
			frequency: f.frequency,
			viewCount: f.views,
			createdById: r.pick(staffIds),
			createdAt,
			updatedAt: createdAt,
		}
	})
	const revisionRows = faqRows.map((f, i) => ({ id: i + 1, faqId: f.id!, editorId: f.createdById!, title: f.title, body: f.body, categoryId: f.categoryId!, tags: f.tags!, language: f.language!, published: true, createdAt: f.createdAt! }))
	const generateSeconds = (performance.now() - started) / 1000
	console.log(`generated in ${generateSeconds.toFixed(1)} s; inserting:`)

	started = performance.now()
	await db.transaction(async (tx) => {
		const [{ count }] = (await tx.select({ count: sql<number>`count(*)::int` }).from(questions)) as [{ count: number }]
		if (count > 0) throw new Error('bench-seed needs an empty instance: this database already has questions')
		await insertChunked('users', userRows, (chunk) => tx.insert(users).values(chunk))
		await insertChunked('tags', tagRows, (chunk) => tx.insert(tags).values(chunk))
		await insertChunked('questions', questionRows, (chunk) => tx.insert(questions).values(chunk))
		await insertChunked('answers', answerRows, (chunk) => tx.insert(answers).values(chunk))
		await insertChunked('question_tags', questionTagRows, (chunk) => tx.insert(questionTags).values(chunk))
		await insertChunked('me_toos', meTooRows, (chunk) => tx.insert(meToos).values(chunk))
		await insertChunked('faq_categories', categoryRows, (chunk) => tx.insert(faqCategories).values(chunk))
		await insertChunked('faqs', faqRows, (chunk) => tx.insert(faqs).values(chunk))
		await insertChunked('faq_revisions', revisionRows, (chunk) => tx.insert(faqRevisions).values(chunk))
		if (synonyms) await tx.insert(searchVocabulary).values({ id: 1, synonyms: benchSynonyms, stopWords: [] }).onConflictDoUpdate({ target: searchVocabulary.id, set: { synonyms: benchSynonyms } })
		// Explicit ids were inserted: move the sequences past them so later inserts work.
		for (const table of ['tags', 'questions', 'answers', 'faq_categories', 'faqs', 'faq_revisions']) {
			await tx.execute(sql.raw(`select setval(pg_get_serial_sequence('${table}', 'id'), coalesce((select max(id) from ${table}), 0) + 1, false)`))
		}
	})
	await db.execute(sql`analyze`)
	const insertSeconds = (performance.now() - started) / 1000
	console.log(`inserted in ${insertSeconds.toFixed(1)} s`)
	return {
		questions: questionRows.length,
		answers: answerRows.length,
		acceptedAnswers: accepted,
		faqs: faqRows.length,
		japaneseShare: (syntheticQuestions.filter((q) => q.language === 'ja').length + syntheticFaqs.filter((f) => f.language === 'ja').length) / (questionRows.length + faqRows.length || 1),
		generateSeconds,
		insertSeconds,
	}
}

export type Measured = { sequential: Latency; concurrent: (Latency & { concurrency: number; requestsPerSecond: number }) | null }
/** engineTime: Meilisearch's own processingTimeMs for the one-at-a-time searches; the rest of the client-measured time is HTTP and waiting. */
export type Diagnostics = { engine: (Measured & { engineTime: Latency }) | null; searchContent: Measured | null; notes: string[] }

/**
 * One pass, one at a time, over up to `sequentialCount` queries; then, unless
 * `concurrency` is 0, that many in flight for `seconds`, continuing with the queries
 * after them (the application keeps recent results: queries already asked would
 * measure its cache).
 */
async function measure<R>(run: (q: string) => Promise<R>, queries: string[], sequentialCount: number, concurrency: number, seconds: number, onSequential?: (result: R) => void): Promise<Measured> {
	const sequential: number[] = []
	for (const q of queries.slice(0, sequentialCount)) {
		const t = performance.now()
		const result = await run(q)
		sequential.push(performance.now() - t)
		onSequential?.(result)
	}
	if (concurrency === 0) return { sequential: percentiles(sequential), concurrent: null }
	const concurrent: number[] = []
	let next = 0
	const deadline = performance.now() + seconds * 1000
	const started = performance.now()
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (performance.now() < deadline) {
				const q = queries[(sequentialCount + next++) % queries.length]!
				const t = performance.now()
				await run(q)
				concurrent.push(performance.now() - t)
			}
		}),
	)
	const elapsed = (performance.now() - started) / 1000
	return { sequential: percentiles(sequential), concurrent: { ...percentiles(concurrent), concurrency, requestsPerSecond: concurrent.length / elapsed } }
}

/**
 * Diagnostics (the first 100 queries one at a time), to split a slow API into its
 * layers: Meilisearch alone (one plain search per query, limit 10 with facets,
 * highlighting and cropping, i.e. the work any result page needs; with 20 clients it
 * is measured by bench.ts beside the server's never-seen searches, in the same
 * conditions), and the application's searchContent() in this process, also with 20
 * in flight (query building, synonyms, re-ranking; no HTTP, no search log insert).
 */
async function diagnostics(queries: string[]): Promise<Diagnostics> {
	const notes: string[] = []
	const index = searchClient().index(indexName(CONTENT_INDEX))
	const engineTimes: number[] = []
	const engine = await measure(
		(q) =>
			index.search(q, plainSearch(q)),
		queries,
		100,
		0,
		0,
		(result) => engineTimes.push(result.processingTimeMs),
	)
		.then((measured) => ({ ...measured, engineTime: percentiles(engineTimes) }))
		.catch((error: Error) => {
			notes.push(`Meilisearch-alone diagnostic failed: ${error.message}`)
			return null
		})
	// Loaded here so that seeding does not depend on the query module's exports, which change.
	const searchContent = await import('#search/query.server').then((m) => m.searchContent).catch(() => undefined)
	let app: Measured | null = null
	if (typeof searchContent !== 'function') notes.push('searchContent() diagnostic skipped: search/query.server.ts does not export it')
	else {
		app = await measure((q) => searchContent({ q, limit: 10 }, { userId: null, visitorId: null, record: false }), queries, 100, 20, 8).catch((error: Error) => {
			notes.push(`searchContent() diagnostic failed: ${error.message}`)
			return null
		})
	}
	return { engine, searchContent: app, notes }
}

async function main() {
	if (!process.env.KIZUNA_DATA_DIR) throw new Error('Set KIZUNA_DATA_DIR to the throwaway instance to seed')
	// Seeding a real community's database would wreck it: a DATABASE_URL must be the one bench.ts started for this run.
	if (process.env.DATABASE_URL && process.env.DATABASE_URL !== process.env.BENCH_THROWAWAY_DATABASE_URL) {
		throw new Error('bench-seed only seeds a throwaway instance: unset DATABASE_URL (bench.ts passes its own throwaway PostgreSQL)')
	}
	if (process.env.MEILI_URL) throw new Error('bench-seed only seeds a throwaway instance with embedded Meilisearch: unset MEILI_URL')
	const questionCount = envNumber('BENCH_QUESTIONS', 50_000)
	const faqCount = envNumber('BENCH_FAQS', 2_000)
	const synonyms = (process.env.BENCH_SYNONYMS ?? 'on') !== 'off'
	// The first BENCH_QUERIES are the ones bench.ts measures over HTTP; the diagnostics also use the next ones.
	const queries = generateQueries(envNumber('BENCH_QUERIES', 300) + 1000).map((q) => q.q)

	const runtime = await startRuntime(loadConfig())
	// Stopped by bench.ts (or Ctrl-C): stop the embedded Meilisearch and close the database before exiting.
	const interrupted = () => void runtime.stop().finally(() => process.exit(130))
	process.once('SIGINT', interrupted)
	process.once('SIGTERM', interrupted)
	try {
		const seeded = await seed(questionCount, faqCount, synonyms)

		console.log('building the search index (reindexAll)…')
		const started = performance.now()
		const reindexCounts = await reindexAll()
		const indexSeconds = (performance.now() - started) / 1000
		console.log(`indexed in ${indexSeconds.toFixed(1)} s: ${JSON.stringify(reindexCounts)}`)
		// Rows were inserted in SQL, past enqueueIndexTask: build the search fallback's now, not in the server's background while it is measured.
		const fallbackStarted = performance.now()
		console.log(`search fallback: ${await rebuildFallback()} rows in ${((performance.now() - fallbackStarted) / 1000).toFixed(1)} s`)
		const stats = await searchClient().index(indexName(CONTENT_INDEX)).getStats()

		// Nothing was queued (no enqueueIndexTask above), but make sure the server's
		// worker starts with an empty queue whatever happens upstream.
		await discardJobs('search-index')
		const pending = { count: (await listJobs('search-index')).length }

		let diagnosed: Diagnostics | null = null
		if ((process.env.BENCH_INPROCESS ?? 'on') !== 'off' && queries.length > 0) {
			console.log('in-process search latency (diagnostic)…')
			diagnosed = await diagnostics(queries)
			for (const note of diagnosed.notes) console.warn(note)
		}

		const [version] = await db.execute<{ server_version: string }>(sql`show server_version`)
		const result: SeedResult = {
			...seeded,
			databaseVersion: version?.server_version ?? 'unknown',
			indexSeconds,
			indexedDocuments: stats.numberOfDocuments,
			reindexCounts,
			pendingIndexTasks: pending?.count ?? 0,
			synonymGroups: synonyms ? benchSynonyms.length : 0,
			diagnostics: diagnosed,
		}
		const out = process.env.BENCH_SEED_RESULT
		if (out) fs.writeFileSync(out, JSON.stringify(result, null, 2))
		else console.log(JSON.stringify(result, null, 2))
	} finally {
		await runtime.stop()
	}
}

// Run as a script (bench.ts spawns it); bench-fallback.ts imports `seed` only.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main().then(
	() => process.exit(0),
	(error) => {
		console.error(error instanceof Error ? (error.stack ?? error.message) : error)
		process.exit(1)
	},
)
