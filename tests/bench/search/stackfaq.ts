/**
 * `npm run eval:search`: search relevance on the StackFAQ data set
 * (../shared/eval/stackfaq/, see its README), through the public HTTP API only.
 *
 * cold: import the threads into an empty instance and run every query.
 * warm: replay half of each thread's queries as resolved searches (search, then
 *       "this solved my problem" on the right thread with that searchId) by three
 *       signed-in people, as it takes that many to teach search, then measure the
 *       other half.
 * It also reports Meilisearch with default settings on the same documents.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Meilisearch } from 'meilisearch'
import { startEmbeddedMeilisearch } from '#search/embedded.server'
import { buildForMeasurement, createInstance } from './instance'

const dataDir = process.env.STACKFAQ_DIR ?? path.resolve('../shared/eval/stackfaq')
type Thread = { id: string; title: string; answers: string[] }
type Query = { query: string; relevant: string }
const corpus: Thread[] = JSON.parse(fs.readFileSync(path.join(dataDir, 'corpus.json'), 'utf8')).corpus
const queries: Query[] = JSON.parse(fs.readFileSync(path.join(dataDir, process.env.STACKFAQ_QUERIES ?? 'dev-queries.json'), 'utf8')).queries

type Metrics = { hit1: number; hit5: number; mrr10: number; n: number }

function score(ranks: Array<number | null>): Metrics {
	const n = ranks.length
	const hit = (k: number) => ranks.filter((r) => r !== null && r <= k).length / n
	const mrr = ranks.reduce<number>((sum, r) => sum + (r !== null && r <= 10 ? 1 / r : 0), 0) / n
	return { hit1: hit(1), hit5: hit(5), mrr10: mrr, n }
}

const format = (name: string, m: Metrics) =>
	`${name.padEnd(34)} hit@1 ${m.hit1.toFixed(3)}  hit@5 ${m.hit5.toFixed(3)}  MRR@10 ${m.mrr10.toFixed(3)}  (${m.n} queries)`

/** Splits the dev queries by their position within each thread: even positions are learned, odd ones measured. */
function split(all: Query[]) {
	const seen = new Map<string, number>()
	const learn: Query[] = []
	const measure: Query[] = []
	for (const q of all) {
		const position = seen.get(q.relevant) ?? 0
		seen.set(q.relevant, position + 1)
		;(position % 2 === 0 ? learn : measure).push(q)
	}
	return { learn, measure }
}

async function kizunaRanks(baseUrl: string, list: Query[]) {
	const ranks: Array<number | null> = []
	for (const q of list) {
		const response = await fetch(`${baseUrl}/api/v1/search?limit=10&q=${encodeURIComponent(q.query)}`)
		const body = (await response.json()) as { hits: Array<{ externalId: string | null }> }
		const index = body.hits.findIndex((hit) => hit.externalId === q.relevant)
		ranks.push(index >= 0 ? index + 1 : null)
	}
	return ranks
}

async function questionIds(baseUrl: string) {
	const ids = new Map<string, number>()
	for (let id = 1, misses = 0; misses < 5; id++) {
		const response = await fetch(`${baseUrl}/api/v1/questions/${id}`)
		if (!response.ok) {
			misses++
			continue
		}
		const question = (await response.json()) as { externalId: string | null }
		if (question.externalId) ids.set(question.externalId, id)
	}
	return ids
}

/** Resolved searches: each of these people (API tokens) searches, then says the right thread solved it. */
async function learn(baseUrl: string, list: Query[], ids: Map<string, number>, tokens: string[]) {
	for (const q of list) {
		for (const token of tokens) {
			const headers = { Authorization: `Bearer ${token}` }
			const response = await fetch(`${baseUrl}/api/v1/search?limit=10&q=${encodeURIComponent(q.query)}`, { headers })
			const { searchId } = (await response.json()) as { searchId: string }
			const feedback = await fetch(`${baseUrl}/api/v1/feedback`, {
				method: 'POST',
				headers: { ...headers, 'Content-Type': 'application/json' },
				body: JSON.stringify({ targetType: 'question', targetId: ids.get(q.relevant), helpful: true, searchId }),
			})
			if (feedback.status !== 201) throw new Error(`feedback refused: ${feedback.status} ${await feedback.text()}`)
		}
	}
}

async function defaultMeilisearch(list: Query[]) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-meili-default-'))
	const meili = await startEmbeddedMeilisearch(dir)
	try {
		const client = new Meilisearch({ host: meili.url, apiKey: meili.masterKey })
		await client.createIndex('threads', { primaryKey: 'id' }).waitTask()
		await client.index('threads').addDocuments(corpus.map((t) => ({ id: t.id, title: t.title, answers: t.answers }))).waitTask()
		const ranks: Array<number | null> = []
		for (const q of list) {
			const result = await client.index('threads').search(q.query, { limit: 10 })
			const index = result.hits.findIndex((hit) => hit.id === q.relevant)
			ranks.push(index >= 0 ? index + 1 : null)
		}
		return ranks
	} finally {
		await meili.stop()
		fs.rmSync(dir, { recursive: true, force: true })
	}
}

async function main() {
	buildForMeasurement()
	const instance = createInstance('eval')
	const importFile = path.join(instance.dataDir, 'stackfaq-import.json')
	fs.writeFileSync(
		importFile,
		JSON.stringify({
			questions: corpus.map((t) => ({ externalId: t.id, title: t.title, body: t.title, answers: t.answers.map((body) => ({ body })) })),
		}),
	)
	const started = performance.now()
	console.log(instance.cli('import', importFile).trim())
	console.log(`import: ${((performance.now() - started) / 1000).toFixed(1)} s`)
	const tokens = [1, 2, 3].map((n) => {
		const email = `eval-${n}@example.test`
		instance.cli('user:create', '--email', email, '--password', 'correct horse battery', '--role', 'member')
		return instance.cli('token:create', '--email', email).trim().split('\n').pop()!.trim()
	})
	try {
		await instance.start()
		const { learn: learnSet, measure } = split(queries)
		const cold = await kizunaRanks(instance.baseUrl, queries)
		const coldMeasure = await kizunaRanks(instance.baseUrl, measure)
		const ids = await questionIds(instance.baseUrl)
		await learn(instance.baseUrl, learnSet, ids, tokens)
		// Learned phrasings reach the index through the background worker.
		await new Promise((r) => setTimeout(r, Number(process.env.EVAL_SETTLE_MS ?? 3000)))
		const warm = await kizunaRanks(instance.baseUrl, measure)
		const baseline = await defaultMeilisearch(queries)
		console.log('')
		console.log(format('Meilisearch, default settings', score(baseline)))
		console.log(format('Kizuna cold (all queries)', score(cold)))
		console.log(format('Kizuna cold (measured half)', score(coldMeasure)))
		console.log(format(`Kizuna warm (measured half)`, score(warm)))
		console.log(`learned from ${learnSet.length} queries, each resolved by ${tokens.length} people`)
	} finally {
		await instance.stop()
	}
}

await main()
