import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { eq } from 'drizzle-orm'
import express from 'express'
import { SignJWT } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PANEL_MEMBERS_ONLY, resolveActor } from '../../app/auth/session.server'
import { acceptAnswer, createAnswer } from '../../app/community/questions.server'
import { loadConfig } from '../../app/config.server'
import { recordFeedback } from '../../app/knowledge/feedback.server'
import { feedbackSchema } from '../../app/knowledge/validation'
import { recordActivity } from '../../app/insights/events.server'
import { securityHeaders } from '../../app/server/guards'
import { frameWidgetPanel, panelSessionMayUse } from '../../app/server/widget-framing'
import { pagePath, placeFrom } from '../../app/utils/event-place'
import { identifyPanel, panelArticle, panelViewer, recordPanelEvent } from '../../app/widget/panel.server'
import { isPagePattern, pageMatches } from '../../app/widget/rules'
import { addPageRule, saveWidgetSettings, widgetAdminOverview } from '../../app/widget/settings.server'
import { LEARNING_DAYS, widgetSuggestions } from '../../app/widget/suggestions.server'
import { pageRuleSchema } from '../../app/widget/validation'
import { db } from '../../db/client.server'
import { answers, events, faqs, helpJourneys, users } from '../../db/schema'
import { importContent, person, question } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'

const SECRET = 'a-shared-secret-of-at-least-32-characters!'
const SITE = 'https://community.example.test'
// The test's own clock starts now, to the second: resolveActor checks a panel session against the wall clock.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000)
const DAY = 86_400_000

const servers: Array<{ close: () => void }> = []
afterEach(() => servers.splice(0).forEach((server) => server.close()))

/** A GET whose path is sent byte for byte: fetch() would resolve `%2e%2e` before sending. */
async function rawGet(app: express.Express, path: string) {
	const server = app.listen(0, '127.0.0.1')
	servers.push(server)
	await new Promise((resolve) => server.once('listening', resolve))
	const { port } = server.address() as AddressInfo
	return new Promise<http.IncomingMessage>((resolve, reject) => http.get({ host: '127.0.0.1', port, path }, resolve).on('error', reject))
}

async function faqIds() {
	await importContent({
		faqs: [
			{ externalId: 'card', title: 'How do I change the card we pay with?', body: 'Open Billing.', tags: ['billing'], published: true, language: 'en' },
			{ externalId: 'invoice', title: 'Where are past invoices?', body: 'Billing lists them.', tags: ['billing'], published: true, language: 'en' },
		],
	})
	const rows = await db.select({ id: faqs.id, externalId: faqs.externalId }).from(faqs)
	return Object.fromEntries(rows.map((row) => [row.externalId!, row.id])) as Record<'card' | 'invoice', number>
}

const journey = (userId: string | null, type: 'faq' | 'question', id: number, startedAt = NOW) => ({
	actorKey: userId ?? `visitor:${crypto.randomUUID()}`,
	userId,
	startedAt,
	endedAt: startedAt,
	eventCount: 2,
	isHelp: true,
	selfResolved: true,
	escalated: false,
	deflected: false,
	resolvedTargetType: type,
	resolvedTargetId: id,
	channel: 'widget' as const,
	page: '/settings/billing',
})

describe('learned widget suggestions', () => {
	beforeEach(resetData)

	it('learn only from enough distinct signed-in people, recently, and suggest only solved threads', async () => {
		const teachers = loadConfig().KIZUNA_PHRASING_TEACHERS
		expect(teachers).toBeGreaterThan(1)
		const ids = await faqIds()
		const admin = await person('admin')
		const open = await question(admin, { title: 'Why does billing show a different total?' })
		const solved = await question(admin, { title: 'Why was my card declined at renewal?' })
		const people = await Promise.all(Array.from({ length: teachers }, () => person('member')))
		const suggested = async () => (await widgetSuggestions('/settings/billing', 'en', NOW)).map((hit) => `${hit.type}:${hit.id}`)

		// Thirty cookieless visitors (each a new visitor), and one person many times, teach nothing.
		await db.insert(helpJourneys).values(Array.from({ length: 30 }, () => journey(null, 'question', open.id)))
		await db.insert(helpJourneys).values(Array.from({ length: 30 }, () => journey(people[0]!.id, 'faq', ids.card)))
		// Enough people, but before the window.
		await db.insert(helpJourneys).values(people.map((p) => journey(p.id, 'faq', ids.invoice, new Date(NOW.getTime() - (LEARNING_DAYS + 1) * DAY))))
		expect(await suggested()).toEqual([])

		// One person short of the threshold, then enough.
		await db.insert(helpJourneys).values(people.slice(1, -1).map((p) => journey(p.id, 'faq', ids.card)))
		expect(await suggested()).toEqual([])
		await db.insert(helpJourneys).values(journey(people.at(-1)!.id, 'faq', ids.card))
		expect(await suggested()).toEqual([`faq:${ids.card}`])

		// A thread enough people resolved with is suggested only once solved, by an answer everyone can read.
		await db.insert(helpJourneys).values(people.flatMap((p) => [journey(p.id, 'question', open.id), journey(p.id, 'question', solved.id)]))
		expect(await suggested()).toEqual([`faq:${ids.card}`])
		const answer = await createAnswer(admin, solved.id, 'The bank refused it: ask them, then retry from Billing.')
		await acceptAnswer(admin, solved.id, answer.id)
		expect(await suggested()).toEqual([`faq:${ids.card}`, `question:${solved.id}`])
		await db.update(answers).set({ state: 'hidden' }).where(eq(answers.id, answer.id))
		expect(await suggested()).toEqual([`faq:${ids.card}`])
	})
})

