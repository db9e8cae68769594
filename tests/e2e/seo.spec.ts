import { eq } from 'drizzle-orm'
import type { Page } from '@playwright/test'
import { announceChange } from '../../db/changes.server'
import { db } from '../../db/client.server'
import { answers, faqs, questions, tutorials } from '../../db/schema'
import { acceptAnswer, createAnswer } from '../../app/community/questions.server'
import { question, sessionCookie } from '../support/factories'
import { baseUrl, createUser, expect, importContent, signIn, test, unique } from './support'

type Json = Record<string, any>

/** Every JSON-LD block of the page, parsed. */
async function structuredData(page: Page): Promise<Json[]> {
	const blocks = await page.locator('script[type="application/ld+json"]').allTextContents()
	return blocks.map((text) => JSON.parse(text) as Json)
}

const ofType = (blocks: Json[], type: string) => {
	const found = blocks.filter((block) => block['@type'] === type)
	expect(found, `one ${type}`).toHaveLength(1)
	return found[0]!
}

const absolute = (path: string) => new URL(path, baseUrl()).href

/** Google's required and recommended properties of a QAPage answer. */
function expectAnswer(answer: Json, text: string) {
	expect(answer['@type']).toBe('Answer')
	expect(answer.text).toContain(text)
	expect(Date.parse(answer.dateCreated)).not.toBeNaN()
	expect(typeof answer.upvoteCount).toBe('number')
	expect(answer.url).toMatch(new RegExp(`^${baseUrl()}/questions/\\d+/[^#]+#answer-\\d+$`))
	expect(answer.author).toMatchObject({ '@type': 'Person', name: expect.any(String), url: expect.stringMatching(new RegExp(`^${baseUrl()}/users/`)) })
}

async function importArticles() {
	const id = unique('seo').replace(/[^a-z0-9]/gi, '').toLowerCase()
	const title = `Export breaks on </script><b>bold</b> & more ${id}`
	// Staff write the thread: their posts are never held for review.
	const asker = await createUser('cs')
	const answerer = await createUser('cs')
	const asked = await question(asker, { title, body: 'The CSV export stops at **500 rows**. What can I do?', tags: [`seo${id.slice(-6)}`] })
	const accepted = await createAnswer(answerer, asked.id, 'Use the streaming export under Board menu → Export.')
	await createAnswer(asker, asked.id, 'Splitting the board in two also works.')
	const spam = await createAnswer(answerer, asked.id, 'Buy cheap watches at this spammy place.')
	await acceptAnswer(asker, asked.id, accepted.id)
	// Staff hid the spam: its author and staff still see it on the page, search engines never.
	await db.update(answers).set({ state: 'hidden', stateReason: 'Spam' }).where(eq(answers.id, spam.id))
	await importContent({
		faqs: [{ externalId: `f-${id}`, title: `How do I export a board ${id}?`, body: 'Open **Board menu → Export** and choose CSV.', category: `Exports ${id}`, tags: [], published: true, language: 'en' }],
		tutorials: [
			{
				externalId: `t-${id}`,
				title: `Export your first board ${id}`,
				summary: 'Get your tasks out as CSV.',
				estimatedMinutes: 4,
				steps: [
					{ title: 'Open the board menu', body: 'Click the **⋯** button.' },
					{ title: 'Choose Export', body: 'Pick CSV and confirm.' },
				],
			},
		],
	})
	const [faq] = await db.select().from(faqs).where(eq(faqs.externalId, `f-${id}`))
	const [tutorial] = await db.select().from(tutorials).where(eq(tutorials.externalId, `t-${id}`))
	return {
		id,
		title,
		tag: `seo${id.slice(-6)}`,
		threadUrl: asked.url,
		faq: faq!,
		faqUrl: `/faq/${faq!.id}/${encodeURIComponent(faq!.slug)}`,
		tutorialUrl: `/tutorials/${tutorial!.id}/${encodeURIComponent(tutorial!.slug)}`,
	}
}

