import { eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { closeAsDuplicate } from '../../app/community/duplicates.server'
import { createAnswer } from '../../app/community/questions.server'
import { createFaq, setFaqPublished } from '../../app/knowledge/faqs.server'
import { createTutorial } from '../../app/knowledge/tutorials.server'
import { faqSchema, tutorialSchema } from '../../app/knowledge/validation'
import { faqsFeed, FEED_SIZE, questionsFeed, tagFeed } from '../../app/seo/feeds.server'
import { robotsTxt } from '../../app/seo/robots.server'
import { siteBase } from '../../app/seo/site.server'
import { sitemapFile, sitemapIndex, sitemapKinds } from '../../app/seo/sitemap.server'
import { db } from '../../db/client.server'
import { questions } from '../../db/schema'
import { person, question } from '../support/factories'
import { resetData } from '../support/reset'

const site = 'https://help.example.com/'
const now = new Date('2026-01-15T10:00:00Z')

const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((match) => match[1]!)

/** Every URL the sitemap index leads to, file by file. */
async function everyListedUrl(options: { size?: number } = {}) {
	const urls: string[] = []
	for (const file of locs(await sitemapIndex(site, options))) {
		const [, kind, page] = /\/sitemaps\/(\w+)-(\d+)\.xml$/.exec(file)!
		urls.push(...locs((await sitemapFile(site, kind as (typeof sitemapKinds)[number], Number(page), options))!))
	}
	return urls
}

const faqInput = (title: string, category: string | null = 'Billing') => faqSchema.parse({ title, body: `The answer to ${title.toLowerCase()}`, category, tags: 'billing', language: 'en' })
const tutorialInput = (title: string, published: boolean) =>
	tutorialSchema.parse({
		title,
		summary: 'Learn it step by step.',
		estimatedMinutes: '5',
		phase: 'onboarding',
		language: 'en',
		...(published ? { published: 'on' } : {}),
		steps: [{ title: 'First step', body: 'Do the **first** thing.' }],
	})

describe('sitemap, robots.txt and feeds', () => {
	beforeEach(resetData)

	it('lists exactly the public content: no drafts, unpublished tutorials, held, hidden, deleted or duplicate threads', async () => {
		const cs = await person('cs')
		// Staff post without hourly limits or review holds.
		const asker = await person('cs')
		const visible = await question(asker, { title: 'Visible thread about invoices', tags: ['billing'] })
		const held = await question(asker, { title: 'Held thread waiting for review' })
		const hidden = await question(asker, { title: 'Hidden thread with spam in it' })
		const deleted = await question(asker, { title: 'Deleted thread nobody needs' })
		const duplicate = await question(asker, { title: 'Duplicate thread about invoices' })
		for (const [id, state] of [[held.id, 'held'], [hidden.id, 'hidden'], [deleted.id, 'deleted']] as const) {
			await db.update(questions).set({ state }).where(eq(questions.id, id))
		}
		await closeAsDuplicate(cs, duplicate.id, { type: 'question', id: visible.id })
		const published = await createFaq(cs, faqInput('How do I change my billing address?'))
		await setFaqPublished(cs, published.id, true)
		// A category whose only FAQ is a draft has nothing to show a visitor.
		const draft = await createFaq(cs, faqInput('Draft about refunds and credits', 'Refunds'))
		const tutorial = await createTutorial(cs, tutorialInput('Create your first board', true))
		const unpublished = await createTutorial(cs, tutorialInput('Tutorial still being written', false))

		const urls = await everyListedUrl()
		expect(urls.sort()).toEqual(
			[
				site,
				`${site}questions`,
				`${site}faq`,
				`${site}tutorials`,
				`${site}tags`,
				`${site}questions/${visible.id}/visible-thread-about-invoices`,
				`${site}faq/${published.id}/how-do-i-change-my-billing-address`,
				`${site}faq/c/billing`,
				`${site}tutorials/${tutorial.id}/create-your-first-board`,
			].sort(),
		)
		for (const url of urls) expect(url).not.toMatch(new RegExp(`/(questions/(${held.id}|${hidden.id}|${deleted.id}|${duplicate.id})|faq/${draft.id}|tutorials/${unpublished.id})/`))

		// Feeds follow the same rule.
		const feed = await questionsFeed(site, { now })
		expect(feed).toContain('Visible thread about invoices')
		for (const title of ['Held thread', 'Hidden thread', 'Deleted thread', 'Duplicate thread']) expect(feed).not.toContain(title)
		const faqs = await faqsFeed(site, { now })
		expect(faqs).toContain('How do I change my billing address?')
		expect(faqs).not.toContain('Draft about refunds')
	})

	it('splits the sitemap into files of at most the given size, each with the newest change in it', async () => {
		const asker = await person('cs')
		const asked = []
		for (let i = 1; i <= 5; i++) asked.push(await question(asker, { title: `Question number ${i} about exports` }))
		await db.update(questions).set({ lastActivityAt: new Date('2025-03-01T00:00:00Z'), updatedAt: new Date('2025-02-01T00:00:00Z') }).where(eq(questions.id, asked[3]!.id))

		const index = await sitemapIndex(site, { size: 2 })
		const questionFiles = locs(index).filter((url) => url.includes('/sitemaps/questions-'))
		expect(questionFiles).toEqual([1, 2, 3].map((n) => `${site}sitemaps/questions-${n}.xml`))
		// The second file holds the 3rd and 4th question: its lastmod is the 4th's last activity, the later of its two dates.
		expect(index).toContain(`<loc>${site}sitemaps/questions-2.xml</loc><lastmod>`)
		const second = (await sitemapFile(site, 'questions', 2, { size: 2 }))!
		expect(locs(second)).toEqual([asked[2]!, asked[3]!].map((q) => `${site}${q.url.slice(1)}`))
		expect(second).toContain('<lastmod>2025-03-01T00:00:00.000Z</lastmod>')
		expect(await sitemapFile(site, 'questions', 4, { size: 2 })).toBeNull()
		expect((await everyListedUrl({ size: 2 })).filter((url) => url.includes('/questions/'))).toHaveLength(5)
	})

	it('names the sitemap in robots.txt and keeps crawlers out of private pages only', () => {
		const robots = robotsTxt(site)
		expect(robots).toContain('Sitemap: https://help.example.com/sitemap.xml')
		for (const path of ['/admin', '/settings', '/api/', '/resources/', '/insights', '/notifications']) expect(robots).toContain(`Disallow: ${path}\n`)
		// Pages people land on from a search engine stay crawlable.
		for (const path of ['/questions', '/faq', '/tutorials', '/search']) expect(robots).not.toMatch(new RegExp(`Disallow: ${path}(\n|/\n)`))
	})

	it('makes URLs absolute from KIZUNA_PUBLIC_URL, or from the request when it is unset', () => {
		expect(siteBase('http://10.0.0.5:3000/faq', 'https://help.example.com')).toBe('https://help.example.com/')
		expect(siteBase('http://10.0.0.5:3000/faq', 'https://example.com/community/')).toBe('https://example.com/community/')
		expect(siteBase('http://127.0.0.1:3000/faq?x=1', undefined)).toBe('http://127.0.0.1:3000/')
	})

	it('bounds feeds to the newest entries with a summary, and has a feed per tag', async () => {
		const asker = await person('cs')
		const answerer = await person('cs')
		const long = 'A very long body. '.repeat(200)
		for (let i = 1; i <= FEED_SIZE + 2; i++) await question(asker, { title: `Feed question number ${i}`, body: long, tags: i % 2 === 0 ? ['exports'] : ['billing'] })
		const first = await question(asker, { title: 'Newest question <script>alert(1)</script> & more', tags: ['exports'] })
		await createAnswer(answerer, first.id, 'An answer that makes the thread active.')

		const feed = await questionsFeed(site, { now })
		expect(feed.match(/<entry /g)).toHaveLength(FEED_SIZE)
		expect(feed).toContain('<title>Newest question &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</title>')
		expect(feed).not.toContain('Feed question number 1<')
		for (const summary of feed.match(/<summary>[^<]*<\/summary>/g)!) expect(summary.length).toBeLessThan(450)
		expect(feed).toContain('<category term="exports"/>')

		const tagged = (await tagFeed(site, 'billing', { now }))!
		expect(tagged).toContain('<link rel="self" type="application/atom+xml" href="https://help.example.com/feeds/tags/billing.atom"/>')
		expect(tagged).not.toContain('<category term="exports"/>')
		expect(tagged).not.toContain('Newest question')
		expect(await tagFeed(site, 'no-such-tag', { now })).toBeNull()

		// An empty feed is still a valid one, dated by the clock it is given.
		await resetData()
		expect(await faqsFeed(site, { now })).toContain('<updated>2026-01-15T10:00:00.000Z</updated>')
	})
})
