import { eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { createQuestion, updateQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { recordEvent } from '../../app/insights/events.server'
import { discardJobs, listJobs, type QueuedJob } from '../../db/queue.server'
import { runPendingJobs, startWorker } from '../../app/jobs/worker.server'
import { enqueueWebhookEvent } from '../../app/webhooks/deliveries.server'
import { registerWebhook, webhookSchema } from '../../app/webhooks/webhooks.server'
import { db } from '../../db/client.server'
import { events, questions, users, webhookDeliveries } from '../../db/schema'
import { indexName, searchClient } from '../../search/client.server'
import { CONTENT_INDEX } from '../../search/settings'
import { enqueueIndexTask } from '../../search/sync.server'
import { person } from '../support/factories'
import { resetData } from '../support/reset'

const questionInput = (title: string, body = 'The export of a board stops after a thousand rows.') => questionSchema.parse({ title, body, tags: 'export' })

/** Everything a change leaves behind besides its own rows. */
async function sideEffects() {
	return {
		events: await db.select({ type: events.type }).from(events),
		indexJobs: (await listJobs('search-index')).map((job) => job.data),
		deliveryJobs: (await listJobs('webhook-delivery')).length,
		deliveries: (await db.select({ event: webhookDeliveries.event }).from(webhookDeliveries)).map((row) => row.event),
	}
}

/** Polls a job's state until `done` says so or the time is up (a worker running elsewhere in this process). */
async function stateWithin(queue: 'search-index', ms: number, done: (jobs: QueuedJob[]) => boolean) {
	const until = Date.now() + ms
	let jobs = await listJobs(queue)
	while (!done(jobs) && Date.now() < until) {
		await new Promise((resolve) => setTimeout(resolve, 50))
		jobs = await listJobs(queue)
	}
	return jobs.map((job) => job.state)
}

describe('the job queue and work after commit', () => {
	beforeEach(resetData)

	it('writes events, index jobs and webhook deliveries with the change, and none of them when it rolls back', async () => {
		const admin = await person('admin')
		await registerWebhook(admin, webhookSchema.parse({ url: 'http://127.0.0.1:9/kizuna', secret: 'a-shared-secret-of-32-characters', events: ['question.created'] }))
		const member = await person()
		const change = (fail: boolean) =>
			db.transaction(async (tx) => {
				await enqueueIndexTask(tx, 'question', 41)
				await enqueueWebhookEvent(tx, 'question.created', { question: { id: 41 } })
				await recordEvent(tx, { actor: member, visitorId: null }, { type: 'question_posted', targetType: 'question', targetId: 41 })
				if (fail) throw new Error('the change failed')
			})

		await expect(change(true)).rejects.toThrow('the change failed')
		expect(await sideEffects()).toEqual({ events: [], indexJobs: [], deliveryJobs: 0, deliveries: [] })
		const [seen] = await db.select({ lastSeenAt: users.lastSeenAt }).from(users).where(eq(users.id, member.id))
		expect(seen!.lastSeenAt).toBeNull()

		await change(false)
		expect(await sideEffects()).toEqual({ events: [{ type: 'question_posted' }], indexJobs: [{ type: 'question', id: 41 }], deliveryJobs: 1, deliveries: ['question.created'] })
	})

	it('leaves one index job for two quick edits of a document, and the index ends with the newest text', async () => {
		const asker = await person()
		const { id } = await createQuestion(asker, questionInput('Export stops after 1000 rows'))
		await runPendingJobs()
		await updateQuestion(asker, id, questionInput('Export stops after 2000 rows'))
		await updateQuestion(asker, id, questionInput('Export stops after 3000 rows', 'Still cut off, now at three thousand rows.'))
		expect((await listJobs('search-index')).filter((job) => job.state === 'created').map((job) => job.data)).toEqual([{ type: 'question', id }])

		expect(await runPendingJobs()).toMatchObject({ failed: [] })
		const document = await searchClient().index(indexName(CONTENT_INDEX)).getDocument(`question-${id}`)
		expect(document).toMatchObject({ title: 'Export stops after 3000 rows' })
		expect(document.body).toContain('three thousand')
	})

	it('does not let a worker take the waiting job of a document before the change that joined it commits', async () => {
		const asker = await person()
		const { id } = await createQuestion(asker, questionInput('Timeline export is slow'))
		// Only the index job is watched here: the question's notify job is not.
		await discardJobs('notify')
		let joined = () => {}
		let commit = () => {}
		const queued = new Promise<void>((resolve) => (joined = resolve))
		const committed = new Promise<void>((resolve) => (commit = resolve))
		const change = db.transaction(async (tx) => {
			await tx.update(questions).set({ title: 'Timeline export takes minutes' }).where(eq(questions.id, id))
			await enqueueIndexTask(tx, 'question', id)
			joined()
			await committed
		})
		// A worker running meanwhile would index the title as it was, and nothing would index the new one.
		await queued
		expect(await runPendingJobs()).toEqual({ completed: 0, failed: [] })
		commit()
		await change
		expect(await runPendingJobs()).toEqual({ completed: 1, failed: [] })
		expect(await searchClient().index(indexName(CONTENT_INDEX)).getDocument(`question-${id}`)).toMatchObject({ title: 'Timeline export takes minutes' })
	})

	it('runs jobs in a process with KIZUNA_ROLE=all, and not in one with KIZUNA_ROLE=web', async () => {
		const asker = await person()
		const { id } = await createQuestion(asker, questionInput('Gantt chart export is blank'))

		const web = await startWorker('web')
		expect(web).toBeNull()
		await enqueueIndexTask(db, 'question', id)
		const claimed = (jobs: QueuedJob[]) => jobs.some((job) => job.state !== 'created')
		// The same 3 s in which the worker below claims it.
		expect(await stateWithin('search-index', 3000, claimed)).toEqual(['created'])

		const worker = await startWorker('all')
		try {
			expect(await stateWithin('search-index', 3000, claimed)).not.toEqual(['created'])
			expect(await stateWithin('search-index', 30_000, (jobs) => jobs.every((job) => job.state === 'completed'))).toEqual(['completed'])
		} finally {
			await worker?.stop()
		}
		expect(await searchClient().index(indexName(CONTENT_INDEX)).getDocument(`question-${id}`)).toMatchObject({ title: 'Gantt chart export is blank' })
	})
})
