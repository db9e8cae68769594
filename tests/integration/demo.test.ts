import { beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { db } from '../../db/client.server'
import { questions, users } from '../../db/schema'
import { seedDemoContent } from '../../app/demo/seed.server'
import { demoQuestions } from '../../app/demo/content'
import { listQuestions } from '../../app/community/questions.server'
import { signUp } from '../../app/auth/users.server'
import { resetData } from '../support/reset'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { accountRows, summary } from '../../app/insights/metrics.server'
import { resolveRange } from '../../app/insights/range.server'

describe('demo content', () => {
	beforeEach(resetData)

	it('fills an empty site once, in English and Japanese, without an admin', async () => {
		expect(await seedDemoContent()).toBe(true)
		expect(await seedDemoContent()).toBe(false)
		const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(questions)
		expect(count!.n).toBe(demoQuestions.length)
		const admins = await db.select().from(users).where(sql`${users.role} = 'admin'`)
		expect(admins).toHaveLength(0)
		const titles = (await listQuestions({ sort: 'newest', page: 1, pageSize: 100 })).items.map((q) => q.title)
		expect(titles.some((t) => /[ぁ-んァ-ン]/.test(t))).toBe(true)
		expect(titles.some((t) => /^[\x20-\x7e]+$/.test(t))).toBe(true)
		expect((await listQuestions({ sort: 'unanswered', page: 1 })).total).toBeGreaterThan(0)
		expect((await listQuestions({ sort: 'solved', page: 1 })).total).toBeGreaterThan(0)
	})

	it('gives the insights pages customer accounts and three weeks of activity to show', async () => {
		await seedDemoContent()
		// The recurring jobs too: they build the help journeys.
		await runPendingJobs({ recurring: true })
		const range = await resolveRange({})
		const accounts = await accountRows(range)
		expect(accounts).toHaveLength(6)
		expect(accounts.every((account) => account.members === 1 && account.journeys > 0 && account.csm !== null)).toBe(true)
		const figures = await summary(range)
		// A believable mix: most searches find something, some journeys end without an answer.
		expect(figures.selfResolved).toBeGreaterThan(0)
		expect(figures.selfResolved).toBeLessThan(figures.journeys)
		expect(figures.zeroResultSearches).toBeGreaterThan(0)
		expect(figures.zeroResultSearches).toBeLessThan(figures.searches / 2)
		expect(figures.deflections).toBeLessThan(figures.journeys / 2)
		expect(figures.questionsAnswered).toBeGreaterThan(0)
		expect(figures.medianFirstAnswerMinutes).not.toBeNull()
	})

	it('leaves the first real sign-up to become admin', async () => {
		await seedDemoContent()
		expect((await signUp({ email: 'owner@example.test', password: 'password-1', displayName: 'Owner' })).role).toBe('admin')
	})
})
