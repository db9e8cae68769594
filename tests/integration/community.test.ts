import { beforeEach, describe, expect, it } from 'vitest'
import {
	acceptAnswer,
	addMeToo,
	createAnswer,
	createQuestion,
	getQuestionThread,
	listQuestions,
	questionRevisions,
	recordQuestionView,
	updateAnswer,
	updateQuestion,
	vote,
} from '../../app/community/questions.server'
import { closeAsDuplicate, reopenQuestion } from '../../app/community/duplicates.server'
import { questionSchema } from '../../app/community/validation'
import { person } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'

const ask = (title = 'How do I export my board to CSV?') =>
	questionSchema.parse({ title, body: 'I need the **whole** board as a CSV file.', tags: 'import-export, csv' })

describe('questions and answers', () => {
	beforeEach(resetData)

	it('asks a question with tags and shows it with a readable URL', async () => {
		const asker = await person()
		const created = await createQuestion(asker, ask())
		expect(created.url).toBe(`/questions/${created.id}/how-do-i-export-my-board-to-csv`)
		const thread = await getQuestionThread(created.id, null)
		expect(thread.tags).toEqual(['csv', 'import-export'])
		expect(thread.bodyHtml).toContain('<strong>whole</strong>')
		expect(thread.author.displayName).toBe(asker.displayName)
	})

	it('refuses anonymous writes', async () => {
		const error = await refusal(createQuestion(null, ask()))
		expect(error.status).toBe(401)
	})

	it('keeps one vote per person, changeable and withdrawable, and never on your own post', async () => {
		const asker = await person()
		const voter = await person()
		const { id } = await createQuestion(asker, ask())
		expect((await vote(voter, 'question', id, 'up')).score).toBe(1)
		expect((await vote(voter, 'question', id, 'up')).score).toBe(1)
		expect((await vote(voter, 'question', id, 'down')).score).toBe(-1)
		expect((await vote(voter, 'question', id, 'none')).score).toBe(0)
		expect((await refusal(vote(asker, 'question', id, 'up'))).status).toBe(403)
		const thread = await getQuestionThread(id, voter)
		expect(thread.votes).toEqual({ up: 0, down: 0, mine: null })
	})

	it('shows vote buttons from the same rule that refuses a vote on your own post', async () => {
		const asker = await person()
		const other = await person()
		const { id } = await createQuestion(asker, ask())
		const answer = await createAnswer(other, id, 'Use Board menu → Export.')
		const asSeenByAsker = await getQuestionThread(id, asker)
		expect(asSeenByAsker.permissions.vote).toBe(false)
		expect(asSeenByAsker.answers[0]!.permissions.vote).toBe(true)
		const asSeenByOther = await getQuestionThread(id, other)
		expect(asSeenByOther.permissions.vote).toBe(true)
		expect(asSeenByOther.answers[0]!.permissions.vote).toBe(false)
		const refused = await refusal(vote(other, 'answer', answer.id, 'up'))
		expect([refused.status, refused.message]).toEqual([403, 'You cannot vote on your own post'])
	})

	it('refuses an answer to a question closed as a duplicate, and the page offers no answer form', async () => {
		const [asker, member, cs] = [await person(), await person(), await person('cs')]
		const original = await createQuestion(asker, ask('How do I export my board to CSV?'))
		const duplicate = await createQuestion(asker, ask('Can I download a board as CSV?'))
		expect((await getQuestionThread(duplicate.id, member)).permissions.answer).toBe('allowed')
		expect((await getQuestionThread(duplicate.id, null)).permissions.answer).toBe('sign-in')

		await closeAsDuplicate(cs, duplicate.id, { type: 'question', id: original.id })
		const refused = await refusal(createAnswer(member, duplicate.id, 'Board menu → Export → CSV.'))
		expect([refused.status, refused.message]).toEqual([409, 'This question was closed as a duplicate: answer the original instead'])
		expect((await refusal(createAnswer(cs, duplicate.id, 'Board menu → Export → CSV.'))).status).toBe(409)
		const closed = await getQuestionThread(duplicate.id, member)
		expect(closed.answers).toHaveLength(0)
		expect(closed.permissions.answer).toBe('refused')
		expect((await getQuestionThread(duplicate.id, null)).permissions.answer).toBe('refused')

		await reopenQuestion(cs, duplicate.id)
		await createAnswer(member, duplicate.id, 'Board menu → Export → CSV.')
		expect((await getQuestionThread(duplicate.id, member)).answers).toHaveLength(1)
	})

	it('counts "me too" once per person, not for the asker', async () => {
		const asker = await person()
		const [a, b] = [await person(), await person()]
		const { id } = await createQuestion(asker, ask())
		expect((await addMeToo(a, id)).count).toBe(1)
		expect((await addMeToo(a, id)).count).toBe(1)
		expect((await addMeToo(b, id)).count).toBe(2)
		expect((await addMeToo(asker, id)).count).toBe(2)
		const list = await listQuestions({ sort: 'frequent', page: 1 })
		expect(list.items[0]).toMatchObject({ id, meToo: 2 })
	})

	it('lets the asker or CS accept an answer, nobody else', async () => {
		const asker = await person()
		const helper = await person()
		const stranger = await person()
		const cs = await person('cs')
		const { id } = await createQuestion(asker, ask())
		const first = await createAnswer(helper, id, 'Use Board → Export → CSV.')
		const second = await createAnswer(cs, id, 'Or call the export API.')
		expect((await refusal(acceptAnswer(stranger, id, first.id))).status).toBe(403)
		await acceptAnswer(asker, id, first.id)
		let thread = await getQuestionThread(id, null)
		expect(thread.solved).toBe(true)
		expect(thread.answers[0]).toMatchObject({ id: first.id, accepted: true })
		await acceptAnswer(cs, id, second.id)
		thread = await getQuestionThread(id, null)
		expect(thread.acceptedAnswerId).toBe(second.id)
		expect(thread.answers[0]!.id).toBe(second.id)

		const other = await createQuestion(asker, ask('Another question about boards'))
		expect((await refusal(acceptAnswer(asker, other.id, first.id))).status).toBe(400)
	})

	it('lists unanswered and solved questions', async () => {
		const asker = await person()
		const helper = await person()
		const open = await createQuestion(asker, ask('An open question nobody answered'))
		const solved = await createQuestion(asker, ask('A question that got solved'))
		const answer = await createAnswer(helper, solved.id, 'Here is how.')
		await acceptAnswer(asker, solved.id, answer.id)
		expect((await listQuestions({ sort: 'unanswered', page: 1 })).items.map((q) => q.id)).toEqual([open.id])
		expect((await listQuestions({ sort: 'solved', page: 1 })).items.map((q) => q.id)).toEqual([solved.id])
		expect((await listQuestions({ sort: 'newest', page: 1, tag: 'csv' })).total).toBe(2)
	})

	it('keeps a revision for every edit; only the author and CS may edit', async () => {
		const asker = await person()
		const stranger = await person()
		const cs = await person('cs')
		const { id } = await createQuestion(asker, ask())
		await updateQuestion(asker, id, ask('How do I export my whole board to CSV?'))
		expect((await refusal(updateQuestion(stranger, id, ask('Hijacked title here')))).status).toBe(403)
		await updateQuestion(cs, id, ask('Exporting a board to CSV'))
		const history = await questionRevisions(asker, id)
		expect(history.revisions.map((r) => r.title)).toEqual([
			'Exporting a board to CSV',
			'How do I export my whole board to CSV?',
			'How do I export my board to CSV?',
		])
		expect((await getQuestionThread(id, null)).title).toBe('Exporting a board to CSV')
	})

	it('shows what each save changed against the save before it of the same post', async () => {
		const asker = await person()
		const helper = await person()
		const { id } = await createQuestion(asker, ask())
		const answer = await createAnswer(helper, id, 'Use the board menu.')
		await updateQuestion(asker, id, questionSchema.parse({ title: 'How do I export my whole board to CSV?', body: 'I need the **whole** board as a CSV file.', tags: 'csv' }))
		await updateAnswer(helper, answer.id, 'Use the board menu, then Export.')
		const [answerEdit, questionEdit, firstAnswer, firstQuestion] = (await questionRevisions(asker, id)).revisions
		expect(firstQuestion!.changes).toBeNull()
		expect(firstAnswer!.changes).toBeNull()
		expect(questionEdit!.changes!.title!.filter((part) => part.change !== 'same')).toEqual([{ text: 'whole ', change: 'added' }])
		expect(questionEdit!.changes!.body).toBeNull()
		expect(questionEdit!.changes!.tags!.filter((part) => part.change === 'removed').map((part) => part.text.trim())).toEqual(['import-export'])
		expect(answerEdit!.changes).toEqual({ title: null, tags: null, body: [{ text: 'Use the board menu', change: 'same' }, { text: ', then Export', change: 'added' }, { text: '.', change: 'same' }] })
	})

	it("counts each post's votes apart and shows the reader's own, whoever reads", async () => {
		const asker = await person()
		const helper = await person()
		const [a, b, c] = [await person(), await person(), await person()]
		const { id } = await createQuestion(asker, ask())
		const first = await createAnswer(helper, id, 'Use the board menu.')
		const second = await createAnswer(asker, id, 'Or the API.')
		await vote(a, 'question', id, 'up')
		await vote(b, 'question', id, 'up')
		await vote(c, 'question', id, 'down')
		await vote(a, 'answer', first.id, 'down')
		await vote(b, 'answer', second.id, 'up')
		const byA = await getQuestionThread(id, a)
		expect(byA.votes).toEqual({ up: 2, down: 1, mine: 'up' })
		const answers = new Map(byA.answers.map((answer) => [answer.id, answer.votes]))
		expect(answers.get(first.id)).toEqual({ up: 0, down: 1, mine: 'down' })
		expect(answers.get(second.id)).toEqual({ up: 1, down: 0, mine: null })
		const anonymous = await getQuestionThread(id, null)
		expect(anonymous.votes).toEqual({ up: 2, down: 1, mine: null })
		expect(anonymous.answers.map((answer) => answer.votes.mine)).toEqual([null, null])
	})

	it('shows the last page of a question list for a page past its end', async () => {
		const asker = await person()
		for (const title of ['First question about boards', 'Second question about boards', 'Third question about boards']) await createQuestion(asker, ask(title))
		const past = await listQuestions({ sort: 'newest', page: 9, pageSize: 2 })
		expect({ page: past.page, pageCount: past.pageCount, total: past.total }).toEqual({ page: 2, pageCount: 2, total: 3 })
		expect(past.items.map((q) => q.title)).toEqual(['First question about boards'])
	})

	it('counts a view once per viewer per day', async () => {
		const asker = await person()
		const { id } = await createQuestion(asker, ask())
		await recordQuestionView(id, { actor: null, visitorId: 'visitor-a' })
		await recordQuestionView(id, { actor: null, visitorId: 'visitor-a' })
		await recordQuestionView(id, { actor: null, visitorId: 'visitor-b' })
		expect((await getQuestionThread(id, null)).views).toBe(2)
	})
})