describe('panel framing', () => {
	beforeEach(resetData)

	it('is relaxed for /widget only, as Remix resolves the path, not for pages reached through it', async () => {
		const admin = await person('admin')
		await saveWidgetSettings(admin, { allowedOrigins: ['https://app.example.com'], supportLink: null })
		// Mounted as app/server/main.ts mounts it.
		const app = express()
		app.use(securityHeaders({ https: false, dev: false }))
		app.use(frameWidgetPanel)
		app.use((_req, res) => res.send('page'))
		const panel = await rawGet(app, '/widget?origin=https://app.example.com&page=/x')
		expect(panel.headers['content-security-policy']).toContain("frame-ancestors 'self' https://app.example.com")
		expect(panel.headers['x-frame-options']).toBeUndefined()
		for (const path of ['/widget/%2e%2e/settings', '/Widget/%2E%2E/admin/widget', '/widget/../settings', '/widget/x', '/widgetx', '/settings']) {
			const page = await rawGet(app, path)
			expect(page.headers['content-security-policy'], path).toContain("frame-ancestors 'none'")
			expect(page.headers['x-frame-options'], path).toBe('DENY')
		}
	})
})

describe('page patterns', () => {
	it('match without backtracking, with at most 8 stars', () => {
		expect(isPagePattern(`/${'*'.repeat(8)}`)).toBe(true)
		expect(isPagePattern(`/${'a*'.repeat(12)}`)).toBe(false)
		// A backtracking RegExp took 38 s on such a pair; the matcher looks for each part once, left to right.
		const path = `/${'a'.repeat(40)}`
		expect(pageMatches(`/${'*a'.repeat(12)}*b`, path)).toBe(false)
		expect(pageMatches(`/${'*a'.repeat(12)}*`, path)).toBe(true)
		expect(pageMatches(`/${'*'.repeat(5000)}b`, `/${'a'.repeat(299)}`)).toBe(false)
		// Still a glob: prefix, suffix, the parts between in order, prefix and suffix not overlapping.
		expect(pageMatches('/projects/*/members', '/projects/42/members')).toBe(true)
		expect(pageMatches('/projects/*/members', '/projects/members')).toBe(false)
		expect(pageMatches('/a*a', '/a')).toBe(false)
		expect(pageMatches('/a*b*c', '/a-c-b-c')).toBe(true)
		expect(pageMatches('/a*b*c', '/a-c-b')).toBe(false)
		expect(pageMatches('/a.b', '/axb')).toBe(false)
		expect(pageMatches('*', '/anything')).toBe(true)
	})

	it('written in any script match the pages the widget records, and are shown as typed', async () => {
		await resetData()
		const ids = await faqIds()
		const admin = await person('admin')
		const rule = pageRuleSchema.parse({ pattern: '/設定*', targetType: 'faq', target: String(ids.card) })
		expect(rule.pattern).toBe('/%E8%A8%AD%E5%AE%9A*')
		await addPageRule(admin, rule)
		const page = pagePath('https://app.example.com/設定/請求')
		expect(page).toBe('/%E8%A8%AD%E5%AE%9A/%E8%AB%8B%E6%B1%82')
		// A rule saved before, as typed, matches too.
		expect(pageMatches('/設定*', page)).toBe(true)
		expect((await widgetSuggestions(page, 'en', NOW)).map((hit) => hit.id)).toEqual([ids.card])
		expect((await widgetAdminOverview(admin)).rules.map((r) => r.pattern)).toEqual(['/設定*'])
		// At most 300 characters as stored: 34 kanji are 307 once encoded.
		expect(pageRuleSchema.safeParse({ pattern: `/${'設'.repeat(34)}`, targetType: 'faq', target: '1' }).success).toBe(false)
	})
})

const jwt = (claims: Record<string, unknown>) =>
	new SignJWT({ name: 'Ren', jti: crypto.randomUUID(), iat: Math.floor(NOW.getTime() / 1000), exp: Math.floor(NOW.getTime() / 1000) + 300, ...claims })
		.setProtectedHeader({ alg: 'HS256' })
		.sign(new TextEncoder().encode(SECRET))
const identify = async (claims: Record<string, unknown>) => identifyPanel(await jwt(claims), { keys: { secret: SECRET }, audience: SITE, fallbackLocale: 'en', clientIp: '203.0.113.7' }, NOW)

