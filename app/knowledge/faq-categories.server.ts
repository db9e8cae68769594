import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { faqCategories, faqCategoryTranslations, faqs } from '#db/schema'
import { announceChange } from '#db/changes.server'
import { sharedRead } from '#db/shared-reads.server'
import { enqueueIndexTask } from '#search/sync.server'
import { authorize, type Actor } from '~/auth/permissions.server'
import { slugify } from '~/utils/urls'
import { DomainError, notFound } from '~/utils/errors.server'
import type { ContentLanguage } from '~/utils/limits'
import type { CategoryInput, CategoryTranslationInput } from './validation'

export type Direction = 'up' | 'down'

export const categoryUrl = (category: { slug: string }) => `/faq/c/${encodeURIComponent(category.slug)}`

export async function listCategories(tx: Queryable = db) {
	return tx.select().from(faqCategories).orderBy(asc(faqCategories.position), asc(faqCategories.id))
}

/**
 * Categories in order, named in the reader's language: its translation when there is
 * one, the category's own name otherwise. `translations` lists every language's, for staff.
 */
export async function localizedCategories(language: ContentLanguage, tx: Queryable = db) {
	// Outside a transaction the rows are the same for every reader: shared (two queries on every FAQ page and the home page otherwise).
	const [categories, translations] =
		tx === db
			? await sharedRead('faqCategories', '', () => Promise.all([listCategories(), db.select().from(faqCategoryTranslations)]))
			: [await listCategories(tx), await tx.select().from(faqCategoryTranslations)]
	return categories.map((category) => {
		const own = translations.filter((row) => row.categoryId === category.id)
		const local = own.find((row) => row.language === language)
		return {
			...category,
			name: local?.name ?? category.name,
			description: local?.description || category.description,
			baseName: category.name,
			baseDescription: category.description,
			translations: own.map(({ language: lang, name, description }) => ({ language: lang, name, description })),
		}
	})
}

/** Each category's own name (what search documents and filters carry) to its name in the reader's language. */
export async function categoryNamesIn(language: ContentLanguage): Promise<Record<string, string>> {
	return Object.fromEntries((await localizedCategories(language)).map((category) => [category.baseName, category.name]))
}

/** One category's name in the reader's language (its own name without a translation). */
export async function localizedCategoryName(categoryId: number, language: ContentLanguage, tx: Queryable = db): Promise<string | null> {
	if (tx === db) return (await localizedCategories(language)).find((category) => category.id === categoryId)?.name ?? null
	const [row] = await tx
		.select({ name: faqCategories.name, local: faqCategoryTranslations.name })
		.from(faqCategories)
		.leftJoin(faqCategoryTranslations, and(eq(faqCategoryTranslations.categoryId, faqCategories.id), eq(faqCategoryTranslations.language, language)))
		.where(eq(faqCategories.id, categoryId))
	return row ? (row.local ?? row.name) : null
}

/** Sets (or, with an empty name, removes) a category's name and description in one language. */
export async function setCategoryTranslation(actor: Actor | null, categoryId: number, input: CategoryTranslationInput) {
	authorize(actor, 'knowledge:manage')
	return db.transaction(async (tx) => {
		const [category] = await tx.select({ id: faqCategories.id }).from(faqCategories).where(eq(faqCategories.id, categoryId)).for('update')
		if (!category) throw notFound('Category')
		const key = and(eq(faqCategoryTranslations.categoryId, categoryId), eq(faqCategoryTranslations.language, input.language))
		if (input.name === null) {
			await tx.delete(faqCategoryTranslations).where(key)
		} else {
			await tx
				.insert(faqCategoryTranslations)
				.values({ categoryId, language: input.language, name: input.name, description: input.description })
				.onConflictDoUpdate({ target: [faqCategoryTranslations.categoryId, faqCategoryTranslations.language], set: { name: input.name, description: input.description } })
		}
		// FAQs carry their category's names in the search index (searchable in both languages).
		const members = await tx.select({ id: faqs.id }).from(faqs).where(eq(faqs.categoryId, categoryId))
		for (const faq of members) await enqueueIndexTask(tx, 'faq', faq.id)
		// A category without FAQs has no index task to announce it, and staff see its names on the FAQ list.
		await announceChange(tx, 'pages')
	})
}

export async function findCategoryBySlug(slug: string) {
	const [category] = await db.select().from(faqCategories).where(eq(faqCategories.slug, slug))
	if (!category) throw notFound('Category')
	return category
}

const sameName = (name: string) => sql`lower(${faqCategories.name}) = lower(${name})`