describe('question input', () => {
	it('explains what is wrong', () => {
		const result = questionSchema.safeParse({ title: 'Hi', body: 'short', tags: 'ok, BAD!tag' })
		expect(result.success).toBe(false)
		const messages = result.error!.issues.map((i) => i.message)
		expect(messages).toContain('The title needs at least 5 characters')
		expect(messages).toContain('Describe your question in at least 10 characters')
		expect(messages).toContain('Tags can only contain letters, numbers and hyphens (up to 30 characters each)')
	})

	it('accepts Japanese tags and normalises case', () => {
		const parsed = questionSchema.parse({ title: '請求書の宛名を変更したい', body: '請求書の宛名を会社名に変更できますか？', tags: 'Billing, 請求書' })
		expect(parsed.tags).toEqual(['billing', '請求書'])
	})

	it('separates tags by commas only: spaces inside a tag become one hyphen, existing names stay as they are', async () => {
		expect(questionSchema.parse({ title: 'Valid title', body: 'A valid body text', tags: 'Team Invites, billing' }).tags).toEqual(['team-invites', 'billing'])
		expect(questionSchema.parse({ title: 'Valid title', body: 'A valid body text', tags: ' team  -  invites 、請求書，import-export ' }).tags).toEqual(['team-invites', '請求書', 'import-export'])
		expect(questionSchema.parse({ title: 'Valid title', body: 'A valid body text', tags: ['Team Invites', 'sso'] }).tags).toEqual(['team-invites', 'sso'])
		await resetData()
		const { id } = await createQuestion(await person(), questionSchema.parse({ title: 'Inviting the whole team at once', body: 'Can I invite everyone from a CSV?', tags: 'Team Invites' }))
		expect((await getQuestionThread(id, null)).tags).toEqual(['team-invites'])
		expect((await listQuestions({ sort: 'newest', tag: 'team-invites', page: 1 })).items.map((q) => q.id)).toEqual([id])
	})

	it('rejects more than five tags', () => {
		expect(questionSchema.safeParse({ title: 'Valid title', body: 'A valid body text', tags: 'a, b, c, d, e, f' }).success).toBe(false)
	})
})
