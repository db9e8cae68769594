import { eq } from 'drizzle-orm'
import type { AppLoadContext } from '@remix-run/node'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAnswer, updateAnswer } from '../../app/community/questions.server'
import type { Actor } from '../../app/auth/permissions.server'
import { importContent } from '../../app/knowledge/import.server'
import { faqSchema, tutorialSchema } from '../../app/knowledge/validation'
import { parseForm } from '../../app/utils/form'
import { backfillRenderedMarkdown } from '../../app/jobs/rendered-markdown.server'
import { loader as questionApi } from '../../app/routes/api.v1.questions.$id'
import { action as answerApi } from '../../app/routes/api.v1.questions.$id_.answers'
import { action as editAnswer } from '../../app/routes/answers.$id.edit'
import { action as threadAction, loader as threadLoader } from '../../app/routes/questions.$id.($slug)'
import { action as preview } from '../../app/routes/resources.markdown-preview'
import { db } from '../../db/client.server'
import { answers, questions } from '../../db/schema'
import { indexName, searchClient } from '../../search/client.server'
import { documentsOf } from '../../search/documents.server'
import { CONTENT_INDEX } from '../../search/settings'
import { enqueueIndexTask } from '../../search/sync.server'
import { discardJobs, listJobs } from '../../db/queue.server'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { person, question as newQuestion } from '../support/factories'
import { resetData } from '../support/reset'

// The suite runs with limits no test reaches; the preview's own default is under test here.
vi.hoisted(() => {
	process.env.KIZUNA_RATE_LIMITS = `${process.env.KIZUNA_RATE_LIMITS ?? ''},preview=60/1m`
})

const DEPTH_MESSAGE = 'Quotes and lists can be nested at most 20 levels deep'
const tooDeep = '>'.repeat(3000) + ' hello'

const context = (actor: Actor | null) =>
	({ actor, authVia: actor ? 'session' : null, visitorId: 'visitor-1', locale: 'en', secure: false, clientIp: '127.0.0.1' }) as AppLoadContext

const form = (url: string, fields: Record<string, string>) =>
	new Request(`http://localhost${url}`, { method: 'POST', body: new URLSearchParams(fields) })

async function askedQuestion() {
	const asker = await person()
	return { asker, question: await newQuestion(asker, { title: 'How do I export a board?', body: 'I need the **whole** board as CSV.', tags: 'csv' }) }
}

const answerCount = async (questionId: number) => (await db.select().from(answers).where(eq(answers.questionId, questionId))).length