/** A slug no other category uses: names that differ only in punctuation would otherwise collide. */
async function freeSlug(tx: Queryable, name: string, exceptId?: number) {
	const base = slugify(name)
	for (let n = 1; ; n++) {
		const candidate = n === 1 ? base : `${base}-${n}`
		const [taken] = await tx
			.select({ id: faqCategories.id })
			.from(faqCategories)
			.where(and(eq(faqCategories.slug, candidate), exceptId === undefined ? undefined : ne(faqCategories.id, exceptId)))
		if (!taken) return candidate
	}
}

async function insertCategory(tx: Queryable, input: CategoryInput) {
	const [last] = await tx.select({ position: sql<number>`coalesce(max(${faqCategories.position}), -1)::int` }).from(faqCategories)
	const [category] = await tx
		.insert(faqCategories)
		.values({ name: input.name, description: input.description, slug: await freeSlug(tx, input.name), position: (last?.position ?? -1) + 1 })
		.returning()
	return category!
}

const nameTaken = () => new DomainError('conflict', 'A category with this name already exists', { name: 'A category with this name already exists' })

export async function createCategory(actor: Actor | null, input: CategoryInput) {
	authorize(actor, 'knowledge:manage')
	return db.transaction(async (tx) => {
		const [existing] = await tx.select({ id: faqCategories.id }).from(faqCategories).where(sameName(input.name))
		if (existing) throw nameTaken()
		await announceChange(tx, 'pages')
		return insertCategory(tx, input)
	})
}

/**
 * The category an FAQ form names: an existing one (whatever the case), or a new
 * one at the end of the list. Callers have already authorised the FAQ write.
 */
export async function categoryIdForName(tx: Queryable, name: string | null): Promise<number | null> {
	if (!name) return null
	const [existing] = await tx.select({ id: faqCategories.id }).from(faqCategories).where(sameName(name))
	if (existing) return existing.id
	return (await insertCategory(tx, { name, description: '' })).id
}

export async function updateCategory(actor: Actor | null, id: number, input: CategoryInput) {
	authorize(actor, 'knowledge:manage')
	return db.transaction(async (tx) => {
		const [category] = await tx.select().from(faqCategories).where(eq(faqCategories.id, id)).for('update')
		if (!category) throw notFound('Category')
		const [clash] = await tx
			.select({ id: faqCategories.id })
			.from(faqCategories)
			.where(and(sameName(input.name), ne(faqCategories.id, id)))
		if (clash) throw nameTaken()
		const renamed = category.name !== input.name
		const [updated] = await tx
			.update(faqCategories)
			.set({ name: input.name, description: input.description, slug: renamed ? await freeSlug(tx, input.name, id) : category.slug })
			.where(eq(faqCategories.id, id))
			.returning()
		// Pages name categories and show their descriptions.
		await announceChange(tx, 'pages')
		// The category name is part of each FAQ's search document (facet and searchable text).
		if (renamed) {
			const members = await tx.select({ id: faqs.id }).from(faqs).where(eq(faqs.categoryId, id))
			for (const faq of members) await enqueueIndexTask(tx, 'faq', faq.id)
		}
		return updated!
	})
}

/**
 * Swaps an item with its neighbour in an ordered list and renumbers the list
 * 0…n-1, so that items created with equal positions still move one step at a time.
 */
export function reorder<T extends { id: number }>(items: T[], id: number, direction: Direction): Array<{ id: number; position: number }> | null {
	const index = items.findIndex((item) => item.id === id)
	if (index === -1) return null
	const target = direction === 'up' ? index - 1 : index + 1
	const ids = items.map((item) => item.id)
	if (target >= 0 && target < ids.length) [ids[index], ids[target]] = [ids[target]!, ids[index]!]
	return ids.map((itemId, position) => ({ id: itemId, position }))
}

export async function moveCategory(actor: Actor | null, id: number, direction: Direction) {
	authorize(actor, 'knowledge:manage')
	await db.transaction(async (tx) => {
		const order = reorder(await listCategories(tx), id, direction)
		if (!order) throw notFound('Category')
		for (const { id: categoryId, position } of order) {
			await tx.update(faqCategories).set({ position }).where(and(eq(faqCategories.id, categoryId), ne(faqCategories.position, position)))
		}
		await announceChange(tx, 'pages')
	})
}

/** FAQs of one category (or of none), in their order. */
export function faqsInCategory(tx: Queryable, categoryId: number | null) {
	return tx
		.select()
		.from(faqs)
		.where(categoryId === null ? isNull(faqs.categoryId) : eq(faqs.categoryId, categoryId))
		.orderBy(asc(faqs.position), asc(faqs.id))
}
