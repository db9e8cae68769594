import { and, asc, eq, inArray, ne, or, sql } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { sharedRead } from '#db/shared-reads.server'
import { faqs, tutorials, type ContentLanguage } from '#db/schema'
import { enqueueIndexTask } from '#search/sync.server'
import { authorize, type Actor } from '~/auth/permissions.server'
import { DomainError, notFound } from '~/utils/errors.server'
import { faqUrl, tutorialUrl } from '~/utils/urls'

export type Translation = { id: number; language: ContentLanguage; title: string; url: string }
export type ArticleKind = 'faq' | 'tutorial'

const tables = { faq: faqs, tutorial: tutorials } as const
const urls = { faq: faqUrl, tutorial: tutorialUrl } as const
const notFoundName = { faq: 'FAQ', tutorial: 'Tutorial' } as const

/**
 * The published versions of an article in other languages. An original and its
 * translations form one group keyed by the original's id (`translationOfId`), so a
 * translation finds its siblings through the original. Only published versions:
 * the result feeds the article's language switch, `hreflang` links and the sitemap.
 */
export async function translationsOf(kind: ArticleKind, id: number, tx: Queryable = db): Promise<Translation[]> {
	return (await translationGroup(kind, id, tx)).filter((member) => member.id !== id && member.published).map(({ published: _published, ...translation }) => translation)
}

/** Every version of the article, itself and drafts included (staff see them); empty for an unknown id. */
export async function translationGroup(kind: ArticleKind, id: number, tx: Queryable = db): Promise<Array<Translation & { published: boolean; original: boolean }>> {
	// Outside a transaction the same for every reader (every FAQ and tutorial page asks): shared.
	return tx === db ? sharedRead('translationGroup', `${kind}:${id}`, () => readTranslationGroup(kind, id, db)) : readTranslationGroup(kind, id, tx)
}

async function readTranslationGroup(kind: ArticleKind, id: number, tx: Queryable): Promise<Array<Translation & { published: boolean; original: boolean }>> {
	const table = tables[kind]
	const [self] = await tx.select({ translationOfId: table.translationOfId }).from(table).where(eq(table.id, id))
	if (!self) return []
	const groupId = self.translationOfId ?? id
	const rows = await tx
		.select({ id: table.id, language: table.language, title: table.title, slug: table.slug, published: table.published, translationOfId: table.translationOfId })
		.from(table)
		.where(or(eq(table.id, groupId), eq(table.translationOfId, groupId)))
		.orderBy(sql`${table.language}`, asc(table.id))
	return rows.map((row) => ({ id: row.id, language: row.language, title: row.title, url: urls[kind](row), published: row.published, original: row.translationOfId === null }))
}

async function reindex(tx: Queryable, kind: ArticleKind, ids: number[]) {
	for (const id of new Set(ids)) await enqueueIndexTask(tx, kind, id)
}

const LANGUAGE_TAKEN = 'That article already has a version in this language'

/**
 * Every write of an article's language or group link takes this lock on the group's
 * original first, so that two writes to one group take turns: the unique index on
 * (translation_of_id, language) cannot see the original, whose translation_of_id is null.
 */
async function lockGroup(tx: Queryable, kind: ArticleKind, groupId: number) {
	const table = tables[kind]
	await tx.select({ id: table.id }).from(table).where(eq(table.id, groupId)).for('update')
}

/**
 * Refuses (409) a language that another version of the group (`groupId`, the original's id)
 * already has. Runs in the writing transaction, under the group's lock; `selfId` is the
 * article being written (null for a new one).
 */
export async function assertLanguageFree(tx: Queryable, kind: ArticleKind, groupId: number, language: ContentLanguage, selfId: number | null) {
	const table = tables[kind]
	await lockGroup(tx, kind, groupId)
	const [clash] = await tx
		.select({ id: table.id })
		.from(table)
		.where(and(or(eq(table.id, groupId), eq(table.translationOfId, groupId)), eq(table.language, language), selfId === null ? undefined : ne(table.id, selfId)))
	if (clash) throw new DomainError('conflict', LANGUAGE_TAKEN)
}

/** The group an existing article belongs to (its original's id, or its own). */
export const groupIdOf = (article: { id: number; translationOfId: number | null }) => article.translationOfId ?? article.id

