import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { db } from '../../db/client.server'
import { answers, faqs, questions, tutorials, tutorialSteps } from '../../db/schema'
import { addMeToo, createQuestion, getQuestionThread, listQuestions, questionRevisions, updateAnswer, updateQuestion } from '../../app/community/questions.server'
import { answerSchema, questionSchema } from '../../app/community/validation'
import { getFaqForEdit, updateFaq } from '../../app/knowledge/faqs.server'
import { importContent, importFromFile } from '../../app/knowledge/import.server'
import { getTutorialForEdit, updateTutorial } from '../../app/knowledge/tutorials.server'
import { faqSchema, tutorialSchema } from '../../app/knowledge/validation'
import { person } from '../support/factories'
import { DomainError } from '../../app/utils/errors.server'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { searchContent } from '../../search/query.server'
import { resetData } from '../support/reset'

const search = (q: string) => searchContent({ q, limit: 10 }, { userId: null, visitorId: 'v', record: false })

const file = () => ({
	questions: [
		{
			externalId: 'q1',
			title: 'How do I change the billing currency?',
			body: 'Our invoices are in USD but we need **JPY**.',
			tags: ['billing'],
			createdAt: '2024-01-31T10:00:00Z',
			answers: [
				{ body: 'Contact support; currency is per workspace.', accepted: false },
				{ body: 'Settings → Billing → Currency, then pick JPY.', accepted: true },
			],
		},
		{ externalId: 'q2', title: 'ガントチャートを印刷したい', body: 'ガントチャートをA3で印刷する方法はありますか？', answers: [] },
	],
	faqs: [{ externalId: 'f1', title: 'Which payment methods do you accept?', body: 'Credit card and bank transfer (請求書払い).', category: 'Billing', tags: [], published: true }],
	tutorials: [
		{
			externalId: 't1',
			title: 'Create your first board',
			summary: 'Boards hold your tasks.',
			phase: 'onboarding',
			steps: [
				{ title: 'Open Boards', body: 'Click **Boards** in the sidebar.' },
				{ title: 'Add a column', body: 'Press **+ Column**.' },
			],
		},
	],
})

