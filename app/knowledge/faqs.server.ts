import { and, asc, desc, eq, sql } from 'drizzle-orm'
import { announceChange } from '#db/changes.server'
import { db, type Queryable } from '#db/client.server'
import { sharedRead } from '#db/shared-reads.server'
import { answers, faqCategories, faqs, questions } from '#db/schema'
import { enqueueIndexTask } from '#search/sync.server'
import { recordContentView, type EventActor } from '~/insights/events.server'
import { authorize, can, type Actor } from '~/auth/permissions.server'
import { duplicatesOf } from '~/community/duplicates.server'
import { tagsOfQuestions } from '~/community/tags.server'
import { faqUrl, questionUrl, slugify } from '~/utils/urls'
import { renderMarkdown, storedHtml } from '~/markdown/markdown.server'
import { DomainError, notFound } from '~/utils/errors.server'
import type { ContentLanguage } from '~/utils/limits'
import { categoryIdForName, categoryUrl, faqsInCategory, findCategoryBySlug, listCategories, localizedCategories, localizedCategoryName, reorder, type Direction } from './faq-categories.server'
import { inScope, type LanguageScope } from '~/utils/content-language'
import { assertLanguageFree, groupIdOf, translationGroup, translationTarget, translationsOf } from './translations.server'
import { faqRevisionById, insertFaqRevision } from './faq-revisions.server'
import { notifyLater } from '~/notifications/triggers.server'
import type { FaqInput } from './validation'

type Faq = typeof faqs.$inferSelect
type FaqContent = { title: string; body: string; categoryId: number | null; tags: string[]; language: ContentLanguage }

async function findFaq(tx: Queryable, id: number, options: { lock?: boolean } = {}): Promise<Faq> {
	const query = tx.select().from(faqs).where(eq(faqs.id, id))
	const [faq] = options.lock ? await query.for('update') : await query
	if (!faq) throw notFound('FAQ')
	return faq
}

async function nextPosition(tx: Queryable, categoryId: number | null) {
	const siblings = await faqsInCategory(tx, categoryId)
	return siblings.reduce((max, faq) => Math.max(max, faq.position), -1) + 1
}

async function insertFaq(tx: Queryable, actor: Actor, content: FaqContent, sourceQuestionId: number | null = null) {
	const [faq] = await tx
		.insert(faqs)
		.values({
			...content,
			bodyHtml: renderMarkdown(content.body),
			slug: slugify(content.title),
			position: await nextPosition(tx, content.categoryId),
			sourceQuestionId,
			createdById: actor.id,
		})
		.returning()
	await insertFaqRevision(tx, faq!, actor.id)
	// A draft has no search document; the task keeps the index right whatever the state.
	await enqueueIndexTask(tx, 'faq', faq!.id)
	return faq!
}

/** New FAQs start as drafts: only staff see them until they are published. */
export async function createFaq(actor: Actor | null, input: FaqInput) {
	authorize(actor, 'knowledge:manage')
	return db.transaction(async (tx) => {
		const categoryId = await categoryIdForName(tx, input.category)
		const faq = await insertFaq(tx, actor, { title: input.title, body: input.body, categoryId, tags: input.tags, language: input.language })
		return { id: faq.id, url: faqUrl(faq) }
	})
}

async function applyContent(tx: Queryable, actor: Actor, faq: Faq, content: FaqContent) {
	if (content.language !== faq.language) await assertLanguageFree(tx, 'faq', groupIdOf(faq), content.language, faq.id)
	// Moving to another category puts the FAQ at the end of that category.
	const position = content.categoryId === faq.categoryId ? faq.position : await nextPosition(tx, content.categoryId)
	const [updated] = await tx
		.update(faqs)
		.set({ ...content, bodyHtml: renderMarkdown(content.body), slug: slugify(content.title), position, updatedAt: new Date() })
		.where(eq(faqs.id, faq.id))
		.returning()
	await insertFaqRevision(tx, updated!, actor.id)
	await enqueueIndexTask(tx, 'faq', faq.id)
	return { id: faq.id, url: faqUrl(updated!) }
}

export async function updateFaq(actor: Actor | null, id: number, input: FaqInput) {
	authorize(actor, 'knowledge:manage')
	return db.transaction(async (tx) => {
		const faq = await findFaq(tx, id, { lock: true })
		const categoryId = await categoryIdForName(tx, input.category)
		return applyContent(tx, actor, faq, { title: input.title, body: input.body, categoryId, tags: input.tags, language: input.language })
	})
}