test('threads, FAQs and tutorials carry the structured data and tags search engines read, with only what everyone sees', async ({ page, browser, request }) => {
	const content = await importArticles()

	await page.goto(content.threadUrl)
	const qa = ofType(await structuredData(page), 'QAPage')
	const question = qa.mainEntity as Json
	expect(question).toMatchObject({ '@type': 'Question', name: content.title, answerCount: 2, url: absolute(content.threadUrl) })
	expect(question.text).toContain('The CSV export stops at 500 rows')
	expect(Date.parse(question.dateCreated)).not.toBeNaN()
	expect(typeof question.upvoteCount).toBe('number')
	expect(question.author.name).toEqual(expect.any(String))
	expectAnswer(question.acceptedAnswer, 'Use the streaming export')
	expect(question.suggestedAnswer).toHaveLength(1)
	expectAnswer(question.suggestedAnswer[0], 'Splitting the board in two')
	expect(ofType(await structuredData(page), 'BreadcrumbList').itemListElement).toEqual([
		{ '@type': 'ListItem', position: 1, name: 'Questions', item: absolute('/questions') },
		{ '@type': 'ListItem', position: 2, name: content.title, item: absolute(content.threadUrl) },
	])
	await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', absolute(content.threadUrl))
	await expect(page.locator('meta[property="og:url"]')).toHaveAttribute('content', absolute(content.threadUrl))
	await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', content.title)
	await expect(page.locator('meta[name="twitter:card"]')).toHaveAttribute('content', 'summary')
	const description = await page.locator('meta[name="description"]').getAttribute('content')
	expect(description).toContain('The CSV export stops at 500 rows. What can I do?')
	expect(description!.length).toBeLessThanOrEqual(155)
	await expect(page).toHaveTitle(`${content.title} · Kizuna`)

	// A title cannot end the script element: the JSON is written with "<" escaped.
	const html = await (await request.get(content.threadUrl)).text()
	const scripts = [...html.matchAll(/<script type="application\/ld\+json">([^]*?)<\/script>/g)].map((match) => match[1]!)
	expect(scripts.length).toBeGreaterThan(1)
	for (const script of scripts) expect(script).not.toMatch(/<\/?(script|b)\b/i)
	expect(html).toContain('\\u003c/script\\u003e\\u003cb\\u003ebold')

	// Staff see the hidden answer on the page; the structured data still leaves it out.
	const staff = await (await browser.newContext()).newPage()
	await signIn(staff, await createUser('cs'))
	await staff.goto(content.threadUrl)
	await expect(staff.getByText('Buy cheap watches')).toBeVisible()
	expect(JSON.stringify(await structuredData(staff))).not.toContain('cheap watches')
	expect(ofType(await structuredData(staff), 'QAPage').mainEntity.answerCount).toBe(2)

	await page.goto(content.faqUrl)
	const faqData = await structuredData(page)
	const faqPage = ofType(faqData, 'FAQPage')
	expect(faqPage.mainEntity).toEqual([{ '@type': 'Question', name: content.faq.title, acceptedAnswer: { '@type': 'Answer', text: 'Open Board menu → Export and choose CSV.' } }])
	expect(ofType(faqData, 'BreadcrumbList').itemListElement.map((item: Json) => item.name)).toEqual(['FAQ', `Exports ${content.id}`, content.faq.title])
	await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', absolute(content.faqUrl))

	await page.goto(content.tutorialUrl)
	const howTo = ofType(await structuredData(page), 'HowTo')
	expect(howTo).toMatchObject({ name: `Export your first board ${content.id}`, description: 'Get your tasks out as CSV.', totalTime: 'PT4M' })
	expect(howTo.step).toEqual([
		{ '@type': 'HowToStep', position: 1, name: 'Open the board menu', text: 'Click the ⋯ button.', url: `${absolute(content.tutorialUrl)}#step-1` },
		{ '@type': 'HowToStep', position: 2, name: 'Choose Export', text: 'Pick CSV and confirm.', url: `${absolute(content.tutorialUrl)}#step-2` },
	])
	await expect(page.locator('#step-2')).toBeVisible()

	// A thread nobody answered yet is no QAPage (search engines require an answer).
	await importContent({ questions: [{ externalId: `q2-${content.id}`, title: `Nobody answered this yet ${content.id}`, body: 'Still waiting for help here.' }] })
	const [unanswered] = await db.select().from(questions).where(eq(questions.externalId, `q2-${content.id}`))
	await page.goto(`/questions/${unanswered!.id}/${encodeURIComponent(unanswered!.slug)}`)
	expect((await structuredData(page)).map((block) => block['@type'])).toEqual(['BreadcrumbList'])
})

