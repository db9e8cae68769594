import { escapeLike } from '~/utils/like'
import { and, eq, like, notInArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Transaction } from '#db/client.server'
import { answers, faqCategories, faqRevisions, faqs, questions, tutorials, tutorialSteps, users } from '#db/schema'
import { enqueueIndexTask } from '#search/sync.server'
import { setQuestionTags } from '~/community/tags.server'
import { slugify } from '~/utils/urls'
import { questionSchema, tagsSchema } from '~/community/validation'
import { renderMarkdown, withinMarkdownLimits } from '~/markdown/markdown.server'
import { readInputFile } from '~/utils/files.server'
import { isoTimeSchema, safeParseInput } from '~/utils/input'

const SYSTEM_USER_ID = 'system'

const markdown = (what: string, max = 30_000) =>
	withinMarkdownLimits(z.string({ required_error: `${what} is required` }).trim().min(1, `${what} is empty`).max(max, `${what} can have at most ${max.toLocaleString('en')} characters`))
const externalId = z.string().trim().min(1).max(200).optional()
const isoDate = isoTimeSchema('createdAt')
	.transform((value) => new Date(value))
	.optional()

const importedQuestion = z.object({
	externalId,
	title: questionSchema.shape.title,
	body: markdown('body'),
	tags: tagsSchema,
	createdAt: isoDate,
	answers: z
		.array(z.object({ body: markdown('answer body'), accepted: z.boolean().optional(), createdAt: isoDate }))
		.max(500)
		.default([])
		.refine((list) => list.filter((a) => a.accepted).length <= 1, 'At most one answer can be accepted'),
})

const importedFaq = z.object({
	externalId,
	title: z.string().trim().min(3, 'title needs at least 3 characters').max(200, 'title can have at most 200 characters'),
	body: markdown('body'),
	category: z.string().trim().max(80).optional(),
	tags: tagsSchema,
	language: z.enum(['en', 'ja']).optional(),
	published: z.boolean().default(false),
})

const importedTutorial = z.object({
	externalId,
	title: z.string().trim().min(3, 'title needs at least 3 characters').max(200, 'title can have at most 200 characters'),
	summary: z.string().trim().max(2000).default(''),
	phase: z.enum(['onboarding', 'adoption', 'expansion'], { errorMap: () => ({ message: 'phase must be onboarding, adoption or expansion' }) }).default('onboarding'),
	estimatedMinutes: z.number().int().min(1).max(600).optional(),
	language: z.enum(['en', 'ja']).optional(),
	published: z.boolean().default(true),
	steps: z
		.array(z.object({ title: z.string().trim().min(1, 'step title is empty').max(120), body: markdown('step body', 20_000) }))
		.min(1, 'a tutorial needs at least one step')
		.max(30),
})

const importFile = z.object({
	questions: z.array(z.unknown()).default([]),
	faqs: z.array(z.unknown()).default([]),
	tutorials: z.array(z.unknown()).default([]),
})

export type ImportCounts = { created: number; updated: number; invalid: number }
export type ImportReport = {
	questions: ImportCounts
	faqs: ImportCounts
	tutorials: ImportCounts
	errors: Array<{ section: 'questions' | 'faqs' | 'tutorials'; index: number; reason: string }>
}

const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u
const languageOf = (text: string) => (JAPANESE.test(text) ? 'ja' : 'en')

/** Imported posts without an author belong to this account, which nobody can sign in as. */
async function systemUser(tx: Transaction) {
	await tx
		.insert(users)
		.values({ id: SYSTEM_USER_ID, email: 'system@kizuna.invalid', displayName: 'Kizuna import', role: 'member', isSystem: true })
		.onConflictDoNothing()
	return SYSTEM_USER_ID
}

