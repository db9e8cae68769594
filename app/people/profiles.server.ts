import { and, count, desc, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '#db/client.server'
import { answers, questions, users } from '#db/schema'
import { notFound } from '~/utils/errors.server'
import { pageInfo, pageOf } from '~/utils/paging'
import { answerUrl, questionUrl } from '~/utils/urls'

const PROFILE_PAGE = 20
// People's ids are UUIDs; imported posts belong to the import's own account, `system`, whose byline links here too.
const userId = z.string().max(64).regex(/^[A-Za-z0-9_-]+$/)

/**
 * A person's public profile: what others already see on their posts (name,
 * handle, role) and their questions and answers, paged. Never the email or
 * anything else only the person sees.
 */
export async function getProfile(id: string, pages: { questions: number; answers: number }) {
	if (!userId.safeParse(id).success) throw notFound('Person')
	const [person] = await db
		.select({ id: users.id, displayName: users.displayName, handle: users.handle, role: users.role, memberSince: users.createdAt })
		.from(users)
		.where(eq(users.id, id))
	if (!person) throw notFound('Person')
	// A profile is public: it lists what everyone sees (moderation cannot be imported here, people sits below it).
	const shown = and(eq(answers.state, 'visible'), eq(questions.state, 'visible'))
	const [questionTotal] = await db.select({ n: count() }).from(questions).where(and(eq(questions.authorId, id), eq(questions.state, 'visible')))
	const [answerTotals] = await db
		.select({ n: count(), accepted: sql<number>`count(*) filter (where ${questions.acceptedAnswerId} = ${answers.id})::int` })
		.from(answers)
		.innerJoin(questions, eq(questions.id, answers.questionId))
		.where(and(eq(answers.authorId, id), shown))
	const questionPage = pageOf(pages.questions, questionTotal?.n ?? 0, PROFILE_PAGE)
	const answerPage = pageOf(pages.answers, answerTotals?.n ?? 0, PROFILE_PAGE)
	const questionRows = await db
		.select({ id: questions.id, slug: questions.slug, title: questions.title, createdAt: questions.createdAt, score: questions.score, answerCount: questions.answerCount, solved: sql<boolean>`exists (select 1 from ${answers} a where a.id = ${questions.acceptedAnswerId} and a.state = 'visible')` })
		.from(questions)
		.where(and(eq(questions.authorId, id), eq(questions.state, 'visible')))
		.orderBy(desc(questions.createdAt), desc(questions.id))
		.limit(questionPage.limit)
		.offset(questionPage.offset)
	const answerRows = await db
		.select({ id: answers.id, questionId: questions.id, slug: questions.slug, title: questions.title, createdAt: answers.createdAt, score: answers.score, accepted: sql<boolean>`${questions.acceptedAnswerId} = ${answers.id}` })
		.from(answers)
		.innerJoin(questions, and(eq(questions.id, answers.questionId)))
		.where(and(eq(answers.authorId, id), shown))
		.orderBy(desc(answers.createdAt), desc(answers.id))
		.limit(answerPage.limit)
		.offset(answerPage.offset)
	return {
		...person,
		memberSince: person.memberSince.toISOString(),
		acceptedAnswers: answerTotals?.accepted ?? 0,
		questions: {
			...pageInfo(questionPage),
			items: questionRows.map((q) => ({ id: q.id, title: q.title, url: questionUrl(q), createdAt: q.createdAt.toISOString(), score: q.score, answerCount: q.answerCount, solved: Boolean(q.solved) })),
		},
		answers: {
			...pageInfo(answerPage),
			items: answerRows.map((a) => ({ id: a.id, questionTitle: a.title, url: answerUrl({ id: a.questionId, slug: a.slug }, a.id), createdAt: a.createdAt.toISOString(), score: a.score, accepted: Boolean(a.accepted) })),
		},
	}
}
