import { sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { answers, meToos, questions, revisions, users, votes } from '#db/schema'
import { enqueueIndexTask } from '#search/sync.server'
import { setQuestionTags } from '~/community/tags.server'
import { slugify } from '~/utils/urls'
import { renderMarkdown } from '~/markdown/markdown.server'
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
						.values({ id: crypto.randomUUID(), email: person.email, displayName: person.name, role: person.role })
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
			const [question] = await tx
				.insert(questions)
				.values({
					authorId: userId(demo.author),
					title: demo.title,
					body: demo.body,
					bodyHtml: renderMarkdown(demo.body),
					slug: slugify(demo.title),
					createdAt: askedAt,
					updatedAt: askedAt,
					lastActivityAt: askedAt,
					answerCount: demo.answers.length,
					meTooCount: demo.meToo?.length ?? 0,
					frequency: 1 + (demo.meToo?.length ?? 0),
					viewCount: 3 + demo.answers.length * 7 + (demo.meToo?.length ?? 0) * 11,
				})
				.returning({ id: questions.id })
			const questionId = question!.id
			await setQuestionTags(tx, questionId, demo.tags)
			await tx.insert(revisions).values({ postType: 'question', postId: questionId, editorId: userId(demo.author), title: demo.title, body: demo.body, tags: demo.tags, createdAt: askedAt })
			let lastActivity = askedAt
			for (const [position, demoAnswer] of demo.answers.entries()) {
				const answeredAt = new Date(askedAt.getTime() + demoAnswer.daysAfter * DAY + (position + 1) * 37 * 60 * 1000)
				lastActivity = answeredAt > lastActivity ? answeredAt : lastActivity
				const [answer] = await tx
					.insert(answers)
					.values({ questionId, authorId: userId(demoAnswer.author), body: demoAnswer.body, bodyHtml: renderMarkdown(demoAnswer.body), createdAt: answeredAt, updatedAt: answeredAt })
					.returning({ id: answers.id })
				await tx.insert(revisions).values({ postType: 'answer', postId: answer!.id, editorId: userId(demoAnswer.author), body: demoAnswer.body, createdAt: answeredAt })
				if (demoAnswer.accepted) {
					await tx.update(questions).set({ acceptedAnswerId: answer!.id }).where(sql`${questions.id} = ${questionId}`)
					// The asker and those who had the same problem found it useful.
					const voters = [demo.author, ...(demo.meToo ?? [])].filter((key) => key !== demoAnswer.author)
					for (const key of voters) await tx.insert(votes).values({ userId: userId(key), postType: 'answer', postId: answer!.id, value: 1 })
					await tx.update(answers).set({ score: voters.length }).where(sql`${answers.id} = ${answer!.id}`)
				}
			}
			await tx
				.update(questions)
				.set({ lastActivityAt: lastActivity, firstAnsweredAt: sql`(select min(${answers.createdAt}) from ${answers} where ${answers.questionId} = ${questionId})` })
				.where(sql`${questions.id} = ${questionId}`)
			for (const key of demo.meToo ?? []) {
				await tx.insert(meToos).values({ questionId, userId: userId(key), createdAt: askedAt })
			}
			await enqueueIndexTask(tx, 'question', questionId)
		}
		await seedDemoFaqs(tx)
		await seedDemoTutorials(tx)
		await seedDemoInsights(tx, demoUsers.find((person) => person.role === 'cs')!.email, now)
	})
	return true
}
