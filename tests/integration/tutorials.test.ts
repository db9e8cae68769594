import { beforeEach, describe, expect, it } from 'vitest'
import { asc, eq } from 'drizzle-orm'
import { db } from '../../db/client.server'
import { tutorials, tutorialSteps } from '../../db/schema'
import { seedDemoTutorials, demoTutorials } from '../../app/demo/tutorials.server'
import { searchContent } from '../../search/query.server'
import { runPendingJobs } from '../../app/jobs/worker.server'
import {
	createTutorial,
	getTutorial,
	getTutorialForEdit,
	listTutorials,
	onboardingChecklist,
	onboardingCompletion,
	setStepDone,
	setTutorialPublished,
	updateTutorial,
} from '../../app/knowledge/tutorials.server'
import { tutorialFormSchema } from '../../app/components/tutorial-form'
import { tutorialSchema } from '../../app/knowledge/validation'
import { parseForm } from '../../app/utils/form'
import { person } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'

const anonymous = { userId: null, visitorId: 'test-visitor', record: false }
const search = (q: string) => searchContent({ q, limit: 10, type: 'tutorial' }, anonymous)

function tutorial(overrides: Partial<Record<string, unknown>> = {}) {
	return tutorialSchema.parse({
		title: 'Create your first board',
		summary: 'Set up a board for your team.',
		estimatedMinutes: '5',
		phase: 'onboarding',
		language: 'en',
		published: 'on',
		steps: [
			{ title: 'Create the board', body: 'Click **+ New board**.' },
			{ title: 'Add columns', body: 'Add *To do*, *Doing* and *Done*.' },
			{ title: 'Add tasks', body: 'Click **+ Add task**.' },
		],
		...overrides,
	})
}

async function stepIds(tutorialId: number) {
	const rows = await db.select({ id: tutorialSteps.id }).from(tutorialSteps).where(eq(tutorialSteps.tutorialId, tutorialId)).orderBy(asc(tutorialSteps.position))
	return rows.map((row) => row.id)
}

