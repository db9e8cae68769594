import { and, eq, ne, or, sql } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { faqs, tutorials, type ContentLanguage } from '#db/schema'
import { faqUrl, tutorialUrl } from '~/utils/urls'

export type Translation = { id: number; language: ContentLanguage; title: string; url: string }
export type ArticleKind = 'faq' | 'tutorial'

const tables = { faq: faqs, tutorial: tutorials } as const
const urls = { faq: faqUrl, tutorial: tutorialUrl } as const

/**
 * The published versions of an article in other languages. An original and its
 * translations form one group keyed by the original's id (`translationOfId`), so a
 * translation finds its siblings through the original. Only published versions:
 * the result feeds the article's language switch, `hreflang` links and the sitemap.
 */
export async function translationsOf(kind: ArticleKind, id: number, tx: Queryable = db): Promise<Translation[]> {
	const table = tables[kind]
	const [self] = await tx.select({ translationOfId: table.translationOfId }).from(table).where(eq(table.id, id))
	if (!self) return []
	const groupId = self.translationOfId ?? id
	const rows = await tx
		.select({ id: table.id, language: table.language, title: table.title, slug: table.slug })
		.from(table)
		.where(and(or(eq(table.id, groupId), eq(table.translationOfId, groupId)), ne(table.id, id), eq(table.published, true)))
		.orderBy(sql`${table.language}`)
	return rows.map((row) => ({ id: row.id, language: row.language, title: row.title, url: urls[kind](row) }))
}