test('hreflang links the published translations of an FAQ, with x-default on the English one', async ({ page }) => {
	const id = unique('hreflang').replace(/[^a-z0-9]/gi, '').toLowerCase()
	await importContent({
		faqs: [
			{ externalId: `en-${id}`, title: `How do I reset my password ${id}?`, body: 'Use the link on the sign-in page.', published: true, language: 'en' },
			{ externalId: `ja-${id}`, title: `パスワードをリセットするには ${id}`, body: 'サインイン画面のリンクを使います。', published: true, language: 'ja' },
		],
	})
	const [english] = await db.select().from(faqs).where(eq(faqs.externalId, `en-${id}`))
	const [japanese] = await db.select().from(faqs).where(eq(faqs.externalId, `ja-${id}`))
	const englishUrl = absolute(`/faq/${english!.id}/${encodeURIComponent(english!.slug)}`)
	const japaneseUrl = absolute(`/faq/${japanese!.id}/${encodeURIComponent(japanese!.slug)}`)
	await page.goto(englishUrl)
	// Not linked yet: an article alone names no alternates.
	await expect(page.locator('link[hreflang]')).toHaveCount(0)

	// Written behind the app's back: the anonymous page cache hears of it as it hears of the app's writes, by a notification.
	await db.update(faqs).set({ translationOfId: english!.id }).where(eq(faqs.id, japanese!.id))
	await announceChange(db, 'pages')
	for (const url of [englishUrl, japaneseUrl]) {
		await expect(async () => {
			await page.goto(url)
			await expect(page.locator('link[rel="alternate"][hreflang="en"]')).toHaveAttribute('href', englishUrl, { timeout: 1_000 })
		}).toPass()
		await expect(page.locator('link[rel="alternate"][hreflang="ja"]')).toHaveAttribute('href', japaneseUrl)
		await expect(page.locator('link[rel="alternate"][hreflang="x-default"]')).toHaveAttribute('href', englishUrl)
	}

	// An unpublished translation is no alternate.
	await db.update(faqs).set({ published: false }).where(eq(faqs.id, japanese!.id))
	await announceChange(db, 'pages')
	await expect(async () => {
		await page.goto(englishUrl)
		await expect(page.locator('link[hreflang]')).toHaveCount(0, { timeout: 1_000 })
	}).toPass()
})

test('page titles and the page of an unknown address are in the reader’s language, with status 404', async ({ browser }) => {
	const context = await browser.newContext()
	await context.addCookies([{ name: 'kz_lang', value: 'ja', url: baseUrl() }])
	const page = await context.newPage()
	await page.goto('/questions')
	await expect(page).toHaveTitle('質問 · Kizuna')
	const missing = await page.goto('/no/such/page')
	expect(missing!.status()).toBe(404)
	await expect(page).toHaveTitle('ページが見つかりません · Kizuna')
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('ページが見つかりません')
	await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
	await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', 'noindex')

	const english = await (await browser.newContext()).newPage()
	expect((await english.goto('/questions/2147483647/nothing'))!.status()).toBe(404)
	await expect(english).toHaveTitle('Page not found · Kizuna')
	await expect(english.getByText('This page does not exist.')).toBeVisible()
})

test('the sitemap, robots.txt and the feeds are valid XML and text, cached, and linked from the pages', async ({ page, request }) => {
	const content = await importArticles()
	const robots = await request.get('/robots.txt')
	expect(robots.headers()['content-type']).toContain('text/plain')
	expect(await robots.text()).toContain(`Sitemap: ${baseUrl()}/sitemap.xml`)

	await page.goto('/')
	/** Parses XML as a browser does; the names of its elements, or the parser's error. */
	const parse = (xml: string) =>
		page.evaluate((text) => {
			const doc = new DOMParser().parseFromString(text, 'application/xml')
			const error = doc.querySelector('parsererror')
			return error ? { error: error.textContent } : { root: doc.documentElement.localName, locs: [...doc.getElementsByTagName('loc')].map((loc) => loc.textContent), entries: [...doc.getElementsByTagName('entry')].map((entry) => entry.getElementsByTagName('title')[0]?.textContent) }
		}, xml)

	const index = await request.get('/sitemap.xml')
	expect(index.headers()['content-type']).toContain('application/xml')
	expect(index.headers()['cache-control']).toContain('public')
	const parsedIndex = await parse(await index.text())
	expect(parsedIndex).toMatchObject({ root: 'sitemapindex' })
	const listed: string[] = []
	for (const file of parsedIndex.locs!) {
		const sitemap = await parse(await (await request.get(new URL(file!).pathname)).text())
		expect(sitemap.root).toBe('urlset')
		listed.push(...(sitemap.locs as string[]))
	}
	expect(listed).toContain(absolute(content.threadUrl))
	expect(listed).toContain(absolute(content.faqUrl))
	expect(listed).toContain(absolute(content.tutorialUrl))

	for (const path of ['/feeds/questions.atom', '/feeds/faqs.atom', `/feeds/tags/${content.tag}.atom`]) {
		const feed = await request.get(path)
		expect(feed.status(), path).toBe(200)
		expect(feed.headers()['content-type']).toContain('application/atom+xml')
		const parsed = await parse(await feed.text())
		expect(parsed, path).toMatchObject({ root: 'feed' })
		expect(parsed.entries!.length, path).toBeGreaterThan(0)
	}
	expect((await parse(await (await request.get(`/feeds/tags/${content.tag}.atom`)).text())).entries).toEqual([content.title])
	expect((await request.get('/feeds/tags/no-such-tag-at-all.atom')).status()).toBe(404)

	await expect(page.locator('link[rel="alternate"][type="application/atom+xml"][href="/feeds/questions.atom"]')).toHaveCount(1)
	await page.goto(`/questions?tag=${content.tag}`)
	await expect(page.locator(`link[rel="alternate"][type="application/atom+xml"][href="${absolute(`/feeds/tags/${content.tag}.atom`)}"]`)).toHaveCount(1)
})