/** Brings back an older revision's content as a new revision; whether the FAQ is published stays as it is. */
export async function restoreFaqRevision(actor: Actor | null, id: number, revisionId: number) {
	authorize(actor, 'knowledge:manage')
	return db.transaction(async (tx) => {
		const faq = await findFaq(tx, id, { lock: true })
		const revision = await faqRevisionById(tx, id, revisionId)
		const [category] = revision.categoryId === null ? [] : await tx.select({ id: faqCategories.id }).from(faqCategories).where(eq(faqCategories.id, revision.categoryId))
		return applyContent(tx, actor, faq, {
			title: revision.title,
			body: revision.body,
			categoryId: category?.id ?? null,
			tags: revision.tags,
			language: revision.language,
		})
	})
}

export async function setFaqPublished(actor: Actor | null, id: number, published: boolean) {
	authorize(actor, 'knowledge:manage')
	return db.transaction(async (tx) => {
		const faq = await findFaq(tx, id, { lock: true })
		if (faq.published === published) return { id, url: faqUrl(faq), published }
		const [updated] = await tx
			.update(faqs)
			.set({ published, publishedAt: published ? new Date() : faq.publishedAt, updatedAt: new Date() })
			.where(eq(faqs.id, id))
			.returning()
		await insertFaqRevision(tx, updated!, actor.id)
		await enqueueIndexTask(tx, 'faq', id)
		// The asker hears of it once, when the FAQ first goes out, not each time it is unpublished and published again.
		if (published && faq.publishedAt === null && faq.sourceQuestionId !== null) await notifyLater(tx, 'faq', id, actor.id)
		return { id, url: faqUrl(updated!), published }
	})
}

/** Moves an FAQ one place up or down within its category. */
export async function moveFaq(actor: Actor | null, id: number, direction: Direction) {
	authorize(actor, 'knowledge:manage')
	await db.transaction(async (tx) => {
		const faq = await findFaq(tx, id)
		const order = reorder(await faqsInCategory(tx, faq.categoryId), id, direction)!
		for (const { id: faqId, position } of order) {
			await tx.update(faqs).set({ position }).where(and(eq(faqs.id, faqId), sql`${faqs.position} <> ${position}`))
		}
		await announceChange(tx, 'pages')
	})
}

const visibleTo = (faq: Pick<Faq, 'published'>, viewer: Actor | null) => faq.published || can(viewer, 'knowledge:manage')

/**
 * "Translate to …": a draft in the other language, prefilled with the original's text
 * for staff to translate, and linked to it. Asking again opens the version that exists.
 */
export async function createFaqTranslation(actor: Actor | null, id: number, language: ContentLanguage) {
	authorize(actor, 'knowledge:manage')
	return db.transaction(async (tx) => {
		const target = await translationTarget(tx, 'faq', id, language)
		if (target.existing) return { ...target.existing, created: false }
		const source = await findFaq(tx, id)
		const faq = await insertFaq(tx, actor, { title: source.title, body: source.body, categoryId: source.categoryId, tags: source.tags, language })
		await tx.update(faqs).set({ translationOfId: target.groupId }).where(eq(faqs.id, faq.id))
		return { id: faq.id, url: faqUrl(faq), created: true }
	})
}

/** The FAQ page; a draft is "not found" for anyone but staff. `reader`: the UI language, for the category's name. */
export async function getFaqPage(id: number, viewer: Actor | null, reader: ContentLanguage = 'en') {
	const [row] = await db
		.select({ faq: faqs, category: { name: faqCategories.name, slug: faqCategories.slug } })
		.from(faqs)
		.leftJoin(faqCategories, eq(faqCategories.id, faqs.categoryId))
		.where(eq(faqs.id, id))
	if (!row || !visibleTo(row.faq, viewer)) throw notFound('FAQ')
	const { faq, category } = row
	const manage = can(viewer, 'knowledge:manage')
	const duplicates = await duplicatesOf({ type: 'faq', id })
	const [source] =
		manage && faq.sourceQuestionId !== null
			? await db.select({ id: questions.id, title: questions.title, slug: questions.slug }).from(questions).where(eq(questions.id, faq.sourceQuestionId))
			: []
	const categoryName = faq.categoryId === null ? null : await localizedCategoryName(faq.categoryId, reader)
	return {
		id: faq.id,
		title: faq.title,
		slug: faq.slug,
		url: faqUrl(faq),
		bodyHtml: storedHtml(faq),
		tags: faq.tags,
		language: faq.language,
		published: faq.published,
		category: category ? { name: categoryName ?? category.name, url: categoryUrl(category) } : null,
		translations: await translationsOf('faq', id),
		group: manage ? await translationGroup('faq', id) : [],
		frequency: faq.frequency,
		views: faq.viewCount + duplicates.views,
		duplicates: duplicates.items,
		updatedAt: faq.updatedAt.toISOString(),
		source: source ? { title: source.title, url: questionUrl(source) } : null,
		permissions: { manage },
	}
}
export type FaqPage = Awaited<ReturnType<typeof getFaqPage>>

