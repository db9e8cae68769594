import AxeBuilder from '@axe-core/playwright'
import { eq } from 'drizzle-orm'
import type { Browser, Page } from '@playwright/test'
import { db } from '../../db/client.server'
import { faqCategories, faqs, questions, tutorials } from '../../db/schema'
import { sessionCookie } from '../support/factories'
import { baseUrl, createUser, expect, importContent, test, unique } from './support'

/**
 * Axe (axe-core 4.x through @axe-core/playwright) on every main page, in English and
 * in Japanese, as a visitor, a member and an admin. Serious and critical violations
 * fail the test (contrast, missing labels, invalid ARIA); moderate and minor ones
 * (e.g. heading levels skipped in a list) are not counted.
 */
type Who = 'visitor' | 'member' | 'admin'

async function content() {
	const id = unique('a11y').replace(/[^a-z0-9]/gi, '').toLowerCase()
	await importContent({
		questions: [{ externalId: `q-${id}`, title: `How do I export a board ${id}?`, body: 'I need the board as **CSV**.', tags: ['export'], answers: [{ body: 'Use Board menu → Export.', accepted: true }, { body: 'Or copy it by hand.' }] }],
		faqs: [{ externalId: `f-${id}`, title: `Can I export to Excel ${id}?`, body: 'Yes: choose **XLSX** when exporting.', category: `Exports ${id}`, published: true, language: 'en' }],
		tutorials: [{ externalId: `t-${id}`, title: `Export your first board ${id}`, summary: 'Get your tasks out.', steps: [{ title: 'Open the menu', body: 'Click **⋯**.' }] }],
	})
	const [question] = await db.select().from(questions).where(eq(questions.externalId, `q-${id}`))
	const [faq] = await db.select().from(faqs).where(eq(faqs.externalId, `f-${id}`))
	const [category] = await db.select().from(faqCategories).where(eq(faqCategories.id, faq!.categoryId!))
	const [tutorial] = await db.select().from(tutorials).where(eq(tutorials.externalId, `t-${id}`))
	return {
		thread: `/questions/${question!.id}/${encodeURIComponent(question!.slug)}`,
		faq: `/faq/${faq!.id}/${encodeURIComponent(faq!.slug)}`,
		category: `/faq/c/${encodeURIComponent(category!.slug)}`,
		tutorial: `/tutorials/${tutorial!.id}/${encodeURIComponent(tutorial!.slug)}`,
	}
}

async function pageAs(browser: Browser, who: Who, locale: 'en' | 'ja', viewport = { width: 1280, height: 800 }): Promise<Page> {
	const context = await browser.newContext({ viewport })
	await context.addCookies([{ name: 'kz_lang', value: locale, url: baseUrl() }])
	if (who !== 'visitor') await context.addCookies([{ name: 'kz_session', value: await sessionCookie(await createUser(who)), url: baseUrl(), httpOnly: true, sameSite: 'Lax' }])
	return context.newPage()
}

/** The serious and critical violations on each page, one line each: empty when every page passes. */
async function violations(page: Page, paths: string[], prepare?: (page: Page) => Promise<void>): Promise<string[]> {
	const found: string[] = []
	for (const path of paths) {
		await page.goto(path)
		await prepare?.(page)
		const result = await new AxeBuilder({ page }).analyze()
		for (const violation of result.violations) {
			if (violation.impact !== 'serious' && violation.impact !== 'critical') continue
			found.push(`${path}: ${violation.id} (${violation.impact}) at ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')}`)
		}
	}
	return found
}

// Each test opens a dozen pages and runs axe on each: about 2 s a page on this machine,
// 160 s for the file. Its tests share nothing (each imports its own content), so they
// are spread over both workers instead of holding one for the whole file.
test.describe.configure({ mode: 'parallel', timeout: 180_000 })

for (const locale of ['en', 'ja'] as const) {
	test(`public pages have no serious accessibility violations (${locale})`, async ({ browser }) => {
		const urls = await content()
		const page = await pageAs(browser, 'visitor', locale)
		const paths = ['/', '/questions', urls.thread, '/faq', urls.category, urls.faq, '/tutorials', urls.tutorial, '/search?q=export', '/tags', '/signin', '/signup', '/forgot-password', '/no-such-page']
		expect(await violations(page, paths)).toEqual([])
	})

	test(`a member's pages have no serious accessibility violations (${locale})`, async ({ browser }) => {
		const urls = await content()
		const page = await pageAs(browser, 'member', locale)
		const paths = ['/questions/ask', urls.thread, urls.tutorial, '/settings', '/settings/account', '/settings/email', '/settings/following', '/settings/tokens', '/notifications']
		expect(await violations(page, paths)).toEqual([])
	})

	test(`staff pages have no serious accessibility violations (${locale})`, async ({ browser }) => {
		const urls = await content()
		const page = await pageAs(browser, 'admin', locale)
		const paths = [urls.thread, urls.faq, '/faq/manage', '/faq/new', '/tutorials/new', '/admin/review', '/admin/people', '/admin/accounts', '/admin/search', '/admin/webhooks', '/admin/mail', '/admin/audit', '/admin/sso', '/admin/widget', '/admin/moderation', '/insights', '/insights/product', '/insights/accounts', '/insights/pages']
		expect(await violations(page, paths)).toEqual([])
	})

	test(`the phone header and its open menu have no serious accessibility violations (${locale})`, async ({ browser }) => {
		const page = await pageAs(browser, 'admin', locale, { width: 390, height: 844 })
		const openMenus = async (open: Page) => {
			await open.locator('.menu-button').click()
			await open.locator('.admin-menu > summary').click()
		}
		expect(await violations(page, ['/', '/faq'], openMenus)).toEqual([])
	})
}