describe('import', () => {
	beforeEach(resetData)

	it('loads questions with answers, FAQs and tutorials, and makes them searchable', async () => {
		const report = await importContent(file())
		expect(report.questions).toEqual({ created: 2, updated: 0, invalid: 0 })
		expect(report.faqs).toEqual({ created: 1, updated: 0, invalid: 0 })
		expect(report.tutorials).toEqual({ created: 1, updated: 0, invalid: 0 })
		const [q1] = await db.select().from(questions).where(eq(questions.externalId, 'q1'))
		expect(q1).toMatchObject({ answerCount: 2, createdAt: new Date('2024-01-31T10:00:00Z') })
		const [accepted] = await db.select().from(answers).where(eq(answers.id, q1!.acceptedAnswerId!))
		expect(accepted!.body).toContain('Settings → Billing → Currency')

		await runPendingJobs()
		const currency = await search('billing currency JPY')
		expect(currency.hits[0]).toMatchObject({ type: 'question', externalId: 'q1' })
		expect((await search('payment methods')).hits[0]).toMatchObject({ type: 'faq', externalId: 'f1', url: expect.stringMatching(/^\/faq\//) })
		expect((await search('first board')).hits[0]).toMatchObject({ type: 'tutorial', externalId: 't1' })
		expect((await search('ガントチャート 印刷')).hits[0]).toMatchObject({ externalId: 'q2' })
	})

	it('updates instead of duplicating when re-imported with the same externalIds', async () => {
		await importContent(file())
		const changed = file()
		changed.questions[0]!.title = 'How do I switch the billing currency to JPY?'
		changed.questions[0]!.answers = [{ body: 'Settings → Billing → Currency.', accepted: true }]
		changed.tutorials[0]!.steps.push({ title: 'Invite a teammate', body: 'Share the board.' })
		const report = await importContent(changed)
		expect(report.questions).toEqual({ created: 0, updated: 2, invalid: 0 })
		expect(report.faqs).toEqual({ created: 0, updated: 1, invalid: 0 })
		expect(report.tutorials).toEqual({ created: 0, updated: 1, invalid: 0 })
		const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(questions)
		expect(count!.n).toBe(2)
		const [q1] = await db.select().from(questions).where(eq(questions.externalId, 'q1'))
		expect(q1).toMatchObject({ title: 'How do I switch the billing currency to JPY?', answerCount: 1 })
		expect(await db.select().from(faqs)).toHaveLength(1)
		const [tutorial] = await db.select().from(tutorials)
		expect(await db.select().from(tutorialSteps).where(eq(tutorialSteps.tutorialId, tutorial!.id))).toHaveLength(3)
		await runPendingJobs()
		const hits = (await search('switch billing currency')).hits
		expect(hits.filter((hit) => hit.externalId === 'q1')).toHaveLength(1)
		expect(hits[0]).toMatchObject({ externalId: 'q1', title: 'How do I switch the billing currency to JPY?' })
	})

	it('reports invalid items by index and reason and still loads the valid ones', async () => {
		const report = await importContent({
			questions: [
				{ externalId: 'ok', title: 'A perfectly fine question', body: 'With a body that is long enough.' },
				{ externalId: 'bad', title: 'no', body: '' },
				'not even an object',
				{ title: 'Two accepted answers here', body: 'Body long enough here.', answers: [{ body: 'First answer', accepted: true }, { body: 'Second answer', accepted: true }] },
			],
			faqs: [{ title: 'Missing body FAQ' }],
			tutorials: [{ title: 'No steps tutorial', steps: [] }],
		})
		expect(report.questions).toEqual({ created: 1, updated: 0, invalid: 3 })
		expect(report.faqs.invalid).toBe(1)
		expect(report.tutorials.invalid).toBe(1)
		expect(report.errors.map((e) => `${e.section}[${e.index}]`)).toEqual(['questions[1]', 'questions[2]', 'questions[3]', 'faqs[0]', 'tutorials[0]'])
		expect(report.errors[0]!.reason).toContain('title: The title needs at least 5 characters')
		expect(report.errors[2]!.reason).toContain('At most one answer can be accepted')
		expect(report.errors[4]!.reason).toContain('steps: Add at least one step')
	})

	it('refuses what the edit forms refuse, naming the field', async () => {
		const faq = { title: 'How do I pay?', body: 'By card or bank transfer.', language: 'en' }
		const tutorial = { title: 'Create a board', summary: 'Boards hold your tasks.', estimatedMinutes: 5, phase: 'onboarding', language: 'en', steps: [{ title: 'Open Boards', body: 'Click Boards.' }] }
		const cases = {
			faqs: [
				{ ...faq, title: 'Pay?' },
				{ ...faq, title: `How do I pay ${'x'.repeat(150)}?` },
				{ ...faq, category: 'B' },
			],
			tutorials: [{ ...tutorial, summary: undefined }],
			questions: [{ title: 'Exporting boards', body: 'How do I export a board?', answers: [{ body: 'No.' }] }],
		}
		const report = await importContent(cases)
		expect(report.errors.map((e) => `${e.section}[${e.index}] ${e.reason}`)).toEqual([
			'questions[0] answers.0.body: The answer needs at least 5 characters',
			'faqs[0] title: The title needs at least 5 characters',
			'faqs[1] title: The title can have at most 150 characters',
			'faqs[2] category: The category name needs at least 2 characters',
			'tutorials[0] summary: Write a short summary',
		])
		// The forms refuse the same values with the same messages.
		for (const [i, item] of cases.faqs.entries()) {
			expect(faqSchema.safeParse(item).error!.issues[0]!.message).toBe(report.errors[1 + i]!.reason.split(': ')[1])
		}
		expect(tutorialSchema.safeParse(cases.tutorials[0]).error!.issues[0]!.message).toBe('Write a short summary')
		expect(answerSchema.safeParse(cases.questions[0]!.answers[0]).error!.issues[0]!.message).toBe('The answer needs at least 5 characters')
		expect(await db.select().from(faqs)).toHaveLength(0)
		expect(await db.select().from(tutorials)).toHaveLength(0)
	})

	it('imports content that opens and saves in its edit form', async () => {
		await importContent({
			...file(),
			// The fewest fields an import accepts: the form's other fields get defaults it accepts.
			tutorials: [{ externalId: 't1', title: 'Invite your team', summary: 'Work together.', steps: [{ title: 'Invite', body: 'Settings → Members.' }] }],
		})
		const cs = await person('cs')
		const [faqRow] = await db.select().from(faqs)
		const { id: _faqId, url: _faqUrl, ...faqForm } = await getFaqForEdit(cs, faqRow!.id)
		await updateFaq(cs, faqRow!.id, faqSchema.parse(faqForm))

		const [tutorialRow] = await db.select().from(tutorials)
		const { values } = await getTutorialForEdit(cs, tutorialRow!.id)
		expect(values).toMatchObject({ phase: 'onboarding', language: 'en', estimatedMinutes: 2, published: true })
		await updateTutorial(cs, tutorialRow!.id, tutorialSchema.parse(values))

		for (const row of await db.select().from(questions)) {
			const thread = await getQuestionThread(row.id, cs)
			await updateQuestion(cs, row.id, questionSchema.parse({ title: thread.title, body: thread.body, tags: thread.tags }))
			for (const answer of thread.answers) await updateAnswer(cs, answer.id, answerSchema.parse({ body: answer.body }).body)
		}
	})

	it('writes an imported thread as one asked through the form: revisions, counts and frequency', async () => {
		await importContent(file())
		const [imported] = await db.select().from(questions).where(eq(questions.externalId, 'q1'))
		const asker = await person()
		const asked = await createQuestion(asker, questionSchema.parse({ title: 'How do I change the invoice language?', body: 'Our invoices come in English; we need Japanese.' }))
		const cs = await person('cs')

		const history = await questionRevisions(cs, imported!.id)
		expect(history.revisions.map((r) => r.postType).sort()).toEqual(['answer', 'answer', 'question'])
		expect((await questionRevisions(cs, asked.id)).revisions.map((r) => r.postType)).toEqual(['question'])
		expect(imported).toMatchObject({ frequency: 1, answerCount: 2, firstAnsweredAt: new Date('2024-01-31T10:01:00Z') })

		for (const id of [imported!.id, asked.id]) await addMeToo(await person(), id)
		const frequent = await listQuestions({ sort: 'frequent', page: 1 })
		const frequencies = await db.select({ id: questions.id, frequency: questions.frequency }).from(questions)
		expect(frequencies.find((q) => q.id === imported!.id)!.frequency).toBe(2)
		expect(frequencies.find((q) => q.id === asked.id)!.frequency).toBe(2)
		expect(frequent.items.slice(0, 2).map((q) => q.id).sort()).toEqual([imported!.id, asked.id].sort())

		// A re-import that changes an answer is an edit: one more revision, the count unchanged.
		const changed = file()
		changed.questions[0]!.answers[1]!.body = 'Settings → Billing → Currency, then choose JPY and save.'
		await importContent(changed)
		expect((await questionRevisions(cs, imported!.id)).revisions).toHaveLength(4)
		const [after] = await db.select().from(questions).where(eq(questions.id, imported!.id))
		expect(after).toMatchObject({ frequency: 2, answerCount: 2 })
	})

	it('refuses a file that is not an import', async () => {
		await expect(importContent({ questions: 'nope' })).rejects.toThrow('The file is not a Kizuna import')
	})

	it('says why a file cannot be imported: missing, or not JSON', async () => {
		const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kizuna-import-'))
		const missing = path.join(dir, 'missing.json')
		await expect(importFromFile(missing)).rejects.toThrow(new DomainError('invalid', `Cannot read ${missing}: ENOENT`))
		const broken = path.join(dir, 'broken.json')
		await fs.writeFile(broken, '{"questions": [')
		await expect(importFromFile(broken)).rejects.toThrow(`${broken} is not valid JSON`)
		await fs.rm(dir, { recursive: true, force: true })
	})
})
