import { eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { closeAsDuplicate, duplicateFormSchema, duplicateStatus, parseCanonicalReference, reopenQuestion } from '../../app/community/duplicates.server'
import { addMeToo, listQuestions, recordQuestionView } from '../../app/community/questions.server'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { createFaq, getFaqPage, setFaqPublished, updateFaq } from '../../app/knowledge/faqs.server'
import { faqSchema } from '../../app/knowledge/validation'
import { db } from '../../db/client.server'
import { faqs, questions } from '../../db/schema'
import { searchContent } from '../../search/query.server'
import { unansweredTopics } from '../../app/insights/metrics.server'
import { resolveRange } from '../../app/insights/range.server'
import { person, question } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'

const anonymous = { userId: null, visitorId: 'test-visitor', record: false }
const search = (q: string) => searchContent({ q, limit: 10 }, anonymous)

async function ask(title: string, body = 'Details of the problem, long enough.') {
	return question(await person(), { title, body })
}

async function meToos(questionId: number, count: number) {
	for (let i = 0; i < count; i++) await addMeToo(await person(), questionId)
}

async function frequencyOf(type: 'question' | 'faq', id: number) {
	const table = type === 'question' ? questions : faqs
	const [row] = await db.select({ frequency: table.frequency }).from(table).where(eq(table.id, id))
	return row!.frequency
}

describe('duplicates', () => {
	beforeEach(resetData)

	it('leaves closed duplicates out of the unanswered lists and marks them, with their original, wherever they are listed', async () => {
		const cs = await person('cs')
		const original = await ask('Calendar sync stops after a day')
		const duplicate = await ask('Calendar sync stopped working')
		const waiting = await ask('Gantt chart prints blank pages')
		const faq = await createFaq(cs, faqSchema.parse({ title: 'Reconnect calendar sync', body: 'Settings → Integrations → Reconnect.', language: 'en' }))
		const intoDraft = await ask('Calendar sync needs reconnecting')
		await setFaqPublished(cs, faq.id, true)
		await closeAsDuplicate(cs, duplicate.id, { type: 'question', id: original.id })
		await closeAsDuplicate(cs, intoDraft.id, { type: 'faq', id: faq.id })
		await setFaqPublished(cs, faq.id, false)

		expect((await listQuestions({ sort: 'unanswered', page: 1 })).items.map((q) => q.id).sort()).toEqual([original.id, waiting.id].sort())
		expect((await unansweredTopics(await resolveRange({}))).map((topic) => topic.questionId).sort()).toEqual([original.id, waiting.id].sort())
		const listed = new Map((await listQuestions({ sort: 'newest', page: 1 })).items.map((q) => [q.id, q.duplicateOf]))
		expect(listed.get(duplicate.id)).toEqual({ title: 'Calendar sync stops after a day', url: `/questions/${original.id}/calendar-sync-stops-after-a-day` })
		expect(listed.get(intoDraft.id)).toEqual({ title: null, url: null })
		expect(listed.get(original.id)).toBeNull()
		expect(listed.get(waiting.id)).toBeNull()
	})

	it('names an original question held, hidden or deleted since the closure only to those who may still see it', async () => {
		const cs = await person('cs')
		const original = await ask('Calendar sync stops after a day')
		const duplicate = await ask('Calendar sync stopped working')
		await closeAsDuplicate(cs, duplicate.id, { type: 'question', id: original.id })
		await db.update(questions).set({ state: 'hidden' }).where(eq(questions.id, original.id))

		const listed = new Map((await listQuestions({ sort: 'newest', page: 1 })).items.map((q) => [q.id, q.duplicateOf]))
		expect(listed.get(duplicate.id)).toEqual({ title: null, url: null })
		expect((await duplicateStatus(duplicate.id, null)).original).toEqual({ type: 'question', title: null, url: null })
		expect((await duplicateStatus(duplicate.id, await person())).original).toEqual({ type: 'question', title: null, url: null })
		expect((await duplicateStatus(duplicate.id, cs)).original).toEqual({
			type: 'question',
			title: 'Calendar sync stops after a day',
			url: `/questions/${original.id}/calendar-sync-stops-after-a-day`,
		})
	})

	it('adds each duplicate and its "me too" to the original’s frequency, and takes them back on reopen', async () => {
		const cs = await person('cs')
		const original = await ask('Gantt chart does not show weekends')
		await meToos(original.id, 2)
		expect(await frequencyOf('question', original.id)).toBe(3)

		const first = await ask('Weekends missing from the Gantt view')
		await meToos(first.id, 1)
		await closeAsDuplicate(cs, first.id, { type: 'question', id: original.id })
		// 1 + 2 own "me too" + (1 + 1) for the duplicate
		expect(await frequencyOf('question', original.id)).toBe(5)
		expect(await frequencyOf('question', first.id)).toBe(2)

		const second = await ask('Saturday and Sunday hidden in timeline')
		await closeAsDuplicate(cs, second.id, { type: 'question', id: original.id })
		expect(await frequencyOf('question', original.id)).toBe(6)

		// A "me too" on a duplicate counts for the original too.
		await meToos(second.id, 2)
		expect(await frequencyOf('question', original.id)).toBe(8)
		expect(await frequencyOf('question', second.id)).toBe(3)
		expect((await listQuestions({ sort: 'frequent', page: 1 })).items[0]!.id).toBe(original.id)

		await reopenQuestion(cs, first.id)
		expect(await frequencyOf('question', original.id)).toBe(6)
		expect(await frequencyOf('question', first.id)).toBe(2)
		expect((await duplicateStatus(first.id, null)).closed).toBe(false)
		expect((await refusal(reopenQuestion(cs, first.id))).status).toBe(409)
	})

	it('counts duplicates of an FAQ the same way', async () => {
		const cs = await person('cs')
		const faq = await createFaq(cs, faqSchema.parse({ title: 'How do I reset two-factor authentication?', body: 'Ask an admin to reset it.', language: 'en' }))
		await setFaqPublished(cs, faq.id, true)
		const question = await ask('Lost phone, cannot log in with 2FA')
		await meToos(question.id, 3)
		await closeAsDuplicate(cs, question.id, { type: 'faq', id: faq.id })
		expect(await frequencyOf('faq', faq.id)).toBe(5)
		await meToos(question.id, 1)
		expect(await frequencyOf('faq', faq.id)).toBe(6)
		await recordQuestionView(question.id, { actor: null, visitorId: 'visitor-a' })
		const page = await getFaqPage(faq.id, null)
		expect(page).toMatchObject({ frequency: 6, views: 1, duplicates: [{ id: question.id, title: 'Lost phone, cannot log in with 2FA' }] })
		const status = await duplicateStatus(question.id, null)
		expect(status.original).toEqual({ type: 'faq', title: 'How do I reset two-factor authentication?', url: faq.url })
	})

	it('takes the duplicate out of search and finds the original by the duplicate’s wording', async () => {
		const cs = await person('cs')
		const original = await ask('Sprint burndown ignores holidays', 'The burndown chart counts public holidays as working days.')
		const duplicate = await ask('Zebrafinch quokka reports', 'A differently worded question about the same chart problem.')
		await runPendingJobs()
		expect((await search('zebrafinch quokka')).hits.map((h) => h.id)).toEqual([duplicate.id])

		await closeAsDuplicate(cs, duplicate.id, { type: 'question', id: original.id })
		await runPendingJobs()
		expect((await search('zebrafinch quokka')).hits.map((h) => [h.type, h.id])).toEqual([['question', original.id]])

		await reopenQuestion(cs, duplicate.id)
		await runPendingJobs()
		expect((await search('zebrafinch quokka')).hits.map((h) => h.id)).toEqual([duplicate.id])
	})

	it('finds a canonical FAQ by the duplicate’s title', async () => {
		const cs = await person('cs')
		const faq = await createFaq(cs, faqSchema.parse({ title: 'Export a board to Excel', body: 'Use Board menu → Export → CSV (UTF-8 with BOM).', language: 'en' }))
		await setFaqPublished(cs, faq.id, true)
		const duplicate = await ask('Spreadsheet download of kanban lanes')
		await closeAsDuplicate(cs, duplicate.id, { type: 'faq', id: faq.id })
		await runPendingJobs()
		expect((await search('kanban lanes spreadsheet')).hits.map((h) => [h.type, h.id])).toEqual([['faq', faq.id]])
	})

	it('shows the original with its views and duplicates on the question page data', async () => {
		const cs = await person('cs')
		const original = await ask('Calendar sync with Google stops')
		const duplicate = await ask('Google calendar no longer updates')
		await recordQuestionView(original.id, { actor: null, visitorId: 'a' })
		await recordQuestionView(duplicate.id, { actor: null, visitorId: 'b' })
		await recordQuestionView(duplicate.id, { actor: null, visitorId: 'c' })
		await closeAsDuplicate(cs, duplicate.id, { type: 'question', id: original.id })
		const canonical = await duplicateStatus(original.id, cs)
		expect(canonical).toMatchObject({ closed: false, original: null, frequency: 2, views: 3, permissions: { moderate: true } })
		expect(canonical.duplicates.map((d) => d.id)).toEqual([duplicate.id])
		const closed = await duplicateStatus(duplicate.id, null)
		expect(closed).toMatchObject({ closed: true, closedBy: cs.displayName, original: { type: 'question', title: 'Calendar sync with Google stops', url: original.url }, permissions: { moderate: false } })
	})

	it('shows visitors only the title an FAQ had while published, never a draft title', async () => {
		const cs = await person('cs')
		const member = await person()
		const faq = await createFaq(cs, faqSchema.parse({ title: 'Archive a project', body: 'Project settings → Archive.', language: 'en' }))
		await setFaqPublished(cs, faq.id, true)
		const duplicate = await ask('How can I put an old project away')
		await closeAsDuplicate(cs, duplicate.id, { type: 'faq', id: faq.id })
		expect((await duplicateStatus(duplicate.id, null)).original).toEqual({ type: 'faq', title: 'Archive a project', url: faq.url })

		// Unpublished, then renamed while a draft: the new title is not out yet.
		await setFaqPublished(cs, faq.id, false)
		await updateFaq(cs, faq.id, faqSchema.parse({ title: 'Secret roadmap: projects will be deleted', body: 'Draft.', language: 'en' }))
		for (const viewer of [null, member]) {
			expect((await duplicateStatus(duplicate.id, viewer)).original).toEqual({ type: 'faq', title: 'Archive a project', url: null })
		}
		// Staff see the draft as it is, with its link.
		expect((await duplicateStatus(duplicate.id, cs)).original).toMatchObject({ type: 'faq', title: 'Secret roadmap: projects will be deleted' })
		// Published again, the new title is public.
		await setFaqPublished(cs, faq.id, true)
		expect((await duplicateStatus(duplicate.id, null)).original?.title).toBe('Secret roadmap: projects will be deleted')
	})

	it('moves the duplicates of a question it closes on to the new original', async () => {
		const cs = await person('cs')
		const newest = await ask('Tasks vanish after archiving a column')
		const older = await ask('Archived column deletes tasks?')
		const oldest = await ask('Where do tasks go when a column is archived')
		await closeAsDuplicate(cs, newest.id, { type: 'question', id: older.id })
		expect(await frequencyOf('question', older.id)).toBe(2)
		const result = await closeAsDuplicate(cs, older.id, { type: 'question', id: oldest.id })
		expect(result).toMatchObject({ moved: 1, frequency: 3 })
		expect(await frequencyOf('question', older.id)).toBe(1)
		expect((await duplicateStatus(newest.id, null)).original?.title).toBe('Where do tasks go when a column is archived')
	})

	it('refuses invalid originals and people who are not staff', async () => {
		const cs = await person('cs')
		const member = await person()
		const question = await ask('Board background colour resets')
		const original = await ask('Board colours are lost after reload')
		const closed = await ask('Colour of my board changes back')
		await closeAsDuplicate(cs, closed.id, { type: 'question', id: original.id })
		const draft = await createFaq(cs, faqSchema.parse({ title: 'Changing board colours', body: 'Board settings → Appearance.', language: 'en' }))

		expect((await refusal(closeAsDuplicate(member, question.id, { type: 'question', id: original.id }))).status).toBe(403)
		expect((await refusal(closeAsDuplicate(null, question.id, { type: 'question', id: original.id }))).status).toBe(401)
		expect((await refusal(reopenQuestion(member, closed.id))).status).toBe(403)

		const cases: Array<[{ type: 'question' | 'faq'; id: number }, string]> = [
			[{ type: 'question', id: question.id }, 'A question cannot be a duplicate of itself'],
			[{ type: 'question', id: 999_999 }, 'There is no question with that number'],
			[{ type: 'question', id: closed.id }, 'That question is itself a duplicate: choose the question or FAQ it points to'],
			[{ type: 'faq', id: 999_999 }, 'There is no FAQ with that number'],
			[{ type: 'faq', id: draft.id }, 'That FAQ is a draft: publish it first'],
		]
		for (const [target, message] of cases) {
			const error = await refusal(closeAsDuplicate(cs, question.id, target))
			expect(error).toMatchObject({ status: 400, message, fieldErrors: { target: message } })
		}
		const again = await refusal(closeAsDuplicate(cs, closed.id, { type: 'question', id: question.id }))
		expect(again).toMatchObject({ status: 409, message: 'This question is already closed as a duplicate' })
		expect((await refusal(closeAsDuplicate(cs, 999_999, { type: 'question', id: question.id }))).status).toBe(404)
		expect((await duplicateStatus(question.id, null)).closed).toBe(false)
		expect(await frequencyOf('question', original.id)).toBe(2)
	})
})

describe('duplicate form', () => {
	it('reads numbers and links, the link deciding the kind', () => {
		expect(parseCanonicalReference('12', 'question')).toEqual({ type: 'question', id: 12 })
		expect(parseCanonicalReference(' #7 ', 'faq')).toEqual({ type: 'faq', id: 7 })
		expect(parseCanonicalReference('/questions/12/some-slug', 'faq')).toEqual({ type: 'question', id: 12 })
		expect(parseCanonicalReference('https://community.example.test/faq/3/%E8%AB%8B%E6%B1%82?sid=x#top', 'question')).toEqual({ type: 'faq', id: 3 })
		expect(parseCanonicalReference('/faq/3', 'question')).toEqual({ type: 'faq', id: 3 })
		expect(parseCanonicalReference('/tags/3', 'question')).toBeNull()
		expect(parseCanonicalReference('/questions/abc/x', 'question')).toBeNull()
		expect(parseCanonicalReference('99999999999', 'question')).toBeNull()
		expect(parseCanonicalReference('twelve', 'question')).toBeNull()
	})

	it('says what is missing', () => {
		const empty = duplicateFormSchema.safeParse({ targetType: 'question', target: ' ' })
		expect(empty.error?.issues[0]).toMatchObject({ path: ['target'], message: 'Enter the number or link of the original' })
		const garbage = duplicateFormSchema.safeParse({ targetType: 'faq', target: 'nonsense' })
		expect(garbage.error?.issues[0]).toMatchObject({ path: ['target'], message: 'Enter a number, or a link to a question or an FAQ' })
		expect(duplicateFormSchema.parse({ targetType: 'faq', target: '4' })).toEqual({ type: 'faq', id: 4 })
	})
})
