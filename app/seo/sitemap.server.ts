import { asc, eq, sql, type SQL } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import { db, type Queryable } from '#db/client.server'
import { faqCategories, faqs, questions, tutorials } from '#db/schema'
import { categoryUrl } from '~/knowledge/faq-categories.server'
import { escapeHtml as escapeXml } from '~/utils/html'
import { absoluteUrl } from '~/utils/seo'
import { publicQuestion } from './public.server'
import { faqUrl, questionUrl, tutorialUrl } from '~/utils/urls'

/** The protocol's limit per sitemap file (sitemaps.org). */
const SITEMAP_SIZE = 50_000

export const sitemapKinds = ['pages', 'questions', 'faqs', 'tutorials', 'categories'] as const
export type SitemapKind = (typeof sitemapKinds)[number]

type Entry = { path: string; lastmod: Date | null }

/** The list pages every visitor can open. */
const pages = ['/', '/questions', '/faq', '/tutorials', '/tags']

/**
 * What a search engine may list, and nothing else: public threads (public.server.ts),
 * published FAQs and tutorials, and FAQ categories with at least one published FAQ.
 */
const questionLastmod = sql<Date>`greatest(${questions.updatedAt}, ${questions.lastActivityAt})`
const categoryLastmod = sql<Date>`(select max(${faqs.updatedAt}) from ${faqs} where ${faqs.categoryId} = ${faqCategories.id} and ${faqs.published})`
const publicCategory = sql`exists (select 1 from ${faqs} where ${faqs.categoryId} = ${faqCategories.id} and ${faqs.published})`

type Source = { table: PgTable; id: PgColumn; where: SQL; lastmod: SQL<Date> | PgColumn }
const sources: Record<Exclude<SitemapKind, 'pages'>, Source> = {
	questions: { table: questions, id: questions.id, where: publicQuestion, lastmod: questionLastmod },
	faqs: { table: faqs, id: faqs.id, where: eq(faqs.published, true), lastmod: faqs.updatedAt },
	tutorials: { table: tutorials, id: tutorials.id, where: eq(tutorials.published, true), lastmod: tutorials.updatedAt },
	categories: { table: faqCategories, id: faqCategories.id, where: publicCategory, lastmod: categoryLastmod },
}

/** The rows of one sitemap file, in id order so a file keeps its URLs as content is added. */
async function entries(kind: SitemapKind, page: number, size: number, tx: Queryable): Promise<Entry[]> {
	if (kind === 'pages') return page === 1 ? pages.map((path) => ({ path, lastmod: null })) : []
	const offset = (page - 1) * size
	switch (kind) {
		case 'questions': {
			const rows = await tx.select({ id: questions.id, slug: questions.slug, lastmod: questionLastmod }).from(questions).where(publicQuestion).orderBy(asc(questions.id)).limit(size).offset(offset)
			return rows.map((row) => ({ path: questionUrl(row), lastmod: new Date(row.lastmod) }))
		}
		case 'faqs': {
			const rows = await tx.select({ id: faqs.id, slug: faqs.slug, lastmod: faqs.updatedAt }).from(faqs).where(sources.faqs.where).orderBy(asc(faqs.id)).limit(size).offset(offset)
			return rows.map((row) => ({ path: faqUrl(row), lastmod: row.lastmod }))
		}
		case 'tutorials': {
			const rows = await tx.select({ id: tutorials.id, slug: tutorials.slug, lastmod: tutorials.updatedAt }).from(tutorials).where(sources.tutorials.where).orderBy(asc(tutorials.id)).limit(size).offset(offset)
			return rows.map((row) => ({ path: tutorialUrl(row), lastmod: row.lastmod }))
		}
		case 'categories': {
			const rows = await tx.select({ slug: faqCategories.slug, lastmod: categoryLastmod }).from(faqCategories).where(publicCategory).orderBy(asc(faqCategories.id)).limit(size).offset(offset)
			return rows.map((row) => ({ path: categoryUrl(row), lastmod: row.lastmod === null ? null : new Date(row.lastmod) }))
		}
	}
}

/** Per file of a kind: its newest change (null for a file without dates). */
async function files(kind: SitemapKind, size: number, tx: Queryable): Promise<Array<Date | null>> {
	if (kind === 'pages') return [null]
	const source = sources[kind]
	const numbered = tx
		.select({ n: sql<number>`(row_number() over (order by ${source.id}) - 1) / ${size}`.as('n'), lastmod: sql<Date>`${source.lastmod}`.as('lastmod') })
		.from(source.table)
		.where(source.where)
		.as('numbered')
	const rows = await tx
		.select({ n: numbered.n, lastmod: sql<Date | null>`max(${numbered.lastmod})` })
		.from(numbered)
		.groupBy(numbered.n)
		.orderBy(numbered.n)
	return rows.map((row) => (row.lastmod === null ? null : new Date(row.lastmod)))
}

const lastmodTag = (date: Date | null) => (date ? `<lastmod>${date.toISOString()}</lastmod>` : '')

/** `/sitemap.xml`: one entry per sitemap file, each with the newest change in it. */
export async function sitemapIndex(site: string, options: { size?: number; tx?: Queryable } = {}): Promise<string> {
	const size = options.size ?? SITEMAP_SIZE
	const lines: string[] = []
	for (const kind of sitemapKinds) {
		const dates = await files(kind, size, options.tx ?? db)
		dates.forEach((date, i) => lines.push(`<sitemap><loc>${escapeXml(absoluteUrl(site, `/sitemaps/${kind}-${i + 1}.xml`))}</loc>${lastmodTag(date)}</sitemap>`))
	}
	return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${lines.join('\n')}\n</sitemapindex>\n`
}

/** One sitemap file, e.g. `/sitemaps/questions-2.xml`; null when there is no such file. */
export async function sitemapFile(site: string, kind: SitemapKind, page: number, options: { size?: number; tx?: Queryable } = {}): Promise<string | null> {
	const rows = await entries(kind, page, options.size ?? SITEMAP_SIZE, options.tx ?? db)
	if (rows.length === 0) return null
	const urls = rows.map((row) => `<url><loc>${escapeXml(absoluteUrl(site, row.path))}</loc>${lastmodTag(row.lastmod)}</url>`)
	return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`
}
