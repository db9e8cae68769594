import { eq, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { answers, questions, users, votes } from '#db/schema'
import { freeHandle } from '~/auth/handles.server'
import { writeThread } from '~/community/threads.server'
import { demoQuestions, demoUsers } from './content'
import { seedDemoFaqs } from './faqs.server'
import { seedDemoInsights } from './insights.server'
import { seedDemoTutorials } from './tutorials.server'

const DAY = 24 * 60 * 60 * 1000

/**
 * Fills an empty site with the demo community so that a newcomer sees something
 * real. Demo people have no password: nobody can sign in as them, and none is an admin.
 */
export async function seedDemoContent(now = new Date()): Promise<boolean> {
	const [existing] = await db.select({ count: sql<number>`count(*)::int` }).from(questions)
	if ((existing?.count ?? 0) > 0) return false
	await db.transaction(async (tx) => {
		const idByKey = new Map<string, string>()
		for (const person of demoUsers) {
			const [known] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${person.email})`)
			const [created] = known
				? [known]
				: await tx
						.insert(users)
						.values({ id: crypto.randomUUID(), email: person.email, displayName: person.name, handle: await freeHandle(tx, person.name), role: person.role, emailVerifiedAt: now })
						.returning({ id: users.id })
			idByKey.set(person.key, created!.id)
		}
		const userId = (key: string) => {
			const id = idByKey.get(key)
			if (!id) throw new Error(`Demo content names an unknown person: ${key}`)
			return id
		}
		for (const demo of demoQuestions) {
			const askedAt = new Date(now.getTime() - demo.daysAgo * DAY)
			const thread = {
				authorId: userId(demo.author),
				title: demo.title,
				body: demo.body,
				tags: demo.tags,
				at: askedAt,
				answers: demo.answers.map((answer, position) => ({
					authorId: userId(answer.author),
					body: answer.body,
					at: new Date(askedAt.getTime() + answer.daysAfter * DAY + (position + 1) * 37 * 60 * 1000),
					accepted: answer.accepted,
				})),
				meToo: (demo.meToo ?? []).map(userId),
			}
			const { id: questionId, answerIds } = await writeThread(tx, thread)
			const acceptedAt = demo.answers.findIndex((answer) => answer.accepted)
			if (acceptedAt >= 0) {
				// The asker and those who had the same problem found the accepted answer useful.
				const answerId = answerIds[acceptedAt]!
				const voters = [demo.author, ...(demo.meToo ?? [])].filter((key) => key !== demo.answers[acceptedAt]!.author)
				for (const key of voters) await tx.insert(votes).values({ userId: userId(key), postType: 'answer', postId: answerId, value: 1 })
				await tx.update(answers).set({ score: voters.length }).where(eq(answers.id, answerId))
			}
			await tx
				.update(questions)
				.set({ viewCount: 3 + demo.answers.length * 7 + (demo.meToo?.length ?? 0) * 11 })
				.where(eq(questions.id, questionId))
		}
		await seedDemoFaqs(tx)
		await seedDemoTutorials(tx)
		await seedDemoInsights(tx, demoUsers.find((person) => person.role === 'cs')!.email, now)
	})
	return true
}
