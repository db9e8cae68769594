import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { count, eq, inArray, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { Webhook } from 'standardwebhooks'
import { digest, newApiToken } from '../../app/auth/api-tokens.server'
import { hashPassword } from '../../app/auth/password.server'
import { standardWebhookSecret } from '../../app/webhooks/signing.server'
import * as schema from '../../db/schema'
import { cloneDatabase } from '../support/databases'
import { startServer, type ServerProcess } from '../support/server-process'
import { startSmtpServer } from '../support/smtp-server'
import { startWebhookReceiver } from '../support/webhook-receiver'

/**
 * A fleet: two web processes (KIZUNA_ROLE=web) and two workers (KIZUNA_ROLE=worker),
 * real processes of app/server/main.ts on one PostgreSQL (a clone of the template) and
 * one Meilisearch (an index prefix of its own), mailing through an SMTP server and
 * delivering webhooks to a receiver in this process. For WRITE_MS, writers ask through
 * the API of one web process, answer through the other's, edit and accept through the
 * forms (signed-in sessions) of either, while one worker is killed with SIGKILL and
 * started again, and the other is stopped with SIGTERM. Then, once the queue is
 * drained: every question is in the index as last edited and found by its newest
 * word, every webhook delivery and mail went out once, and the insight events are the
 * writes.
 *
 * Exactly once, and what this test can prove: a worker counts an attempt (webhook
 * delivery or mail) in a commit of its own before the request goes out, and marks it
 * done right after the answer. A worker killed between the two leaves an attempt
 * counted with no answer; another worker sends it again with the same webhook-id or
 * Message-ID, which the receiver may have had already (Standard Webhooks receivers drop
 * repeated ids). The receivers here always accept, so an attempt that was not
 * interrupted is received exactly once: a delivery or mail counted once in the database
 * must have arrived exactly once, and one counted n times (only an interrupted attempt
 * adds one) at least once and at most n times. Whether the kill lands inside a send
 * is chance; the assertions hold either way.
 *
 * Its own database and index prefix, and a database handle of its own (not the app's
 * singleton, which the `kizuna` fixture of other specs in this Playwright worker uses).
 */
const WRITE_MS = 60_000
const KILL_AT_MS = 15_000
const TERM_AT_MS = 40_000
const DRAIN_MS = 60_000
/**
 * Each writer's pace (ask, answer, search, edit, accept): about 80 questions in all. The fleet shares two cores
 * with the other Playwright worker and its browser, and every question is checked afterwards.
 */
const ITERATION_MS = 1500
/** Searches checked at once afterwards. */
const CHECKS_AT_ONCE = 6
const SECRET = 'fleet-webhook-secret-of-32-characters'
const PASSWORD = 'fleet-password-1'

type Env = Record<string, string | undefined>

/** Runs the tasks CHECKS_AT_ONCE at a time; the results in the tasks' order. */
async function inParallel<T>(tasks: Array<() => Promise<T>>): Promise<T[]> {
	const results: T[] = new Array(tasks.length)
	let next = 0
	const lane = async () => {
		for (let i = next++; i < tasks.length; i = next++) results[i] = await tasks[i]!()
	}
	await Promise.all(Array.from({ length: CHECKS_AT_ONCE }, lane))
	return results
}

test('two web processes and two workers on one PostgreSQL and Meilisearch lose, repeat and strand nothing while a worker is killed', async () => {
	test.setTimeout(240_000)
	const templateUrl = process.env.KIZUNA_TEST_TEMPLATE_URL
	if (!templateUrl) throw new Error('KIZUNA_TEST_TEMPLATE_URL is not set: run with `npm test -- --only=e2e`')
	const databaseUrl = await cloneDatabase(templateUrl, 'kizuna_fleet')
	const client = postgres(databaseUrl, { max: 3, onnotice: () => {} })
	const db = drizzle(client, { schema })
	const smtp = await startSmtpServer()
	// Answering a little later, as a real receiver does, leaves the kill more chances to land inside a send.
	const receiver = await startWebhookReceiver([200], '/hooks/kizuna', { answerAfterMs: 50 })
	const dataDirs: string[] = []
	const processes: ServerProcess[] = []
	try {
		// ------------------------------------------------------------ people, tokens, webhook
		// Staff are never held for review nor limited per hour, so every write is visible at once and counts.
		const people = await Promise.all(
			['asker-a', 'asker-b', 'answerer'].map(async (name) => {
				const id = crypto.randomUUID()
				const email = `${name}@fleet.example.test`
				await db.insert(schema.users).values({ id, email, displayName: `Fleet ${name}`, handle: name.replace('-', ''), role: 'cs', passwordHash: await hashPassword(PASSWORD), emailVerifiedAt: new Date() })
				const token = newApiToken()
				await db.insert(schema.apiTokens).values({ userId: id, tokenHash: digest(token) })
				return { id, email, token, cookie: '' }
			}),
		)
		const [askerA, askerB, answerer] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]]
		const [webhook] = await db.insert(schema.webhooks).values({ url: receiver.url, secret: SECRET, events: ['question.created', 'question.answered', 'question.solved'] }).returning()

		// ------------------------------------------------------------ the fleet
		const common: Env = {
			DATABASE_URL: databaseUrl,
			MEILI_URL: process.env.MEILI_URL,
			MEILI_MASTER_KEY: process.env.MEILI_MASTER_KEY,
			MEILI_INDEX_PREFIX: 'fleet_',
			KIZUNA_DEMO_CONTENT: 'off',
			KIZUNA_BUILD_DIR: process.env.KIZUNA_BUILD_DIR,
			KIZUNA_RATE_LIMITS: process.env.KIZUNA_RATE_LIMITS,
			KIZUNA_ALLOW_PRIVATE_URLS: 'true',
			SMTP_URL: smtp.url(),
			MAIL_FROM: 'Kizuna Fleet <fleet@example.test>',
			KIZUNA_PUBLIC_URL: 'http://fleet.example.test',
		}
		const start = async (role: 'web' | 'worker') => {
			const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kizuna-fleet-${role}-`))
			dataDirs.push(dataDir)
			const server = await startServer({ ...common, KIZUNA_ROLE: role, KIZUNA_DATA_DIR: dataDir }, { timeoutMs: 120_000, quiet: true })
			processes.push(server)
			return server
		}
		// Two workers starting together also run their startup work together.
		const startedAt = Date.now()
		const [webA, webB, worker1, worker2] = await Promise.all([start('web'), start('web'), start('worker'), start('worker')])
		const timings = { start: Date.now() - startedAt, drain: 0, checks: 0 }
		const webs = [webA!, webB!]

		for (const person of people) {
			const response = await fetch(`${webs[0]!.url}/signin`, {
				method: 'POST',
				redirect: 'manual',
				headers: { Origin: webs[0]!.url, 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ email: person.email, password: PASSWORD }),
			})
			expect(response.status, await response.text()).toBe(302)
			person.cookie = /kz_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0]
		}

		// ------------------------------------------------------------ writes, a kill, a stop
		const api = async (web: ServerProcess, token: string, route: string, body: object) => {
			const response = await fetch(`${web.url}${route}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
			expect(response.status, `${route}: ${await response.clone().text()}`).toBe(201)
			return (await response.json()) as { id: number }
		}
		// A form posted as a browser without JavaScript does (a session on one process is good on all).
		const form = async (web: ServerProcess, cookie: string, route: string, fields: Record<string, string>) => {
			const response = await fetch(`${web.url}${route}`, {
				method: 'POST',
				redirect: 'manual',
				headers: { Cookie: cookie, Origin: web.url, 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams(fields),
			})
			expect(response.status, `${route}: ${response.status}`).toBeLessThan(400)
			await response.body?.cancel()
		}

		type Asked = { id: number; title: string; body: string; word: string; oldWord: string }
		const asked: Asked[] = []
		const writes = { questions: 0, answers: 0, acceptances: 0, edits: 0 }
		// A word no other question has, and too unlike any other for typo tolerance to confuse them: the newest
		// version of a question must be found by its word, and the version before by its old word no more.
		const newWord = () => `fleet${Array.from(crypto.randomBytes(10), (byte) => String.fromCharCode(97 + (byte % 26))).join('')}`
		const searchIds = async (web: ServerProcess, word: string) => {
			const response = await fetch(`${web.url}/api/v1/search?q=${word}`)
			expect(response.status).toBe(200)
			return ((await response.json()) as { hits: Array<{ url: string }> }).hits.map((hit) => Number(hit.url.split('/')[2]))
		}

		const writer = async (asker: typeof askerA, first: number) => {
			for (let n = first; Date.now() < writeEnd; n += 2) {
				const paced = Date.now() + ITERATION_MS
				const [here, there] = [webs[n % 2]!, webs[(n + 1) % 2]!]
				const word = newWord()
				const question: Asked = { id: 0, title: `Fleet question ${n} about ${word}`, body: `Details of question ${n}: the export stops with ${word}.`, word, oldWord: word }
				question.id = (await api(here, asker.token, '/api/v1/questions', { title: question.title, body: question.body, tags: ['fleet'] })).id
				asked.push(question)
				writes.questions++
				const answer = await api(there, answerer.token, `/api/v1/questions/${question.id}/answers`, { body: `Answer to ${n}: turn the export off and on again.` })
				writes.answers++
				// The other process may now keep this search's results in its cache: the edit must reach it anyway.
				await searchIds(there, word)
				question.word = newWord()
				question.title = `Fleet question ${n} edited about ${question.word}`
				question.body = `Edited details of question ${n}: the export now stops with ${question.word}.`
				await form(there, asker.cookie, `/questions/${question.id}/edit`, { title: question.title, body: question.body, tags: 'fleet' })
				writes.edits++
				await form(here, asker.cookie, `/questions/${question.id}`, { intent: 'accept', answerId: String(answer.id) })
				writes.acceptances++
				await new Promise((resolve) => setTimeout(resolve, Math.max(0, paced - Date.now())))
			}
		}

		const runStarted = Date.now()
		const writeEnd = runStarted + WRITE_MS
		const at = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, runStarted + ms - Date.now())))
		const lifecycle = async () => {
			await at(KILL_AT_MS)
			const killed = new Promise((resolve) => worker1!.process.once('exit', resolve))
			worker1!.process.kill('SIGKILL')
			await killed
			const restarted = await start('worker')
			await at(TERM_AT_MS)
			// Stopped as an orchestrator stops it: it finishes what it claimed, lets go of its lock and exits 0.
			const stopped = new Promise<number | null>((resolve) => worker2!.process.once('exit', (code) => resolve(code)))
			worker2!.process.kill('SIGTERM')
			expect(await stopped).toBe(0)
			return restarted
		}
		const [restarted] = await Promise.all([lifecycle(), writer(askerA, 0), writer(askerB, 1)])
		const writing = { from: runStarted, to: Date.now() }

		// ------------------------------------------------------------ drained
		const open = async () => {
			const [row] = (await db.execute(sql`select count(*)::int as n from pgboss.job where name in ('search-index', 'notify', 'mail', 'webhook-delivery') and state < 'completed'`)) as unknown as Array<{ n: number }>
			return row!.n
		}
		const drainDeadline = Date.now() + DRAIN_MS
		while ((await open()) > 0 && Date.now() < drainDeadline) await new Promise((resolve) => setTimeout(resolve, 250))
		expect(await open(), 'jobs still waiting or running after the drain deadline').toBe(0)
		timings.drain = Date.now() - writing.to
		const checksStarted = Date.now()

		// ------------------------------------------------------------ search: the newest version of every question
		expect(writes.questions).toBeGreaterThan(10)
		const index = `${process.env.MEILI_URL}/indexes/fleet_content`
		const meili = { Authorization: `Bearer ${process.env.MEILI_MASTER_KEY ?? ''}` }
		for (const question of asked) {
			const document = (await (await fetch(`${index}/documents/question-${question.id}`, { headers: meili })).json()) as { title?: string; body?: string }
			expect({ id: question.id, title: document.title, body: document.body }).toEqual({ id: question.id, title: question.title, body: expect.stringContaining(question.word) })
		}
		// And found through Kizuna by the word only its newest version has, on either web process.
		const found = await inParallel(asked.map((question, i) => async () => ({ word: question.word, found: (await searchIds(webs[i % 2]!, question.word)).includes(question.id) })))
		expect(found.filter((search) => !search.found).map((search) => search.word)).toEqual([])
		// No process answers from a cached result of the version before: each sees the index change (another
		// process's write, indexed by a worker) once it next checks Meilisearch's latest task, at most once a second.
		// Searches still answered from the cache are asked again until the deadline.
		let stale = asked.flatMap((question) => webs.map((web) => ({ web, question })))
		const staleUntil = Date.now() + 10_000
		do {
			const still = await inParallel(stale.map((search) => async () => ((await searchIds(search.web, search.question.oldWord)).includes(search.question.id) ? [search] : [])))
			stale = still.flat()
		} while (stale.length > 0 && Date.now() < staleUntil)
		expect(stale.map((search) => search.question.oldWord)).toEqual([])

		// ------------------------------------------------------------ webhooks: each delivery once
		const deliveries = await db.select().from(schema.webhookDeliveries).where(eq(schema.webhookDeliveries.webhookId, webhook!.id))
		expect(deliveries.length).toBe(writes.questions + writes.answers + writes.acceptances)
		const verifier = new Webhook(standardWebhookSecret(SECRET))
		const received = new Map<string, number>()
		for (const request of receiver.requests) {
			// Signed the Standard Webhooks way: the library any receiver uses checks it.
			verifier.verify(request.body, request.headers as Record<string, string>)
			const id = String(request.headers['webhook-id'])
			received.set(id, (received.get(id) ?? 0) + 1)
		}
		for (const delivery of deliveries) {
			const id = `msg_kizuna_${delivery.id}`
			expect({ id, status: delivery.status }).toEqual({ id, status: 'delivered' })
			const times = received.get(id) ?? 0
			if (delivery.attempts === 1) expect({ id, times }).toEqual({ id, times: 1 })
			else expect({ id, attempts: delivery.attempts, between: times >= 1 && times <= delivery.attempts }).toEqual({ id, attempts: delivery.attempts, between: true })
		}
		expect([...received.keys()].sort()).toEqual(deliveries.map((delivery) => `msg_kizuna_${delivery.id}`).sort())
		// Only attempts interrupted by the kill are repeated: at most one batch of the killed worker.
		expect(deliveries.filter((delivery) => delivery.attempts > 1).length).toBeLessThanOrEqual(10)

		// ------------------------------------------------------------ mail: each once
		const mails = await db.select().from(schema.mails)
		// Each answer mails its asker, each acceptance its answerer.
		expect(mails.length).toBe(writes.answers + writes.acceptances)
		const byMessageId = new Map<string, number>()
		for (const mail of smtp.received) byMessageId.set(mail.parsed.messageId!, (byMessageId.get(mail.parsed.messageId!) ?? 0) + 1)
		for (const mail of mails) {
			expect({ id: mail.id, status: mail.status }).toEqual({ id: mail.id, status: 'sent' })
			const times = byMessageId.get(mail.messageId!) ?? 0
			if (mail.attempts === 1) expect({ id: mail.id, times }).toEqual({ id: mail.id, times: 1 })
			else expect({ id: mail.id, attempts: mail.attempts, between: times >= 1 && times <= mail.attempts }).toEqual({ id: mail.id, attempts: mail.attempts, between: true })
		}
		expect([...byMessageId.keys()].sort()).toEqual(mails.map((mail) => mail.messageId).sort())
		expect(mails.filter((mail) => mail.attempts > 1).length).toBeLessThanOrEqual(20)

		// ------------------------------------------------------------ insights: the events are the writes
		const events = await db
			.select({ type: schema.events.type, n: count() })
			.from(schema.events)
			.where(inArray(schema.events.type, ['question_posted', 'answer_posted', 'answer_accepted']))
			.groupBy(schema.events.type)
		expect(Object.fromEntries(events.map((row) => [row.type, row.n]))).toEqual({ question_posted: writes.questions, answer_posted: writes.answers, answer_accepted: writes.acceptances })
		// A question's first revision is its posting; each edit adds one.
		const [revisions] = await db.select({ n: count() }).from(schema.revisions).where(eq(schema.revisions.postType, 'question'))
		expect(revisions!.n).toBe(writes.questions + writes.edits)

		timings.checks = Date.now() - checksStarted
		const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
		console.log(
			`fleet: started in ${seconds(timings.start)}; ${writes.questions} questions, ${writes.answers} answers, ${writes.edits} edits, ${writes.acceptances} acceptances in ${seconds(writing.to - writing.from)}; ` +
				`drained ${seconds(timings.drain)} after; ${deliveries.length} webhook deliveries (${deliveries.filter((delivery) => delivery.attempts > 1).length} interrupted and sent again), ` +
				`${mails.length} mails (${mails.filter((mail) => mail.attempts > 1).length} again); checked in ${seconds(timings.checks)}`,
		)

		// ------------------------------------------------------------ the workers
		// The restarted worker took its share, and says so on its own /metrics.
		const metrics = await (await fetch(`${restarted.url}/metrics`)).text()
		expect(metrics).toMatch(/kizuna_jobs_total\{queue="[^"]+",outcome="completed"\} [1-9]/)
		// Journeys are built once a minute however many workers run: at most one job per minute (UTC) since the workers started.
		const ticks = Math.floor(Date.now() / 60_000) - Math.floor(startedAt / 60_000) + 1
		const [journeys] = (await db.execute(sql`select count(*)::int as n from pgboss.job where name = 'insights-journeys' and data = '{}'::jsonb`)) as unknown as Array<{ n: number }>
		expect(journeys!.n).toBeLessThanOrEqual(ticks)
		// Nothing waits for a dead worker's jobs to expire.
		const [active] = (await db.execute(sql`select count(*)::int as n from pgboss.job where state = 'active'`)) as unknown as Array<{ n: number }>
		expect(active!.n).toBe(0)
	} finally {
		await Promise.all(processes.map((server) => server.stop()))
		await client.end({ timeout: 5 })
		await smtp.stop()
		await receiver.close()
		for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true })
	}
})
