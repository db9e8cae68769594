import { and, desc, eq, sql } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { faqs, questions, questionTags, tags, users } from '#db/schema'
import { storedHtml } from '~/markdown/markdown.server'
import { escapeHtml as escapeXml } from '~/utils/html'
import { absoluteUrl, htmlToText, SITE_NAME, truncate } from '~/utils/seo'
import { faqUrl, questionUrl } from '~/utils/urls'
import { publicQuestion } from './public.server'

/** Entries per feed: readers poll for what is new, so the newest few are enough and a feed stays small. */
export const FEED_SIZE = 30
/** Characters of an entry's summary: its text, not the whole post, keeps a feed bounded. */
const SUMMARY_LENGTH = 400

type Entry = { title: string; path: string; published: Date; updated: Date; author: string | null; summary: string; language: string; categories: string[] }
type Feed = { title: string; path: string; alternate: string; entries: Entry[] }

/** An Atom document (RFC 4287). `now` is its `updated` when it has no entries. */
function atom(site: string, feed: Feed, now: Date): string {
	const updated = feed.entries.reduce((latest, entry) => (entry.updated > latest ? entry.updated : latest), new Date(0))
	const entries = feed.entries.map((entry) =>
		[
			`<entry xml:lang="${escapeXml(entry.language)}">`,
			`<title>${escapeXml(entry.title)}</title>`,
			`<link rel="alternate" type="text/html" href="${escapeXml(absoluteUrl(site, entry.path))}"/>`,
			`<id>${escapeXml(absoluteUrl(site, entry.path))}</id>`,
			`<published>${entry.published.toISOString()}</published>`,
			`<updated>${entry.updated.toISOString()}</updated>`,
			entry.author ? `<author><name>${escapeXml(entry.author)}</name></author>` : '',
			...entry.categories.map((name) => `<category term="${escapeXml(name)}"/>`),
			`<summary>${escapeXml(entry.summary)}</summary>`,
			'</entry>',
		]
			.filter(Boolean)
			.join(''),
	)
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<feed xmlns="http://www.w3.org/2005/Atom">',
		`<title>${escapeXml(feed.title)}</title>`,
		`<id>${escapeXml(absoluteUrl(site, feed.path))}</id>`,
		`<link rel="self" type="application/atom+xml" href="${escapeXml(absoluteUrl(site, feed.path))}"/>`,
		`<link rel="alternate" type="text/html" href="${escapeXml(absoluteUrl(site, feed.alternate))}"/>`,
		`<updated>${(feed.entries.length > 0 ? updated : now).toISOString()}</updated>`,
		// Entries without an author of their own (FAQs) are the site's.
		`<author><name>${SITE_NAME}</name></author>`,
		...entries,
		'</feed>',
		'',
	].join('\n')
}

const summaryOf = (row: { body: string; bodyHtml: string | null }) => truncate(htmlToText(storedHtml(row)), SUMMARY_LENGTH)

/** The newest public questions. */
export const questionsFeed = (site: string, options: { now: Date; tx?: Queryable }) => questionFeed(site, null, options)

/** The newest public questions with this tag; null for a tag nobody used. */
export async function tagFeed(site: string, name: string, options: { now: Date; tx?: Queryable }): Promise<string | null> {
	const [tag] = await (options.tx ?? db).select({ id: tags.id, name: tags.name }).from(tags).where(eq(tags.name, name))
	return tag ? questionFeed(site, tag, options) : null
}

async function questionFeed(site: string, tag: { id: number; name: string } | null, options: { now: Date; tx?: Queryable }): Promise<string> {
	const tx = options.tx ?? db
	const rows = await tx
		.select({ question: questions, author: users.displayName })
		.from(questions)
		.innerJoin(users, eq(users.id, questions.authorId))
		.where(tag === null ? publicQuestion : and(publicQuestion, sql`exists (select 1 from ${questionTags} where ${questionTags.questionId} = ${questions.id} and ${questionTags.tagId} = ${tag.id})`))
		.orderBy(desc(questions.createdAt), desc(questions.id))
		.limit(FEED_SIZE)
	const tagRows =
		rows.length === 0
			? []
			: await tx
					.select({ questionId: questionTags.questionId, name: tags.name })
					.from(questionTags)
					.innerJoin(tags, eq(tags.id, questionTags.tagId))
					.where(sql`${questionTags.questionId} in ${rows.map((row) => row.question.id)}`)
	const tagsOf = (id: number) => tagRows.filter((row) => row.questionId === id).map((row) => row.name)
	return atom(
		site,
		{
			title: tag === null ? `${SITE_NAME}: new questions` : `${SITE_NAME}: new questions tagged ${tag.name}`,
			path: tag === null ? '/feeds/questions.atom' : `/feeds/tags/${encodeURIComponent(tag.name)}.atom`,
			alternate: tag === null ? '/questions' : `/questions?tag=${encodeURIComponent(tag.name)}`,
			entries: rows.map(({ question, author }) => ({
				title: question.title,
				path: questionUrl(question),
				published: question.createdAt,
				updated: question.lastActivityAt > question.updatedAt ? question.lastActivityAt : question.updatedAt,
				author,
				summary: summaryOf(question),
				language: question.language,
				categories: tagsOf(question.id),
			})),
		},
		options.now,
	)
}

/** The newest published FAQs, by when they were first published. */
export async function faqsFeed(site: string, options: { now: Date; tx?: Queryable }): Promise<string> {
	const rows = await (options.tx ?? db)
		.select()
		.from(faqs)
		.where(eq(faqs.published, true))
		.orderBy(sql`${faqs.publishedAt} desc nulls last`, desc(faqs.id))
		.limit(FEED_SIZE)
	return atom(
		site,
		{
			title: `${SITE_NAME}: new FAQs`,
			path: '/feeds/faqs.atom',
			alternate: '/faq',
			entries: rows.map((faq) => ({
				title: faq.title,
				path: faqUrl(faq),
				published: faq.publishedAt ?? faq.createdAt,
				updated: faq.updatedAt,
				author: null,
				summary: summaryOf(faq),
				language: faq.language,
				categories: faq.tags,
			})),
		},
		options.now,
	)
}