test.describe('the header on a 390 × 844 phone', () => {
	test.use({ viewport: { width: 390, height: 844 } })

	const documentWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth)
	const headerHeight = async (page: Page) => (await page.locator('.site-header').boundingBox())!.height
	const menuButton = (page: Page) => page.locator('label', { hasText: 'Menu' })

	test('is one row of at most 64 px, opens its menu from one button, and never widens the page for an admin', async ({ page }) => {
		await page.goto('/faq')
		expect(await headerHeight(page)).toBeLessThanOrEqual(64)
		expect(await documentWidth(page)).toBeLessThanOrEqual(390)
		await expect(page.locator('.main-nav')).toBeHidden()
		await menuButton(page).click()
		await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tutorials' })).toBeVisible()
		await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible()

		// Signed in by cookie: the support's signIn looks for "Sign out", which the closed menu hides here.
		await page.context().addCookies([{ name: 'kz_session', value: await sessionCookie(await createUser('admin')), url: baseUrl(), httpOnly: true, sameSite: 'Lax' }])
		await page.goto('/faq')
		expect(await headerHeight(page)).toBeLessThanOrEqual(64)
		expect(await documentWidth(page)).toBeLessThanOrEqual(390)
		await menuButton(page).click()
		await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
		await page.locator('summary', { hasText: 'Admin' }).click()
		for (const name of ['People', 'Webhooks', 'Moderation settings']) await expect(page.locator('.admin-menu-links').getByRole('link', { name, exact: true })).toBeInViewport()
		expect(await documentWidth(page)).toBeLessThanOrEqual(390)
		// A new page closes the menu.
		await page.locator('.admin-menu-links').getByRole('link', { name: 'People', exact: true }).click()
		await expect(page.getByRole('heading', { level: 1, name: 'People' })).toBeVisible()
		await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden()
		expect(await headerHeight(page)).toBeLessThanOrEqual(64)
	})

	test('search results with a long unbroken snippet (a CSV header line) stay within the screen', async ({ page }) => {
		const word = unique('wrap')
		await question(await createUser('member'), { title: `CSV import columns ${word}`, body: `The header must be ${'title,description,assignee_email,due_date,status,'.repeat(4)}done` })
		await expect(async () => {
			await page.goto(`/search?q=${word}`)
			await expect(page.getByTestId('search-hit')).toHaveCount(1, { timeout: 1000 })
		}).toPass()
		expect(await documentWidth(page)).toBeLessThanOrEqual(390)
	})

	test('takes the full width for the search box while a question is typed', async ({ page }) => {
		await page.goto('/')
		const box = page.getByRole('search', { name: 'Site search' })
		const before = (await box.boundingBox())!.width
		await box.getByRole('combobox').focus()
		const focused = (await box.boundingBox())!.width
		expect(focused).toBeGreaterThan(before)
		expect(focused).toBeGreaterThanOrEqual(390 - 2 * 16)
		expect(await documentWidth(page)).toBeLessThanOrEqual(390)
	})

	test('opens its menu without JavaScript', async ({ browser }) => {
		const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false })
		const page = await context.newPage()
		await page.goto('/')
		await expect(page.locator('.main-nav')).toBeHidden()
		await page.locator('label', { hasText: 'Menu' }).click()
		await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Questions' })).toBeVisible()
		await context.close()
	})
})