export async function recordFaqView(id: number, viewer: EventActor, options: { fromAskForm?: boolean } = {}) {
	await recordContentView(viewer, { type: 'faq', id }, options)
	await db.update(faqs).set({ viewCount: sql`${faqs.viewCount} + 1` }).where(eq(faqs.id, id))
}

export async function getFaqForEdit(actor: Actor | null, id: number) {
	authorize(actor, 'knowledge:manage')
	const [row] = await db
		.select({ faq: faqs, category: faqCategories.name })
		.from(faqs)
		.leftJoin(faqCategories, eq(faqCategories.id, faqs.categoryId))
		.where(eq(faqs.id, id))
	if (!row) throw notFound('FAQ')
	const { faq, category } = row
	return { id: faq.id, url: faqUrl(faq), title: faq.title, body: faq.body, category: category ?? '', tags: faq.tags.join(', '), language: faq.language, published: faq.published }
}

/** Names of the existing categories, for the FAQ form's suggestions. */
export async function categoryNames() {
	return (await listCategories()).map((c) => c.name)
}

type FaqListItem = { id: number; title: string; url: string; published: boolean; language: ContentLanguage }
const listItem = (faq: Faq): FaqListItem => ({ id: faq.id, title: faq.title, url: faqUrl(faq), published: faq.published, language: faq.language })

/** Who reads a list: category names in `reader` (the UI language), FAQs in `languages`. */
export type ReaderOptions = { reader: ContentLanguage; languages: LanguageScope }
const everyLanguage: ReaderOptions = { reader: 'en', languages: { language: null, all: true } }

/**
 * Categories in order with their FAQs in order, in the reader's languages. Staff
 * see drafts and empty categories too; FAQs without a category come last, as their own group.
 */
export async function faqOverview(viewer: Actor | null, options: ReaderOptions = everyLanguage) {
	const manage = can(viewer, 'knowledge:manage')
	const categories = await localizedCategories(options.reader)
	const all = await db.select().from(faqs).orderBy(asc(faqs.position), asc(faqs.id))
	const visible = inScope(all.filter((faq) => visibleTo(faq, viewer)), options.languages)
	const groups = [
		...categories.map((category) => ({
			category: {
				id: category.id,
				name: category.name,
				description: category.description,
				url: categoryUrl(category),
				own: { name: category.baseName, description: category.baseDescription },
				translations: category.translations,
			},
			faqs: visible.filter((faq) => faq.categoryId === category.id).map(listItem),
		})),
		{ category: null, faqs: visible.filter((faq) => faq.categoryId === null).map(listItem) },
	]
	return {
		groups: groups.filter((group) => group.faqs.length > 0 || (manage && group.category !== null)),
		permissions: { manage },
	}
}

export async function faqCategoryPage(slug: string, viewer: Actor | null, options: ReaderOptions = everyLanguage) {
	const category = await findCategoryBySlug(slug)
	const localized = (await localizedCategories(options.reader)).find((c) => c.id === category.id) ?? category
	const items = inScope((await faqsInCategory(db, category.id)).filter((faq) => visibleTo(faq, viewer)), options.languages)
	return {
		category: { name: localized.name, description: localized.description, url: categoryUrl(category) },
		faqs: items.map(listItem),
		permissions: { manage: can(viewer, 'knowledge:manage') },
	}
}

/**
 * The help-center home's knowledge base: categories (named in the reader's language,
 * with how many published FAQs they hold in the languages shown), the most asked
 * and the newest published FAQs.
 */