describe('panel sessions', () => {
	beforeEach(resetData)

	it("work with the panel's own endpoints and its search only", () => {
		for (const [method, url] of [
			['GET', '/api/v1/widget/suggestions?lang=en&page=/x'],
			['GET', '/api/v1/widget/articles/faq/3?page=/x'],
			['POST', '/api/v1/widget/questions?page=/x'],
			['POST', '/api/v1/widget/session?page=/x'],
			['GET', '/api/v1/search?q=card&channel=widget&page=/x'],
			['POST', '/api/v1/searches/5f0c4b1e-8d1a-4c4e-9a51-1f2a3b4c5d6e/clicks?channel=widget&page=/x'],
		] as const)
			expect(panelSessionMayUse(method, url), `${method} ${url}`).toBe(true)
		for (const [method, url] of [
			['GET', '/api/v1/me'],
			['POST', '/api/v1/questions'],
			['GET', '/settings'],
			['POST', '/api/v1/search'],
			['GET', '/api/v1/widget/%2e%2e/me'],
			['GET', '/api/v1/widget/../me'],
			['GET', '/api/v1/widgets'],
			['GET', '/api/v1/searches/5f0c4b1e-8d1a-4c4e-9a51-1f2a3b4c5d6e/clicks'],
			['POST', '/api/v1/searches/x/clicks/../../../me'],
			['GET', '/widget'],
		] as const)
			expect(panelSessionMayUse(method, url), `${method} ${url}`).toBe(false)
	})

	it('are marked as panel sessions and stop when their person is promoted', async () => {
		const claims = { sub: 'product-user-7', email: 'ren@customer.test' }
		const session = await identify(claims)
		expect(await resolveActor({ authorization: `Bearer ${session.token}` }, false)).toMatchObject({ via: 'token', panel: true, actor: { role: 'member' } })
		await db.update(users).set({ role: 'admin' }).where(eq(users.email, 'ren@customer.test'))
		expect(await resolveActor({ authorization: `Bearer ${session.token}` }, false)).toMatchObject({ via: 'token', panel: true, actor: null, panelRefusal: PANEL_MEMBERS_ONLY })
		// Nor does the product's token sign staff in again.
		expect((await refusal(identify(claims))).message).toBe('This person is staff here: staff use the staff sign-in')
		// An API token is no panel session.
		expect((await resolveActor({ authorization: 'Bearer kz_not-a-token' }, false)).panel).toBeUndefined()
	})
})

describe('widget limits and previews', () => {
	beforeEach(resetData)

	it('count visitors by address, people by person', async () => {
		const ids = await faqIds()
		// The limiter remembers refused keys in this process: an address no other test uses.
		const clientIp = `198.51.100.${crypto.randomInt(1, 250)}`
		const visitor = () => panelViewer({ actor: null, visitorId: crypto.randomUUID(), clientIp }, new URLSearchParams({ page: '/settings/billing' }))
		const eventPoints = loadConfig().KIZUNA_RATE_LIMITS.widgetEvent.points
		for (let i = 0; i < eventPoints; i++) await recordPanelEvent(visitor(), 'ask_form_opened')
		expect((await refusal(recordPanelEvent(visitor(), 'ask_form_opened'))).code).toBe('rate_limited')
		// A signed-in person on the same network is counted on their own.
		const member = await person('member')
		await recordPanelEvent(panelViewer({ actor: member, visitorId: crypto.randomUUID(), clientIp }, new URLSearchParams({ page: '/settings/billing' })), 'ask_form_opened')
		const views = loadConfig().KIZUNA_RATE_LIMITS.widgetView.points
		for (let i = 0; i < views; i++) await panelArticle(visitor(), 'faq', ids.card, 'en')
		expect((await refusal(panelArticle(visitor(), 'faq', ids.card, 'en'))).code).toBe('rate_limited')
	})

	it("record nothing from the community's own preview of the panel", async () => {
		const ids = await faqIds()
		const admin = await person('admin')
		const reader = await person('member')
		await saveWidgetSettings(admin, { allowedOrigins: [], supportLink: 'https://support.example.com/new' })
		const preview = panelViewer({ actor: reader, visitorId: crypto.randomUUID(), clientIp: '203.0.113.20' }, new URLSearchParams({ page: '/settings/billing', preview: '1' }))
		await panelArticle(preview, 'faq', ids.card, 'en')
		await recordPanelEvent(preview, 'ask_form_opened')
		await recordPanelEvent(preview, 'support_contacted')
		await recordFeedback(preview, feedbackSchema.parse({ targetType: 'faq', targetId: ids.card, helpful: true }))
		// The panel's searches name the preview the same way.
		await recordActivity({ actor: reader, visitorId: null, place: placeFrom(new URLSearchParams({ channel: 'widget', page: '/settings/billing', preview: '1' })) }, { type: 'search', query: 'card' })
		expect(await db.select().from(events)).toEqual([])
		const real = panelViewer({ actor: reader, visitorId: crypto.randomUUID(), clientIp: '203.0.113.20' }, new URLSearchParams({ page: '/settings/billing' }))
		await panelArticle(real, 'faq', ids.card, 'en')
		expect((await db.select({ page: events.page }).from(events)).map((row) => row.page)).toEqual(['/settings/billing'])
	})
})