describe('tutorials', () => {
	beforeEach(resetData)

	it('lets staff write a tutorial with ordered Markdown steps', async () => {
		const cs = await person('cs')
		const created = await createTutorial(cs, tutorial())
		expect(created.url).toBe(`/tutorials/${created.id}/create-your-first-board`)
		const page = await getTutorial(created.id, null)
		expect(page.steps.map((s) => s.title)).toEqual(['Create the board', 'Add columns', 'Add tasks'])
		expect(page.steps[0]!.html).toContain('<strong>+ New board</strong>')
		expect(page.permissions).toEqual({ manage: false, progress: false })
		expect((await getTutorial(created.id, cs)).permissions.manage).toBe(true)
	})

	it('refuses writes from members (403) and anonymous visitors (401)', async () => {
		const member = await person()
		const cs = await person('cs')
		const { id } = await createTutorial(cs, tutorial())
		expect((await refusal(createTutorial(member, tutorial()))).status).toBe(403)
		expect((await refusal(updateTutorial(member, id, tutorial({ title: 'Hijacked' })))).status).toBe(403)
		expect((await refusal(setTutorialPublished(member, id, false))).status).toBe(403)
		expect((await refusal(getTutorialForEdit(member, id))).status).toBe(403)
		expect((await refusal(createTutorial(null, tutorial()))).status).toBe(401)
		expect((await refusal(setStepDone(null, id, (await stepIds(id))[0]!, true))).status).toBe(401)
	})

	it('keeps progress on the steps that still exist when staff change the steps', async () => {
		const cs = await person('cs')
		const learner = await person()
		const { id } = await createTutorial(cs, tutorial())
		const [first, second, third] = await stepIds(id)
		await setStepDone(learner, id, first!, true)
		await setStepDone(learner, id, third!, true)

		// Reword step 1, drop step 3: step 1 keeps its id and its check mark.
		await updateTutorial(cs, id, tutorial({ steps: [{ title: 'Create a board', body: 'Use **+ New board** in the sidebar.' }, { title: 'Add columns', body: 'Add *To do*, *Doing* and *Done*.' }] }))
		expect(await stepIds(id)).toEqual([first, second])
		let page = await getTutorial(id, learner)
		expect(page.steps.map((s) => [s.title, s.done])).toEqual([
			['Create a board', true],
			['Add columns', false],
		])

		// A new step at the end starts unchecked.
		await updateTutorial(cs, id, tutorial({ steps: [...tutorial().steps.slice(0, 2), { title: 'Invite the team', body: 'Share the board.' }] }))
		const ids = await stepIds(id)
		expect(ids.slice(0, 2)).toEqual([first, second])
		expect(ids[2]).not.toBe(third)
		page = await getTutorial(id, learner)
		expect(page.steps.map((s) => s.done)).toEqual([true, false, false])
		expect(page.steps[0]!.title).toBe('Create the board')
	})

	it('hides drafts from members and visitors, and from search', async () => {
		const cs = await person('cs')
		const member = await person()
		const { id } = await createTutorial(cs, tutorial({ title: 'Connect the calendar integration', published: undefined }))
		expect((await refusal(getTutorial(id, member))).status).toBe(404)
		expect((await refusal(getTutorial(id, null))).status).toBe(404)
		expect((await refusal(setStepDone(member, id, (await stepIds(id))[0]!, true))).status).toBe(404)
		expect((await getTutorial(id, cs)).published).toBe(false)
		expect(await listTutorials(member)).toEqual([])
		expect((await listTutorials(cs))[0]!.tutorials.map((t) => t.id)).toEqual([id])
		await runPendingJobs()
		expect((await search('calendar integration')).hits).toEqual([])

		await setTutorialPublished(cs, id, true)
		await runPendingJobs()
		expect((await search('calendar integration')).hits.map((h) => h.id)).toEqual([id])
		expect((await getTutorial(id, member)).published).toBe(true)

		await setTutorialPublished(cs, id, false)
		await runPendingJobs()
		expect((await search('calendar integration')).hits).toEqual([])
	})

	it('finds a published tutorial by the text of its steps, and by its new wording after an edit', async () => {
		const cs = await person('cs')
		const { id } = await createTutorial(cs, tutorial())
		await runPendingJobs()
		expect((await search('new board')).hits[0]).toMatchObject({ id, type: 'tutorial', url: `/tutorials/${id}/create-your-first-board` })
		await updateTutorial(cs, id, tutorial({ title: 'Start a Kanban board', steps: [{ title: 'Pick the Kanban template', body: 'Choose **Kanban** when you create the board.' }] }))
		await runPendingJobs()
		expect((await search('kanban template')).hits[0]).toMatchObject({ id, url: `/tutorials/${id}/start-a-kanban-board` })
	})

	it('keeps progress per person, and lets people un-check a step', async () => {
		const cs = await person('cs')
		const [ann, ben] = [await person(), await person()]
		const { id } = await createTutorial(cs, tutorial())
		const [first, second, third] = await stepIds(id)
		expect((await setStepDone(ann, id, first!, true)).progress).toEqual({ done: 1, total: 3, complete: false })
		expect((await setStepDone(ann, id, first!, true)).progress).toEqual({ done: 1, total: 3, complete: false })
		await setStepDone(ann, id, second!, true)
		expect((await setStepDone(ann, id, third!, true)).progress).toEqual({ done: 3, total: 3, complete: true })
		expect((await setStepDone(ann, id, second!, false)).progress).toEqual({ done: 2, total: 3, complete: false })
		expect((await getTutorial(id, ann)).steps.map((s) => s.done)).toEqual([true, false, true])
		expect((await getTutorial(id, ben)).steps.map((s) => s.done)).toEqual([false, false, false])
		expect((await listTutorials(ann))[0]!.tutorials[0]!.progress).toEqual({ done: 2, total: 3, complete: false })

		const other = await createTutorial(cs, tutorial({ title: 'Another tutorial' }))
		expect((await refusal(setStepDone(ann, other.id, first!, true))).status).toBe(404)
	})

	it('groups the list by phase, onboarding first, and orders the onboarding checklist', async () => {
		const cs = await person('cs')
		const learner = await person()
		const expansion = await createTutorial(cs, tutorial({ title: 'Roll out to more teams', phase: 'expansion' }))
		const second = await createTutorial(cs, tutorial({ title: 'Invite your team', position: '2' }))
		const first = await createTutorial(cs, tutorial({ title: 'Create your first board', position: '1' }))
		const adoption = await createTutorial(cs, tutorial({ title: 'Plan a sprint', phase: 'adoption' }))
		await createTutorial(cs, tutorial({ title: 'Draft onboarding', published: undefined }))
		const groups = await listTutorials(learner)
		expect(groups.map((g) => [g.phase, g.tutorials.map((t) => t.id)])).toEqual([
			['onboarding', [first.id, second.id]],
			['adoption', [adoption.id]],
			['expansion', [expansion.id]],
		])
		const checklist = await onboardingChecklist(learner.id)
		expect(checklist.map((item) => item.id)).toEqual([first.id, second.id])
	})

	it('counts the onboarding tutorials a person has finished', async () => {
		const cs = await person('cs')
		const learner = await person()
		const a = await createTutorial(cs, tutorial({ title: 'Create your first board' }))
		const b = await createTutorial(cs, tutorial({ title: 'Invite your team', steps: [{ title: 'Invite', body: 'Send invitations.' }] }))
		const adoption = await createTutorial(cs, tutorial({ title: 'Plan a sprint', phase: 'adoption', steps: [{ title: 'Plan', body: 'Open the timeline.' }] }))
		await createTutorial(cs, tutorial({ title: 'Draft onboarding', published: undefined }))
		expect(await onboardingCompletion(learner.id)).toEqual({ total: 2, completed: 0 })

		for (const stepId of (await stepIds(a.id)).slice(0, 2)) await setStepDone(learner, a.id, stepId, true)
		await setStepDone(learner, b.id, (await stepIds(b.id))[0]!, true)
		await setStepDone(learner, adoption.id, (await stepIds(adoption.id))[0]!, true)
		expect(await onboardingCompletion(learner.id)).toEqual({ total: 2, completed: 1 })

		await setStepDone(learner, a.id, (await stepIds(a.id))[2]!, true)
		expect(await onboardingCompletion(learner.id)).toEqual({ total: 2, completed: 2 })
		// A step added later means the tutorial is no longer finished.
		await updateTutorial(cs, a.id, tutorial({ steps: [...tutorial().steps, { title: 'Set due dates', body: 'Open a task.' }] }))
		expect(await onboardingCompletion(learner.id)).toEqual({ total: 2, completed: 1 })
		expect(await onboardingCompletion((await person()).id)).toEqual({ total: 2, completed: 0 })
	})

	it('seeds searchable demo tutorials in English and Japanese', async () => {
		await db.transaction((tx) => seedDemoTutorials(tx))
		const rows = await db.select().from(tutorials)
		expect(rows).toHaveLength(demoTutorials.length)
		expect(rows.filter((t) => t.phase === 'onboarding')).toHaveLength(5)
		expect(rows.filter((t) => t.language === 'ja').length).toBeGreaterThanOrEqual(2)
		expect(rows.every((t) => t.published)).toBe(true)
		await runPendingJobs()
		expect((await search('Slack')).hits.map((h) => h.title)).toContain('Slack と連携する')
	})
})