export async function faqHighlights(options: ReaderOptions & { limit: number }) {
	// The same for every reader of these languages: shared, rather than reading every published FAQ's row on each home page view.
	const key = `${options.reader}:${options.languages.language ?? ''}:${options.languages.all}:${options.limit}`
	return sharedRead('faqHighlights', key, () => readFaqHighlights(options))
}

async function readFaqHighlights(options: ReaderOptions & { limit: number }) {
	const published = inScope(await db.select().from(faqs).where(eq(faqs.published, true)).orderBy(desc(faqs.frequency), desc(faqs.viewCount), asc(faqs.id)), options.languages)
	const categories = (await localizedCategories(options.reader))
		.map((category) => ({ id: category.id, name: category.name, description: category.description, url: categoryUrl(category), count: published.filter((faq) => faq.categoryId === category.id).length }))
		.filter((category) => category.count > 0)
	// By date, then the reader's language first again (showing every language).
	const newest = inScope([...published].sort((a, b) => (b.publishedAt?.getTime() ?? 0) - (a.publishedAt?.getTime() ?? 0) || b.id - a.id), options.languages)
	return { categories, popular: published.slice(0, options.limit).map(listItem), newest: newest.slice(0, options.limit).map(listItem) }
}

/** The FAQ made from a thread: shown to everyone once published, to staff already as a draft. */
export async function faqFromQuestion(questionId: number, viewer: Actor | null) {
	// Every view of a thread asks, and the row is the same for everyone (who may see a draft is decided below): shared.
	const faq = await sharedRead('faqFromQuestion', String(questionId), async () => {
		const [row] = await db
			.select({ id: faqs.id, title: faqs.title, slug: faqs.slug, published: faqs.published })
			.from(faqs)
			.where(eq(faqs.sourceQuestionId, questionId))
			.orderBy(asc(faqs.id))
			.limit(1)
		return row ?? null
	})
	if (!faq || !visibleTo(faq, viewer)) return null
	return { id: faq.id, title: faq.title, url: faqUrl(faq), published: faq.published }
}

/**
 * The category a new FAQ with these tags most likely belongs in: the one holding
 * the most published FAQs that share a tag with it (ties: the category listed
 * first). Null when no FAQ shares a tag; staff choose one in the form then.
 */
async function likelyCategory(tx: Queryable, tags: string[]): Promise<number | null> {
	if (tags.length === 0) return null
	const [row] = await tx
		.select({ categoryId: faqs.categoryId })
		.from(faqs)
		.innerJoin(faqCategories, eq(faqCategories.id, faqs.categoryId))
		.where(and(eq(faqs.published, true), sql`${faqs.tags} ?| array[${sql.join(tags.map((tag) => sql`${tag}`), sql`, `)}]::text[]`))
		.groupBy(faqs.categoryId, faqCategories.position, faqCategories.id)
		.orderBy(desc(sql`count(*)`), asc(faqCategories.position), asc(faqCategories.id))
		.limit(1)
	return row?.categoryId ?? null
}

/**
 * Turns a solved thread into a draft FAQ: its title, the accepted answer, its
 * tags, its language and the category FAQs with those tags are in. A thread
 * makes one FAQ; asking again returns the one already made.
 */
export async function makeFaqFromQuestion(actor: Actor | null, questionId: number) {
	authorize(actor, 'knowledge:manage')
	return db.transaction(async (tx) => {
		const [question] = await tx.select().from(questions).where(eq(questions.id, questionId)).for('update')
		if (!question) throw notFound('Question')
		const [existing] = await tx.select().from(faqs).where(eq(faqs.sourceQuestionId, questionId)).orderBy(asc(faqs.id)).limit(1)
		if (existing) return { id: existing.id, url: faqUrl(existing), created: false }
		// Locked as moderation locks it, so the answer cannot be hidden while its text is copied.
		const [answer] = question.acceptedAnswerId === null ? [] : await tx.select({ body: answers.body, state: answers.state }).from(answers).where(eq(answers.id, question.acceptedAnswerId)).for('update')
		// Refuses a question without an accepted answer, or whose accepted answer others cannot read.
		authorize(actor, 'question:make-faq', { ...question, acceptedAnswer: answer ?? null })
		const tags = (await tagsOfQuestions(tx, [questionId])).get(questionId) ?? []
		const faq = await insertFaq(tx, actor, { title: question.title, body: answer!.body, categoryId: await likelyCategory(tx, tags), tags, language: question.language }, questionId)
		return { id: faq.id, url: faqUrl(faq), created: true }
	})
}