describe('Markdown limits on save', () => {
	beforeEach(resetData)

	it('refuses a too deeply nested answer on the form and in the API, and saves nothing', async () => {
		const { question } = await askedQuestion()
		const answerer = await person()
		const page = (await threadAction({ request: form(question.url, { intent: 'answer', body: tooDeep }), params: { id: String(question.id) }, context: context(answerer) })) as Response
		expect(page.status).toBe(400)
		expect((await page.json()).result.error.body).toEqual([DEPTH_MESSAGE])

		const api = await answerApi({
			request: new Request(`http://localhost/api/v1/questions/${question.id}/answers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body: tooDeep }) }),
			params: { id: String(question.id) },
			context: context(answerer),
		})
		expect(api.status).toBe(400)
		expect(await api.json()).toEqual({ error: `body: ${DEPTH_MESSAGE}` })
		expect(await answerCount(question.id)).toBe(0)
	})

	it('refuses an edit beyond the limits and keeps the answer as it was', async () => {
		const { question } = await askedQuestion()
		const answerer = await person()
		const answer = await createAnswer(answerer, question.id, 'Use the **export** menu.')
		const response = (await editAnswer({ request: form(`/answers/${answer.id}/edit`, { body: '*a'.repeat(15_000) }), params: { id: String(answer.id) }, context: context(answerer) })) as Response
		expect(response.status).toBe(400)
		expect((await response.json()).result.error.body).toEqual(['A paragraph can use *, _ and ~ at most 200 times'])
		const [row] = await db.select().from(answers).where(eq(answers.id, answer.id))
		expect(row!.body).toBe('Use the **export** menu.')
	})

	it('applies the same limits to FAQs, tutorial steps and the JSON import', async () => {
		const faq = faqSchema.safeParse({ title: 'Deep quotes', body: tooDeep, language: 'en' })
		expect(faq.success ? null : faq.error.issues[0]!.message).toBe(DEPTH_MESSAGE)
		const form = new FormData()
		for (const [name, value] of Object.entries({ title: 'Setup', summary: 'Set up', estimatedMinutes: '5', phase: 'onboarding', language: 'en', 'steps[0].title': 'One', 'steps[0].body': tooDeep })) form.append(name, value)
		const parsed = parseForm(form, tutorialSchema)
		expect(parsed.status === 'error' ? parsed.error : null).toEqual({ 'steps[0].body': [DEPTH_MESSAGE] })
		const report = await importContent({ questions: [{ title: 'Imported deep question', body: tooDeep }], faqs: [{ title: 'Fine FAQ', body: 'All **good**.' }] })
		expect(report.errors).toEqual([{ section: 'questions', index: 0, reason: `body: ${DEPTH_MESSAGE}` }])
		expect(report.faqs.created).toBe(1)
		expect(await db.select().from(questions)).toEqual([])
	})

	it('stores the HTML when a post is saved and replaces it when the post is edited', async () => {
		const { question } = await askedQuestion()
		const [stored] = await db.select().from(questions).where(eq(questions.id, question.id))
		expect(stored!.bodyHtml).toContain('<strong>whole</strong>')
		const answerer = await person()
		const answer = await createAnswer(answerer, question.id, 'Use the **export** menu.')
		await updateAnswer(answerer, answer.id, 'Use the _share_ menu.')
		const [row] = await db.select().from(answers).where(eq(answers.id, answer.id))
		expect(row!.bodyHtml).toContain('<em>share</em>')
		expect(row!.bodyHtml).not.toContain('export')
	})
})

describe('stored posts beyond the limits', () => {
	beforeEach(resetData)
	const original = documentsOf.question
	afterEach(() => {
		documentsOf.question = original
	})

	async function poisonedThread() {
		const { asker, question } = await askedQuestion()
		// Written before the limits existed: no stored HTML, and marked would overflow its stack.
		await db.update(questions).set({ body: tooDeep, bodyHtml: null }).where(eq(questions.id, question.id))
		const [answer] = await db.insert(answers).values({ questionId: question.id, authorId: asker.id, body: '- '.repeat(1500) + 'deep' }).returning()
		return { question, answer: answer! }
	}

	it('still shows the thread page and the API, as text', async () => {
		const { question, answer } = await poisonedThread()
		const data = await threadLoader({ request: new Request(`http://localhost${question.url}`), params: { id: String(question.id), slug: question.url.split('/')[3] }, context: context(null) })
		expect(data.question.bodyHtml).toContain('hello')
		const response = await questionApi({ request: new Request(`http://localhost/api/v1/questions/${question.id}`), params: { id: String(question.id) }, context: context(null) })
		expect(response.status).toBe(200)
		const body = await response.json()
		expect(body.answers[0].id).toBe(answer.id)
		expect(body.answers[0].bodyHtml).toMatch(/^<p>- - - /)
	})

	it('indexes it like any other post', async () => {
		const { question } = await poisonedThread()
		await discardJobs('search-index')
		await discardJobs('notify')
		await enqueueIndexTask(db, 'question', question.id)
		expect(await runPendingJobs()).toEqual({ completed: 1, failed: [] })
		const document = await searchClient().index(indexName(CONTENT_INDEX)).getDocument(`question-${question.id}`)
		expect(document.body).toContain('hello')
	})

	it('backfills the HTML of rows saved without it', async () => {
		const { question, answer } = await poisonedThread()
		expect(await backfillRenderedMarkdown()).toBeGreaterThanOrEqual(2)
		const [q] = await db.select().from(questions).where(eq(questions.id, question.id))
		const [a] = await db.select().from(answers).where(eq(answers.id, answer.id))
		expect(q!.bodyHtml).toContain('hello')
		expect(a!.bodyHtml).toContain('deep')
		expect(await backfillRenderedMarkdown()).toBe(0)
	})

	it('fails for good the job of a document that cannot be built, with its reason, and indexes the others', async () => {
		const { question: broken } = await askedQuestion()
		const { question: fine } = await askedQuestion()
		await discardJobs('search-index')
		await discardJobs('notify')
		await enqueueIndexTask(db, 'question', broken.id)
		await enqueueIndexTask(db, 'question', fine.id)
		documentsOf.question = async (ids) => {
			if (ids.includes(broken.id)) throw new TypeError('cannot read the body')
			return original(ids)
		}
		const first = await runPendingJobs()
		expect(first.completed).toBe(1)
		expect(first.failed).toEqual([{ queue: 'search-index', data: { type: 'question', id: broken.id }, reason: 'Could not build the search document: cannot read the body', final: true }])
		// Not retried: nothing is left for the next run, and the job keeps its reason.
		expect(await runPendingJobs()).toEqual({ completed: 0, failed: [] })
		const failed = (await listJobs('search-index')).filter((job) => job.state === 'failed')
		expect(failed).toEqual([expect.objectContaining({ data: { type: 'question', id: broken.id }, output: { message: expect.stringContaining('cannot read the body') } })])
		const document = await searchClient().index(indexName(CONTENT_INDEX)).getDocument(`question-${fine.id}`)
		expect(document.title).toBe('How do I export a board?')
	})
})

describe('Markdown preview', () => {
	beforeEach(resetData)

	const ask = (actor: Actor | null, markdown: string) => preview({ request: form('/resources/markdown-preview', { markdown }), params: {}, context: context(actor) })

	it('needs sign-in', async () => {
		const response = await ask(null, '**hi**')
		expect(response.status).toBe(401)
		expect(await response.json()).toEqual({ error: 'Sign in to see a preview' })
	})

	it('renders for a signed-in person, refuses what saving refuses, and is rate limited', async () => {
		const writer = await person()
		const ok = await ask(writer, '**hi**')
		expect(ok.status).toBe(200)
		expect((await ok.json()).html).toContain('<strong>hi</strong>')
		const deep = await ask(writer, tooDeep)
		expect(deep.status).toBe(400)
		expect(await deep.json()).toEqual({ error: DEPTH_MESSAGE })
		for (let i = 2; i < 60; i++) expect((await ask(writer, `line ${i}`)).status).toBe(200)
		const limited = await ask(writer, 'one more')
		expect(limited.status).toBe(429)
		// Someone else is not held back by it.
		expect((await ask(await person(), 'mine')).status).toBe(200)
	})
})