describe('tutorial input', () => {
	const form = (entries: Array<[string, string]>) => {
		const data = new FormData()
		for (const [key, value] of entries) data.append(key, value)
		return data
	}

	const fields = { title: 'Invite your team', summary: 'S', estimatedMinutes: '5', phase: 'adoption', language: 'ja' }

	it('reads the form\'s steps, posted as steps[i].title / steps[i].body, in index order', () => {
		const submission = parseForm(
			form([...Object.entries(fields), ['steps[1].title', 'Last'], ['steps[1].body', 'Body of last'], ['steps[0].title', 'First'], ['steps[0].body', 'Body of first']]),
			tutorialSchema,
		)
		expect(submission.status === 'success' ? submission.value : submission.error).toMatchObject({
			title: 'Invite your team',
			steps: [{ title: 'First', body: 'Body of first' }, { title: 'Last', body: 'Body of last' }],
		})
	})

	it('explains what is wrong, per step, on the field that has it', () => {
		const result = parseForm(
			form([['title', ''], ['summary', 'ok'], ['estimatedMinutes', '0'], ['phase', 'churn'], ['language', 'en'], ['steps[0].title', 'x'.repeat(121)], ['steps[0].body', ' ']]),
			tutorialSchema,
		)
		expect(result.status === 'error' ? result.error : null).toEqual({
			title: ['Enter a title'],
			estimatedMinutes: ['Enter the estimated time in minutes (1–600)'],
			phase: ['Choose a phase'],
			'steps[0].title': ['A step title can have at most 120 characters'],
			'steps[0].body': ['Describe what to do in this step'],
		})
		const none = parseForm(form(Object.entries(fields)), tutorialFormSchema)
		expect(none.status === 'error' ? none.error : null).toEqual({ steps: ['Add at least one step'] })
		const many = Array.from({ length: 31 }, (_, i) => ({ title: `Step ${i}`, body: 'Do it.' }))
		expect(tutorialSchema.safeParse({ title: 'T', summary: 'S', estimatedMinutes: 5, phase: 'adoption', language: 'ja', steps: many }).error!.issues[0]!.message).toBe(
			'A tutorial can have at most 30 steps',
		)
	})
})
