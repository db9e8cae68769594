import type { AppLoadContext } from '@remix-run/node'
import { beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import type { Actor } from '../../app/auth/permissions.server'
import { closeAsDuplicate } from '../../app/community/duplicates.server'
import { addMeToo, createAnswer, getQuestionThread, listQuestions, vote } from '../../app/community/questions.server'
import { popularTags } from '../../app/community/tags.server'
import { recentNotifications } from '../../app/notifications/notifications.server'
import { daysBetween } from '../../app/insights/range.server'
import { questionFigures, unansweredTopics } from '../../app/insights/metrics.server'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { moderatePost } from '../../app/moderation/moderation.server'
import { getProfile } from '../../app/people/profiles.server'
import { action as moderationApi } from '../../app/routes/api.v1.moderation.$targetType.$targetId'
import { loader as questionApi } from '../../app/routes/api.v1.questions.$id'
import { action as answerApi } from '../../app/routes/api.v1.questions.$id_.answers'
import { action as threadAction } from '../../app/routes/questions.$id.($slug)'
import { db } from '../../db/client.server'
import { questions } from '../../db/schema'
import { searchContent } from '../../search/query.server'
import { person, question as ask } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'

const anonymous = { userId: null, visitorId: 'test-visitor', record: false }
const search = async (q: string) => (await searchContent({ q, limit: 10 }, anonymous)).hits.map((hit) => hit.id)
const context = (actor: Actor | null) => ({ actor, authVia: actor ? 'session' : null, visitorId: 'visitor-1', locale: 'en', secure: false, clientIp: '127.0.0.1' }) as AppLoadContext
const json = (url: string, body: unknown) => new Request(`http://localhost${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const form = (url: string, fields: Record<string, string>) => new Request(`http://localhost${url}`, { method: 'POST', body: new URLSearchParams(fields) })

const getQuestion = async (id: number, viewer: Actor | null) => questionApi({ request: new Request(`http://localhost/api/v1/questions/${id}`), params: { id: String(id) }, context: context(viewer) })
const postAnswer = (id: number, who: Actor, body = 'Try Settings → Export.') => answerApi({ request: json(`/api/v1/questions/${id}/answers`, { body }), params: { id: String(id) }, context: context(who) })
const moderate = (who: Actor | null, targetType: string, targetId: number | string, body: unknown) =>
	moderationApi({ request: json(`/api/v1/moderation/${targetType}/${targetId}`, body), params: { targetType, targetId: String(targetId) }, context: context(who) })

describe('hidden, deleted and held posts', () => {
	beforeEach(resetData)

	it('answers 404 for a hidden question to everyone but its author and staff, who see why; it leaves lists and search and comes back on restore', async () => {
		const [asker, other, cs] = [await person(), await person(), await person('cs')]
		const { id } = await ask(asker, { title: 'Gantt chart prints blank pages', tags: 'printing' })
		await runPendingJobs()
		expect(await search('gantt blank pages')).toEqual([id])

		const outcome = await moderatePost(cs, { type: 'question', id }, 'hide', 'Contains a customer’s private data')
		expect(outcome).toEqual({ state: 'hidden', locked: false })
		await runPendingJobs()
		expect(await search('gantt blank pages')).toEqual([])
		expect((await getQuestion(id, null)).status).toBe(404)
		expect((await getQuestion(id, other)).status).toBe(404)
		expect((await refusal(getQuestionThread(id, other))).status).toBe(404)
		for (const viewer of [asker, cs]) {
			const response = await getQuestion(id, viewer)
			expect(response.status).toBe(200)
			expect((await response.json()).notice).toEqual({ state: 'hidden', reason: 'Contains a customer’s private data' })
		}
		expect((await listQuestions({ sort: 'newest', page: 1 })).items).toEqual([])
		expect(await popularTags()).toEqual([])
		expect((await getProfile(asker.id, { questions: 1, answers: 1 })).questions.items).toEqual([])
		// Nobody answers, votes on or says "me too" to a question they cannot see: it does not exist for them.
		expect((await postAnswer(id, other)).status).toBe(404)
		expect((await refusal(vote(other, 'question', id, 'up'))).status).toBe(404)
		expect((await refusal(addMeToo(other, id))).status).toBe(404)

		expect(await moderatePost(cs, { type: 'question', id }, 'restore', '')).toEqual({ state: 'visible', locked: false })
		await runPendingJobs()
		expect(await search('gantt blank pages')).toEqual([id])
		expect((await getQuestion(id, null)).status).toBe(200)
		expect((await listQuestions({ sort: 'newest', page: 1 })).items.map((item) => item.id)).toEqual([id])
		expect((await getQuestionThread(id, asker)).notice).toBeNull()
	})

	it('leaves a hidden answer out for others, from the answer count, the search document and the insights, and brings it back on restore', async () => {
		const [asker, helper, cs] = [await person(), await person(), await person('cs')]
		const { id } = await ask(asker, { title: 'Kanban swimlanes disappear after reload', body: 'The lanes go away.' })
		const answer = await createAnswer(helper, id, 'Clear the zanzibar cache in Settings.')
		await runPendingJobs()
		expect(await search('zanzibar')).toEqual([id])
		const today = new Date().toISOString().slice(0, 10)
		const range = daysBetween(today, today, null)
		expect(await questionFigures(range)).toMatchObject({ questionsAsked: 1, questionsAnswered: 1 })

		await moderatePost(cs, { type: 'answer', id: answer.id }, 'hide', 'Wrong: that setting does not exist')
		await runPendingJobs()
		expect(await search('zanzibar')).toEqual([])
		expect(await search('swimlanes reload')).toEqual([id])
		expect((await getQuestionThread(id, asker)).answers).toEqual([])
		expect((await getQuestionThread(id, helper)).answers[0]!.notice).toEqual({ state: 'hidden', reason: 'Wrong: that setting does not exist' })
		expect((await getQuestionThread(id, cs)).answers).toHaveLength(1)
		expect((await listQuestions({ sort: 'unanswered', page: 1 })).items.map((item) => [item.id, item.answerCount])).toEqual([[id, 0]])
		expect(await questionFigures(range)).toMatchObject({ questionsAsked: 1, questionsAnswered: 0 })
		expect((await unansweredTopics(range)).map((topic) => topic.questionId)).toEqual([id])
		expect((await getProfile(helper.id, { questions: 1, answers: 1 })).answers.items).toEqual([])

		await moderatePost(cs, { type: 'answer', id: answer.id }, 'restore', '')
		await runPendingJobs()
		expect(await search('zanzibar')).toEqual([id])
		expect((await getQuestionThread(id, asker)).answers.map((a) => a.id)).toEqual([answer.id])
		expect(await questionFigures(range)).toMatchObject({ questionsAsked: 1, questionsAnswered: 1 })
		expect(await unansweredTopics(range)).toEqual([])
	})

	it('drops notifications about a hidden answer from the bell list, and shows them again on restore', async () => {
		const [asker, helper, cs] = [await person(), await person(), await person('cs')]
		const { id } = await ask(asker)
		const answer = await createAnswer(helper, id, 'Turn it off and on again.')
		await runPendingJobs()
		const listed = async () => (await recentNotifications(asker, 10)).items.map((item) => item.url)
		expect(await listed()).toEqual([expect.stringContaining(`#answer-${answer.id}`)])
		await moderatePost(cs, { type: 'answer', id: answer.id }, 'hide', 'Not an answer')
		expect(await listed()).toEqual([])
		await moderatePost(cs, { type: 'answer', id: answer.id }, 'restore', '')
		expect(await listed()).toHaveLength(1)
	})

	it('stops counting a hidden duplicate in its original’s frequency and insights, and counts it again on restore', async () => {
		const [asker, other, cs] = [await person(), await person(), await person('cs')]
		const original = await ask(asker, { title: 'Export a board as CSV' })
		const duplicate = await ask(other, { title: 'CSV download of my board' })
		await addMeToo(asker, duplicate.id)
		await closeAsDuplicate(cs, duplicate.id, { type: 'question', id: original.id })
		const frequency = async () => (await db.select({ f: questions.frequency }).from(questions).where(eq(questions.id, original.id)))[0]!.f
		expect(await frequency()).toBe(3)
		const today = new Date().toISOString().slice(0, 10)
		expect((await questionFigures(daysBetween(today, today, null))).questionsAsked).toBe(2)

		await moderatePost(cs, { type: 'question', id: duplicate.id }, 'delete', 'Spam')
		expect(await frequency()).toBe(1)
		expect((await questionFigures(daysBetween(today, today, null))).questionsAsked).toBe(1)

		const admin = await person('admin')
		await moderatePost(admin, { type: 'question', id: duplicate.id }, 'restore', '')
		expect(await frequency()).toBe(3)
		expect((await questionFigures(daysBetween(today, today, null))).questionsAsked).toBe(2)
	})

	it('lets only admins restore a deleted post, for 30 days', async () => {
		const [asker, cs, admin] = [await person(), await person('cs'), await person('admin')]
		const { id } = await ask(asker)
		const deletedAt = new Date('2026-03-01T10:00:00Z')
		await moderatePost(cs, { type: 'question', id }, 'delete', 'Duplicate spam', deletedAt)
		expect((await refusal(moderatePost(cs, { type: 'question', id }, 'restore', ''))).status).toBe(403)
		const late = await refusal(moderatePost(admin, { type: 'question', id }, 'restore', '', new Date('2026-03-31T10:00:01Z')))
		expect([late.status, late.message]).toEqual([409, 'Deleted posts can be restored for 30 days; this one was deleted earlier'])
		expect(await moderatePost(admin, { type: 'question', id }, 'restore', '', new Date('2026-03-31T10:00:00Z'))).toEqual({ state: 'visible', locked: false })
	})
})

describe('threads that take no answers', () => {
	beforeEach(resetData)

	it('refuses answers to a locked thread through the API and the page with the reason, and takes them again once unlocked', async () => {
		const [asker, helper, cs] = [await person(), await person(), await person('cs')]
		const { id, url } = await ask(asker)
		expect(await moderatePost(cs, { type: 'question', id }, 'lock', 'Answered in release 4.2')).toEqual({ state: 'visible', locked: true })

		const api = await postAnswer(id, helper)
		expect(api.status).toBe(409)
		expect(await api.json()).toEqual({ error: 'This thread is locked: Answered in release 4.2' })
		const page = (await threadAction({ request: form(url, { intent: 'answer', body: 'Me too, any news?' }), params: { id: String(id) }, context: context(helper) })) as Response
		expect(page.status).toBe(409)
		expect((await page.json()).result.error['']).toEqual(['This thread is locked: Answered in release 4.2'])
		const thread = await getQuestionThread(id, helper)
		expect([thread.permissions.answer, thread.locked, thread.answers]).toEqual(['refused', { reason: 'Answered in release 4.2' }, []])

		await moderatePost(cs, { type: 'question', id }, 'unlock', '')
		expect((await postAnswer(id, helper)).status).toBe(201)
		expect((await getQuestionThread(id, null)).locked).toBeNull()
	})

	it('refuses answers to a closed duplicate through the API and the page', async () => {
		const [asker, helper, cs] = [await person(), await person(), await person('cs')]
		const original = await ask(asker)
		const duplicate = await ask(helper)
		await closeAsDuplicate(cs, duplicate.id, { type: 'question', id: original.id })
		const api = await postAnswer(duplicate.id, asker)
		expect([api.status, await api.json()]).toEqual([409, { error: 'This question was closed as a duplicate: answer the original instead' }])
		const page = (await threadAction({ request: form(duplicate.url, { intent: 'answer', body: 'Try this.' }), params: { id: String(duplicate.id) }, context: context(asker) })) as Response
		expect(page.status).toBe(409)
		expect((await getQuestionThread(duplicate.id, cs)).answers).toEqual([])
	})
})

describe('POST /api/v1/moderation/{targetType}/{targetId}', () => {
	beforeEach(resetData)

	it('moderates as cs and admin, refuses everyone else, and says what is wrong with a request', async () => {
		const [asker, member, cs] = [await person(), await person(), await person('cs')]
		const { id } = await ask(asker)
		const answer = await createAnswer(member, id, 'An answer worth hiding.')

		const hidden = await moderate(cs, 'answer', answer.id, { action: 'hide', reason: 'Off topic' })
		expect([hidden.status, await hidden.json()]).toEqual([200, { state: 'hidden', locked: false }])
		const locked = await moderate(cs, 'question', id, { action: 'lock', reason: 'Solved in 4.2' })
		expect([locked.status, await locked.json()]).toEqual([200, { state: 'visible', locked: true }])

		expect((await moderate(member, 'question', id, { action: 'hide', reason: 'I do not like it' })).status).toBe(403)
		expect((await moderate(asker, 'question', id, { action: 'unlock', reason: '' })).status).toBe(403)
		expect((await moderate(null, 'question', id, { action: 'hide', reason: 'x' })).status).toBe(401)

		const noReason = await moderate(cs, 'question', id, { action: 'hide', reason: '  ' })
		expect([noReason.status, await noReason.json()]).toEqual([400, { error: 'Give a reason: the author sees it' }])
		const badAction = await moderate(cs, 'question', id, { action: 'explode', reason: 'x' })
		expect([badAction.status, await badAction.json()]).toEqual([400, { error: 'action: Choose hide, restore, delete, lock or unlock' }])
		expect((await moderate(cs, 'question', id, { action: 'hide', reason: 'x'.repeat(501) })).status).toBe(400)
		expect((await moderate(cs, 'answer', answer.id, { action: 'lock', reason: 'x' })).status).toBe(400)
		expect((await moderate(cs, 'question', 999_999, { action: 'hide', reason: 'x' })).status).toBe(404)
		expect((await moderate(cs, 'comment', id, { action: 'hide', reason: 'x' })).status).toBe(404)
		expect((await moderate(cs, 'question', 'abc', { action: 'hide', reason: 'x' })).status).toBe(404)
	})
})