async function importQuestion(tx: Transaction, item: z.infer<typeof importedQuestion>): Promise<'created' | 'updated'> {
	const authorId = await systemUser(tx)
	const createdAt = item.createdAt ?? new Date()
	const [existing] = item.externalId ? await tx.select({ id: questions.id }).from(questions).where(eq(questions.externalId, item.externalId)) : []
	const values = { title: item.title, body: item.body, bodyHtml: renderMarkdown(item.body), slug: slugify(item.title), createdAt, updatedAt: createdAt, lastActivityAt: createdAt }
	const questionId = existing
		? (await tx.update(questions).set(values).where(eq(questions.id, existing.id)).returning({ id: questions.id }))[0]!.id
		: (await tx.insert(questions).values({ ...values, authorId, externalId: item.externalId ?? null }).returning({ id: questions.id }))[0]!.id
	await setQuestionTags(tx, questionId, item.tags)

	// Answers are matched on re-import by position, through an external id derived from the question's.
	const answerKey = (i: number) => (item.externalId ? `${item.externalId}#answer-${i + 1}` : null)
	let acceptedId: number | null = null
	const keptKeys: string[] = []
	for (const [i, answer] of item.answers.entries()) {
		const key = answerKey(i)
		const answeredAt = answer.createdAt ?? new Date(createdAt.getTime() + (i + 1) * 60_000)
		const bodyHtml = renderMarkdown(answer.body)
		const [row] = key
			? await tx
					.insert(answers)
					.values({ questionId, authorId, body: answer.body, bodyHtml, externalId: key, createdAt: answeredAt, updatedAt: answeredAt })
					.onConflictDoUpdate({ target: answers.externalId, set: { body: answer.body, bodyHtml, updatedAt: answeredAt } })
					.returning({ id: answers.id })
			: await tx.insert(answers).values({ questionId, authorId, body: answer.body, bodyHtml, createdAt: answeredAt, updatedAt: answeredAt }).returning({ id: answers.id })
		if (key) keptKeys.push(key)
		if (answer.accepted) acceptedId = row!.id
	}
	if (item.externalId) {
		const stale = and(eq(answers.questionId, questionId), like(answers.externalId, `${escapeLike(item.externalId)}#answer-%`))
		await tx.delete(answers).where(keptKeys.length > 0 ? and(stale, notInArray(answers.externalId, keptKeys)) : stale)
	}
	await tx
		.update(questions)
		.set({
			answerCount: sql`(select count(*)::int from ${answers} where ${answers.questionId} = ${questionId})`,
			firstAnsweredAt: sql`(select min(${answers.createdAt}) from ${answers} where ${answers.questionId} = ${questionId})`,
			acceptedAnswerId: acceptedId ?? sql`(select ${answers.id} from ${answers} where ${answers.id} = ${questions.acceptedAnswerId})`,
		})
		.where(eq(questions.id, questionId))
	await enqueueIndexTask(tx, 'question', questionId)
	return existing ? 'updated' : 'created'
}

async function categoryId(tx: Transaction, name: string | undefined) {
	if (!name) return null
	await tx.insert(faqCategories).values({ name, slug: slugify(name) }).onConflictDoNothing()
	const [row] = await tx.select({ id: faqCategories.id }).from(faqCategories).where(eq(faqCategories.name, name))
	return row?.id ?? null
}

async function importFaq(tx: Transaction, item: z.infer<typeof importedFaq>): Promise<'created' | 'updated'> {
	const editorId = await systemUser(tx)
	const values = {
		title: item.title,
		body: item.body,
		bodyHtml: renderMarkdown(item.body),
		slug: slugify(item.title),
		categoryId: await categoryId(tx, item.category),
		tags: item.tags,
		language: item.language ?? languageOf(item.title),
		published: item.published,
		updatedAt: new Date(),
	}
	const [existing] = item.externalId ? await tx.select({ id: faqs.id, publishedAt: faqs.publishedAt }).from(faqs).where(eq(faqs.externalId, item.externalId)) : []
	const publishedAt = item.published ? (existing?.publishedAt ?? new Date()) : null
	const faqId = existing
		? (await tx.update(faqs).set({ ...values, publishedAt }).where(eq(faqs.id, existing.id)).returning({ id: faqs.id }))[0]!.id
		: (await tx.insert(faqs).values({ ...values, publishedAt, externalId: item.externalId ?? null, createdById: editorId }).returning({ id: faqs.id }))[0]!.id
	await tx.insert(faqRevisions).values({ faqId, editorId, title: values.title, body: values.body, categoryId: values.categoryId, tags: values.tags, language: values.language, published: values.published })
	await enqueueIndexTask(tx, 'faq', faqId)
	return existing ? 'updated' : 'created'
}

