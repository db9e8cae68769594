import { and, eq, inArray, or } from 'drizzle-orm'
import { db } from '#db/client.server'
import { faqs, tutorials } from '#db/schema'
import { markdownToText } from '~/markdown/markdown.server'
import { escapeHtml } from '~/utils/html'
import type { ContentLanguage } from '~/utils/limits'
import { faqUrl, tutorialUrl } from '~/utils/urls'
import type { SearchHit } from './request'

const SNIPPET = 200
const kinds = {
	faq: { table: faqs, url: faqUrl, text: (row: typeof faqs.$inferSelect) => markdownToText(row.body) },
	tutorial: { table: tutorials, url: tutorialUrl, text: (row: typeof tutorials.$inferSelect) => row.summary },
} as const

/**
 * One hit per article: a FAQ or tutorial found in any of its languages is shown in
 * the reader's language when it has a published version in it (with that version's
 * title and opening text), and later hits of the same article are dropped. Read from
 * PostgreSQL, so Meilisearch and the fallback give the same page.
 */
export async function readerVersions(hits: SearchHit[], language: ContentLanguage): Promise<SearchHit[]> {
	const replaced = new Map<string, SearchHit>()
	const groupOf = new Map<string, string>()
	for (const type of ['faq', 'tutorial'] as const) {
		const ids = hits.filter((hit) => hit.type === type).map((hit) => hit.id)
		if (ids.length === 0) continue
		const { table, url, text } = kinds[type]
		const found = await db.select({ id: table.id, translationOfId: table.translationOfId }).from(table).where(inArray(table.id, ids))
		const groups = [...new Set(found.map((row) => row.translationOfId ?? row.id))]
		for (const row of found) groupOf.set(`${type}-${row.id}`, `${type}-${row.translationOfId ?? row.id}`)
		const versions = (await db
			.select()
			.from(table)
			.where(and(or(inArray(table.id, groups), inArray(table.translationOfId, groups)), eq(table.language, language), eq(table.published, true)))) as Array<typeof table.$inferSelect>
		for (const version of versions) {
			const body = text(version as never)
			replaced.set(`${type}-${version.translationOfId ?? version.id}`, {
				id: version.id,
				type,
				title: version.title,
				url: url(version),
				snippet: escapeHtml(body.length > SNIPPET ? `${body.slice(0, SNIPPET)}…` : body),
				externalId: version.externalId ?? null,
				highlightedTitle: escapeHtml(version.title),
				tags: type === 'faq' ? (version as typeof faqs.$inferSelect).tags : [(version as typeof tutorials.$inferSelect).phase],
				category: null,
				solved: true,
				language,
			})
		}
	}
	const seen = new Set<string>()
	const result: SearchHit[] = []
	for (const hit of hits) {
		const group = groupOf.get(`${hit.type}-${hit.id}`)
		if (group === undefined) {
			result.push(hit)
			continue
		}
		if (seen.has(group)) continue
		seen.add(group)
		const version = replaced.get(group)
		// The hit itself is already the reader's version: keep its highlighted title and snippet.
		result.push(version && version.id !== hit.id ? { ...version, category: hit.category } : hit)
	}
	return result
}
