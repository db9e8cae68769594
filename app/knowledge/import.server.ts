import { and, eq, ne, or, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Transaction } from '#db/client.server'
import { faqRevisions, faqs, tutorials, tutorialSteps, users } from '#db/schema'
import { enqueueIndexTask } from '#search/sync.server'
import { writeThread } from '~/community/threads.server'
import { slugify } from '~/utils/urls'
import { answerSchema, questionSchema } from '~/community/validation'
import { renderMarkdown } from '~/markdown/markdown.server'
import { readInputFile } from '~/utils/files.server'
import { isoTimeSchema, safeParseInput } from '~/utils/input'
import { IMPORT_EXTERNAL_ID, detectLanguage, type ContentLanguage } from '~/utils/limits'
import { categoryIdForName } from './faq-categories.server'
import { faqSchema, tutorialSchema } from './validation'
import { assertLanguageFree, groupIdOf } from './translations.server'

const SYSTEM_USER_ID = 'system'

const externalId = z.string().trim().min(1).max(IMPORT_EXTERNAL_ID).optional()
const createdAt = isoTimeSchema('createdAt')
	.transform((value) => new Date(value))
	.optional()

// Each imported item is what its edit form accepts, plus what only an import says
// (its externalId, dates, whether it is published) and defaults for what the form
// asks but an export may lack: so imported content always opens and saves in its
// edit form, and the import refuses what the form refuses, naming the field.

const importedQuestion = questionSchema.extend({
	externalId,
	createdAt,
	answers: z
		.array(answerSchema.extend({ accepted: z.boolean().optional(), createdAt }))
		.max(500)
		.default([])
		.refine((list) => list.filter((a) => a.accepted).length <= 1, 'At most one answer can be accepted'),
})

/** The externalId of the article this one translates (imported before it, or earlier in the same file). */
const translationOf = z.string().trim().min(1).max(IMPORT_EXTERNAL_ID).optional()

const importedFaq = faqSchema.extend({
	externalId,
	translationOf,
	language: faqSchema.shape.language.optional(),
	published: z.boolean().default(false),
})

const importedTutorial = tutorialSchema.omit({ position: true }).extend({
	externalId,
	translationOf,
	phase: tutorialSchema.shape.phase.default('onboarding'),
	estimatedMinutes: tutorialSchema.shape.estimatedMinutes.optional(),
	language: tutorialSchema.shape.language.optional(),
	published: z.boolean().default(true),
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

/** Imported posts without an author belong to this account, which nobody can sign in as. */
async function systemUser(tx: Transaction) {
	await tx
		.insert(users)
		.values({ id: SYSTEM_USER_ID, email: 'system@kizuna.invalid', displayName: 'Kizuna import', handle: 'kizuna-import', role: 'member', isSystem: true, emailVerifiedAt: new Date() })
		.onConflictDoNothing()
	return SYSTEM_USER_ID
}

async function importQuestion(tx: Transaction, item: z.infer<typeof importedQuestion>): Promise<'created' | 'updated'> {
	const authorId = await systemUser(tx)
	const askedAt = item.createdAt ?? new Date()
	const { created } = await writeThread(tx, {
		authorId,
		title: item.title,
		body: item.body,
		tags: item.tags,
		language: item.language,
		at: askedAt,
		externalId: item.externalId ?? null,
		answers: item.answers.map((answer, i) => ({
			authorId,
			body: answer.body,
			// Without dates, answers follow the question a minute apart, in the file's order.
			at: answer.createdAt ?? new Date(askedAt.getTime() + (i + 1) * 60_000),
			accepted: answer.accepted,
		})),
	})
	return created ? 'created' : 'updated'
}

/**
 * The group (the original's id) an imported article belongs to, checked: the original
 * exists and is another article, this one has no translations of its own, and no other
 * version of the group is in this language (the check every language write shares).
 */
async function translationGroupFor(
	tx: Transaction,
	kind: 'faq' | 'tutorial',
	item: { externalId?: string; translationOf?: string },
	language: ContentLanguage,
	existing: { id: number; translationOfId: number | null } | undefined,
): Promise<number | null> {
	const table = kind === 'faq' ? faqs : tutorials
	const name = kind === 'faq' ? 'FAQ' : 'tutorial'
	const selfId = existing?.id ?? null
	if (!item.translationOf) {
		// An update keeps its group, and must not take a language another version of it has.
		if (existing) await assertLanguageFree(tx, kind, groupIdOf(existing), language, existing.id)
		return null
	}
	if (item.translationOf === item.externalId) throw new Error('translationOf: an article cannot be a translation of itself')
	const [original] = await tx.select().from(table).where(eq(table.externalId, item.translationOf))
	if (!original) throw new Error(`translationOf: no ${name} with the externalId "${item.translationOf}" (import the original first, or earlier in the file)`)
	const groupId = groupIdOf(original)
	if (groupId === selfId) throw new Error(`translationOf: "${item.translationOf}" is a translation of this ${name}`)
	const [own] = selfId === null ? [] : await tx.select({ id: table.id }).from(table).where(eq(table.translationOfId, selfId)).limit(1)
	if (own) throw new Error(`translationOf: this ${name} has translations of its own`)
	await assertLanguageFree(tx, kind, groupId, language, selfId)
	return groupId
}

async function importFaq(tx: Transaction, item: z.infer<typeof importedFaq>): Promise<'created' | 'updated'> {
	const editorId = await systemUser(tx)
	const values = {
		title: item.title,
		body: item.body,
		bodyHtml: renderMarkdown(item.body),
		slug: slugify(item.title),
		categoryId: await categoryIdForName(tx, item.category),
		tags: item.tags,
		language: item.language ?? detectLanguage(item.title),
		published: item.published,
		updatedAt: new Date(),
	}
	const [existing] = item.externalId ? await tx.select({ id: faqs.id, publishedAt: faqs.publishedAt, translationOfId: faqs.translationOfId }).from(faqs).where(eq(faqs.externalId, item.externalId)) : []
	const publishedAt = item.published ? (existing?.publishedAt ?? new Date()) : null
	const translationOfId = await translationGroupFor(tx, 'faq', item, values.language, existing)
	const faqId = existing
		? (await tx.update(faqs).set({ ...values, publishedAt, ...(translationOfId === null ? {} : { translationOfId }) }).where(eq(faqs.id, existing.id)).returning({ id: faqs.id }))[0]!.id
		: (await tx.insert(faqs).values({ ...values, publishedAt, translationOfId, externalId: item.externalId ?? null, createdById: editorId }).returning({ id: faqs.id }))[0]!.id
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
		// Two minutes a step when the export does not say: the form needs an estimate.
		estimatedMinutes: item.estimatedMinutes ?? Math.max(1, item.steps.length * 2),
		language: item.language ?? detectLanguage(item.title),
		published: item.published,
		updatedAt: new Date(),
	}
	const [existing] = item.externalId ? await tx.select({ id: tutorials.id, translationOfId: tutorials.translationOfId }).from(tutorials).where(eq(tutorials.externalId, item.externalId)) : []
	const translationOfId = await translationGroupFor(tx, 'tutorial', item, values.language, existing)
	const tutorialId = existing
		? (await tx.update(tutorials).set({ ...values, ...(translationOfId === null ? {} : { translationOfId }) }).where(eq(tutorials.id, existing.id)).returning({ id: tutorials.id }))[0]!.id
		: (await tx.insert(tutorials).values({ ...values, translationOfId, externalId: item.externalId ?? null, createdById }).returning({ id: tutorials.id }))[0]!.id
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