async function importTutorial(tx: Transaction, item: z.infer<typeof importedTutorial>): Promise<'created' | 'updated'> {
	const createdById = await systemUser(tx)
	const values = {
		title: item.title,
		slug: slugify(item.title),
		summary: item.summary,
		phase: item.phase,
		estimatedMinutes: item.estimatedMinutes ?? Math.max(1, item.steps.length * 2),
		language: item.language ?? languageOf(item.title),
		published: item.published,
		updatedAt: new Date(),
	}
	const [existing] = item.externalId ? await tx.select({ id: tutorials.id }).from(tutorials).where(eq(tutorials.externalId, item.externalId)) : []
	const tutorialId = existing
		? (await tx.update(tutorials).set(values).where(eq(tutorials.id, existing.id)).returning({ id: tutorials.id }))[0]!.id
		: (await tx.insert(tutorials).values({ ...values, externalId: item.externalId ?? null, createdById }).returning({ id: tutorials.id }))[0]!.id
	// Steps keep their rows by position so that people's progress survives a re-import.
	for (const [position, step] of item.steps.entries()) {
		const bodyHtml = renderMarkdown(step.body)
		await tx
			.insert(tutorialSteps)
			.values({ tutorialId, position, title: step.title, body: step.body, bodyHtml })
			.onConflictDoUpdate({ target: [tutorialSteps.tutorialId, tutorialSteps.position], set: { title: step.title, body: step.body, bodyHtml } })
	}
	await tx.delete(tutorialSteps).where(and(eq(tutorialSteps.tutorialId, tutorialId), sql`${tutorialSteps.position} >= ${item.steps.length}`))
	await enqueueIndexTask(tx, 'tutorial', tutorialId)
	return existing ? 'updated' : 'created'
}

const reasonOf = (error: z.ZodError) =>
	error.issues.map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`).join('; ')

/**
 * Loads questions (with answers), FAQs and tutorials. Each item is its own
 * transaction: an invalid item is reported by index and reason, and the valid ones
 * still load. Items with an externalId already imported are updated in place.
 */
export async function importContent(data: unknown): Promise<ImportReport> {
	const file = importFile.safeParse(data)
	if (!file.success) throw new Error(`The file is not a Kizuna import: ${reasonOf(file.error)}`)
	const report: ImportReport = {
		questions: { created: 0, updated: 0, invalid: 0 },
		faqs: { created: 0, updated: 0, invalid: 0 },
		tutorials: { created: 0, updated: 0, invalid: 0 },
		errors: [],
	}
	const sections = [
		['questions', importedQuestion, importQuestion],
		['faqs', importedFaq, importFaq],
		['tutorials', importedTutorial, importTutorial],
	] as const
	for (const [section, schema, load] of sections) {
		for (const [index, raw] of file.data[section].entries()) {
			const parsed = safeParseInput(schema, raw)
			if (!parsed.success) {
				report[section].invalid++
				report.errors.push({ section, index, reason: reasonOf(parsed.error) })
				continue
			}
			try {
				const outcome = await db.transaction((tx) => (load as (tx: Transaction, item: unknown) => Promise<'created' | 'updated'>)(tx, parsed.data))
				report[section][outcome]++
			} catch (error) {
				report[section].invalid++
				report.errors.push({ section, index, reason: error instanceof Error ? error.message : String(error) })
			}
		}
	}
	return report
}

export async function importFromFile(path: string): Promise<ImportReport> {
	const text = await readInputFile(path)
	let data: unknown
	try {
		data = JSON.parse(text)
	} catch (error) {
		throw new Error(`${path} is not valid JSON: ${(error as Error).message}`)
	}
	return importContent(data)
}