/** A unique violation of the translation index: another request linked a version in this language meanwhile. */
const isTranslationClash = (error: unknown) => {
	for (let cause = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
		const { code, constraint_name: constraint } = cause as { code?: unknown; constraint_name?: unknown }
		if (code === '23505' && (constraint === 'faqs_translation_key' || constraint === 'tutorials_translation_key')) return true
	}
	return false
}

/**
 * Makes two articles versions of one another: the one that stands alone joins the
 * other's group (the other's original, when it is a translation). Refused when both
 * already have translations, or when the group has that language already.
 */
export async function linkTranslation(actor: Actor | null, kind: ArticleKind, id: number, otherId: number) {
	authorize(actor, 'knowledge:manage')
	try {
		return await db.transaction(async (tx) => {
			const table = tables[kind]
			const selves = await tx.select({ id: table.id, translationOfId: table.translationOfId }).from(table).where(inArray(table.id, [id, otherId]))
			if (selves.length < new Set([id, otherId]).size) throw notFound(notFoundName[kind])
			// Both groups, in id order, so that two links of the same groups wait for each other instead of deadlocking.
			for (const groupId of [...new Set(selves.map(groupIdOf))].sort((a, b) => a - b)) await lockGroup(tx, kind, groupId)
			const [mine, theirs] = [await translationGroup(kind, id, tx), await translationGroup(kind, otherId, tx)]
			if (mine.length === 0 || theirs.length === 0) throw notFound(notFoundName[kind])
			if (mine.some((member) => member.id === otherId)) return
			const [joining, group] = theirs.length === 1 ? [theirs[0]!, mine] : mine.length === 1 ? [mine[0]!, theirs] : [null, theirs]
			if (!joining) throw new DomainError('conflict', 'Both articles have translations already: unlink one first')
			if (group.some((member) => member.language === joining.language)) throw new DomainError('conflict', LANGUAGE_TAKEN)
			const original = group.find((member) => member.original)!
			await tx.update(table).set({ translationOfId: original.id }).where(eq(table.id, joining.id))
			await reindex(tx, kind, [joining.id, ...group.map((member) => member.id)])
		})
	} catch (error) {
		// The groups are locked, so this is the last guard, as the database's own.
		if (isTranslationClash(error)) throw new DomainError('conflict', LANGUAGE_TAKEN)
		throw error
	}
}

/**
 * Takes an article out of its group. When it is the original, its oldest translation
 * becomes the original of the others, so they stay linked to one another.
 */
export async function unlinkTranslation(actor: Actor | null, kind: ArticleKind, id: number) {
	authorize(actor, 'knowledge:manage')
	const table = tables[kind]
	await db.transaction(async (tx) => {
		const [self] = await tx.select().from(table).where(eq(table.id, id)).for('update')
		if (!self) throw notFound(notFoundName[kind])
		const members = await translationGroup(kind, id, tx)
		if (self.translationOfId !== null) {
			await tx.update(table).set({ translationOfId: null }).where(eq(table.id, id))
		} else {
			const rest = members.filter((member) => member.id !== id).map((member) => member.id)
			if (rest.length > 0) {
				const successor = Math.min(...rest)
				await tx.update(table).set({ translationOfId: null }).where(eq(table.id, successor))
				const others = rest.filter((other) => other !== successor)
				if (others.length > 0) await tx.update(table).set({ translationOfId: successor }).where(inArray(table.id, others))
			}
		}
		await reindex(tx, kind, members.map((member) => member.id))
	})
}

/** The group an article's new translation joins, or the version it already has in that language. */
export async function translationTarget(tx: Queryable, kind: ArticleKind, id: number, language: ContentLanguage) {
	const table = tables[kind]
	const [self] = await tx.select().from(table).where(eq(table.id, id)).for('update')
	if (!self) throw notFound(notFoundName[kind])
	if (self.language === language) throw new DomainError('invalid', 'The article is already in this language')
	const groupId = groupIdOf(self)
	await lockGroup(tx, kind, groupId)
	const [existing] = await tx
		.select({ id: table.id, slug: table.slug })
		.from(table)
		.where(and(or(eq(table.id, groupId), eq(table.translationOfId, groupId)), eq(table.language, language), ne(table.id, id)))
	return { groupId, existing: existing ? { id: existing.id, url: urls[kind](existing) } : null }
}
