import { eq } from 'drizzle-orm'
import type { Queryable } from '#db/client.server'
import { accounts, answers, questions, users } from '#db/schema'
import { linkFromOutside } from '~/config.server'
import { questionUrl } from '~/utils/urls'
import { enqueueWhenSubscribed } from '~/webhooks/deliveries.server'
import { tagsOfQuestions } from './tags.server'

// Who wrote it, with the customer account a CS tool files it under.
const person = { id: users.id, displayName: users.displayName, accountExternalId: accounts.externalId }

async function questionData(tx: Queryable, questionId: number) {
	const [row] = await tx
		.select({ question: { id: questions.id, title: questions.title, slug: questions.slug, createdAt: questions.createdAt }, author: person })
		.from(questions)
		.innerJoin(users, eq(users.id, questions.authorId))
		.leftJoin(accounts, eq(accounts.id, users.accountId))
		.where(eq(questions.id, questionId))
	const { question, author } = row!
	const tags = (await tagsOfQuestions(tx, [questionId])).get(questionId) ?? []
	return { id: question.id, title: question.title, url: linkFromOutside(questionUrl(question)), tags, author, createdAt: question.createdAt.toISOString() }
}

async function answerData(tx: Queryable, question: { id: number; url: string }, answerId: number) {
	const [row] = await tx
		.select({ answer: { id: answers.id, createdAt: answers.createdAt }, author: person })
		.from(answers)
		.innerJoin(users, eq(users.id, answers.authorId))
		.leftJoin(accounts, eq(accounts.id, users.accountId))
		.where(eq(answers.id, answerId))
	const { answer, author } = row!
	return { id: answer.id, url: `${question.url}#answer-${answer.id}`, author, createdAt: answer.createdAt.toISOString() }
}

/** `question.created`: `{ question: { id, title, url, tags, author: { id, displayName, accountExternalId }, createdAt } }`. */
export function emitQuestionCreated(tx: Queryable, questionId: number) {
	return enqueueWhenSubscribed(tx, 'question.created', async () => ({ question: await questionData(tx, questionId) }))
}

/** `question.answered`: the question as in `question.created`, plus `answer: { id, url, author, createdAt }`. */
export function emitQuestionAnswered(tx: Queryable, questionId: number, answerId: number) {
	return enqueueWhenSubscribed(tx, 'question.answered', async () => {
		const question = await questionData(tx, questionId)
		return { question, answer: await answerData(tx, question, answerId) }
	})
}

/** `question.solved`: the question, plus the accepted `answer` in the same shape as `question.answered`. */
export function emitQuestionSolved(tx: Queryable, questionId: number, answerId: number) {
	return enqueueWhenSubscribed(tx, 'question.solved', async () => {
		const question = await questionData(tx, questionId)
		return { question, answer: await answerData(tx, question, answerId) }
	})
}
