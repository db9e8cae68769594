import { asc, eq } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { faqCategories, faqRevisions, faqs, users } from '#db/schema'
import { authorize, type Actor } from '~/auth/permissions.server'
import { faqUrl } from '~/utils/urls'
import { notFound } from '~/utils/errors.server'
import { diffOrNull } from '~/utils/diff'

type FaqState = Pick<typeof faqs.$inferSelect, 'id' | 'title' | 'body' | 'categoryId' | 'tags' | 'language' | 'published'>

/** Every save of an FAQ, publishing included, is kept as a full copy. */
export async function insertFaqRevision(tx: Queryable, faq: FaqState, editorId: string | null) {
	await tx.insert(faqRevisions).values({
		faqId: faq.id,
		editorId,
		title: faq.title,
		body: faq.body,
		categoryId: faq.categoryId,
		tags: faq.tags,
		language: faq.language,
		published: faq.published,
	})
}

export async function faqRevisionById(tx: Queryable, faqId: number, revisionId: number) {
	const [revision] = await tx.select().from(faqRevisions).where(eq(faqRevisions.id, revisionId))
	if (!revision || revision.faqId !== faqId) throw notFound('Revision')
	return revision
}

/** Staff only: the revisions newest first, each with what changed since the one before it. */
export async function faqHistory(actor: Actor | null, faqId: number) {
	authorize(actor, 'knowledge:manage')
	const [faq] = await db.select().from(faqs).where(eq(faqs.id, faqId))
	if (!faq) throw notFound('FAQ')
	const rows = await db
		.select({ revision: faqRevisions, editor: users.displayName })
		.from(faqRevisions)
		.leftJoin(users, eq(users.id, faqRevisions.editorId))
		.where(eq(faqRevisions.faqId, faqId))
		.orderBy(asc(faqRevisions.createdAt), asc(faqRevisions.id))
	const categories = new Map((await db.select({ id: faqCategories.id, name: faqCategories.name }).from(faqCategories)).map((c) => [c.id, c.name]))
	const categoryName = (id: number | null) => (id === null ? null : (categories.get(id) ?? null))
	const history = rows.map(({ revision, editor }, index) => {
		const previous = index > 0 ? rows[index - 1]!.revision : null
		return {
			id: revision.id,
			number: index + 1,
			editor,
			createdAt: revision.createdAt.toISOString(),
			title: revision.title,
			body: revision.body,
			category: categoryName(revision.categoryId),
			tags: revision.tags,
			language: revision.language,
			published: revision.published,
			current: index === rows.length - 1,
			changes: previous
				? {
						title: diffOrNull(previous.title, revision.title),
						body: diffOrNull(previous.body, revision.body),
						category: previous.categoryId !== revision.categoryId ? { from: categoryName(previous.categoryId), to: categoryName(revision.categoryId) } : null,
						tags: diffOrNull(previous.tags.join(' '), revision.tags.join(' ')),
						language: previous.language !== revision.language ? { from: previous.language, to: revision.language } : null,
						published: previous.published !== revision.published ? revision.published : null,
					}
				: null,
		}
	})
	return { faq: { id: faq.id, title: faq.title, url: faqUrl(faq) }, revisions: history.reverse() }
}
