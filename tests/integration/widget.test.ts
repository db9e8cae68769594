import crypto from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { SignJWT } from 'jose'
import { beforeEach, describe, expect, it } from 'vitest'
import { resolveActor } from '../../app/auth/session.server'
import { loadConfig } from '../../app/config.server'
import { recordFeedback } from '../../app/knowledge/feedback.server'
import { feedbackSchema } from '../../app/knowledge/validation'
import { identifyPanel, panelArticle, panelHostOrigin, panelViewer, recordPanelEvent, type PanelViewer } from '../../app/widget/panel.server'
import { isSupportLink, normalizeOrigin, pageMatches } from '../../app/widget/rules'
import { addPageRule, removePageRule, saveWidgetSettings, widgetAdminOverview, widgetSettings } from '../../app/widget/settings.server'
import { widgetSuggestions } from '../../app/widget/suggestions.server'
import { pageRuleSchema, widgetSettingsSchema } from '../../app/widget/validation'
import { apiSearchParamsFrom } from '../../search/request'
import { hostPageSchema } from '../../app/utils/event-place'
import { db } from '../../db/client.server'
import { auditEvents, events, faqs, helpJourneys, sessions } from '../../db/schema'
import { importContent, person } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'

const SECRET = 'a-shared-secret-of-at-least-32-characters!'
const SITE = 'https://community.example.test'
// The test's own clock starts now, to the second: resolveActor checks a panel session against the wall clock (a fixed date failed the hour-long session's test an hour later).
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000)
const at = (seconds: number) => Math.floor(NOW.getTime() / 1000) + seconds
const jwt = (claims: Record<string, unknown> = {}) =>
	new SignJWT({ sub: 'product-user-7', email: 'ren@customer.test', name: 'Ren', jti: crypto.randomUUID(), iat: at(0), exp: at(300), ...claims })
		.setProtectedHeader({ alg: 'HS256' })
		.sign(new TextEncoder().encode(SECRET))
const identify = (token: string, now = NOW) => identifyPanel(token, { keys: { secret: SECRET }, audience: SITE, fallbackLocale: 'en', clientIp: '203.0.113.7' }, now)

async function knowledge() {
	await importContent({
		faqs: [
			{ externalId: 'card', title: 'How do I change the card we pay with?', body: 'Open Billing and choose **Change card**.', tags: ['billing'], published: true, language: 'en' },
			{
				externalId: 'card-ja',
				title: '支払いに使うカードを変更するには？',
				body: '請求の画面で「カードを変更」を選びます。',
				tags: ['billing'],
				published: true,
				language: 'ja',
				translationOf: 'card',
			},
			{ externalId: 'invoice', title: 'Where are past invoices?', body: 'Billing lists every invoice as PDF.', tags: ['billing'], published: true, language: 'en' },
			{ externalId: 'draft', title: 'A billing draft nobody may read', body: 'Not yet.', tags: ['billing'], published: false, language: 'en' },
			{ externalId: 'sso', title: 'How do I turn on SAML?', body: 'Settings, Security.', tags: ['sso'], published: true, language: 'en' },
		],
	})
	const rows = await db.select({ id: faqs.id, externalId: faqs.externalId }).from(faqs)
	return Object.fromEntries(rows.map((row) => [row.externalId!, row.id])) as Record<'card' | 'card-ja' | 'invoice' | 'draft' | 'sso', number>
}

describe('widget rules', () => {
	it('takes exact origins (http only on this machine), support links and page patterns', () => {
		expect(normalizeOrigin('https://app.example.com/')).toBe('https://app.example.com')
		expect(normalizeOrigin('http://127.0.0.1:4100')).toBe('http://127.0.0.1:4100')
		for (const bad of ['http://app.example.com', 'https://app.example.com/settings', 'https://user:pw@app.example.com', 'javascript:alert(1)', 'app.example.com', 'https://app.example.com?x=1'])
			expect(normalizeOrigin(bad)).toBeNull()
		expect(isSupportLink('https://support.example.com/new')).toBe(true)
		expect(isSupportLink('mailto:help@example.com')).toBe(true)
		expect(isSupportLink('javascript:alert(1)')).toBe(false)
		expect(isSupportLink('http://support.example.com')).toBe(false)
		expect(pageMatches('/settings/billing*', '/settings/billing/cards')).toBe(true)
		expect(pageMatches('/settings/billing*', '/settings/billing')).toBe(true)
		expect(pageMatches('/settings/billing', '/settings/billing/cards')).toBe(false)
		expect(pageMatches('/projects/*/members', '/projects/42/members')).toBe(true)
		expect(pageMatches('/a.b', '/axb')).toBe(false)
		const settings = widgetSettingsSchema.safeParse({ allowedOrigins: 'https://app.example.com\nhttps://app.example.com/\nftp://x', supportLink: '' })
		expect(settings.success).toBe(false)
		expect(widgetSettingsSchema.parse({ allowedOrigins: 'https://app.example.com\r\nhttps://APP.example.com/\n\n', supportLink: '' })).toEqual({
			allowedOrigins: ['https://app.example.com'],
			supportLink: null,
		})
		expect(pageRuleSchema.parse({ pattern: '/settings/billing*', targetType: 'faq', target: 'https://community.example.test/faq/12/how-to' })).toMatchObject({ targetId: 12, tag: null })
		expect(pageRuleSchema.safeParse({ pattern: 'settings', targetType: 'tag', target: 'billing' }).success).toBe(false)
		expect(pageRuleSchema.safeParse({ pattern: '/x', targetType: 'faq', target: 'twelve' }).success).toBe(false)
	})

	it('lets the panel talk only to this community or an allowed origin', () => {
		const allowed = ['https://app.example.com']
		expect(panelHostOrigin(undefined, SITE, allowed)).toBeNull()
		expect(panelHostOrigin('https://app.example.com/', SITE, allowed)).toBe('https://app.example.com')
		expect(panelHostOrigin(SITE, SITE, allowed)).toBe(SITE)
		for (const refused of ['https://evil.example', 'not an origin'])
			expect(() => panelHostOrigin(refused, SITE, allowed)).toThrow(expect.objectContaining({ code: 'forbidden', message: 'This site may not embed the help panel of this community.' }))
	})

	it('reads a host page the same way in the search API and the suggestions API', () => {
		expect(hostPageSchema.parse('https://app.example.com/settings/billing?token=x')).toBe('/settings/billing')
		const long = hostPageSchema.safeParse(`/${'a'.repeat(2000)}`)
		expect(long.success ? null : long.error.issues[0]!.message).toBe('page (the host page) can have at most 2000 characters')
		const search = apiSearchParamsFrom(new URL(`https://x.test/api/v1/search?channel=widget&page=${'/a'.repeat(1001)}`))
		expect(search.success ? null : search.message).toBe('page (the host page) can have at most 2000 characters')
	})
})

describe('widget settings and page rules', () => {
	beforeEach(resetData)

	it('lets admins change them, audited, cs only read them', async () => {
		const admin = await person('admin')
		const cs = await person('cs')
		const member = await person('member')
		await saveWidgetSettings(admin, { allowedOrigins: ['https://app.example.com'], supportLink: 'mailto:help@example.com' })
		expect(await widgetSettings()).toEqual({ allowedOrigins: ['https://app.example.com'], supportLink: 'mailto:help@example.com' })
		const [entry] = await db.select().from(auditEvents).where(eq(auditEvents.action, 'widget.settings_changed'))
		expect(entry!.details).toEqual({ allowedOrigins: { from: [], to: ['https://app.example.com'] }, supportLink: { from: null, to: 'mailto:help@example.com' } })
		expect((await refusal(saveWidgetSettings(cs, { allowedOrigins: [], supportLink: null }))).code).toBe('forbidden')
		expect((await widgetAdminOverview(cs)).canConfigure).toBe(false)
		expect((await refusal(widgetAdminOverview(member))).code).toBe('forbidden')
		expect((await refusal(addPageRule(admin, { pattern: '/x', targetType: 'faq', targetId: 999, tag: null }))).message).toBe('FAQ not found')
		expect((await refusal(removePageRule(admin, 999))).code).toBe('not_found')
	})

	it('suggests staff rules first, then what widget journeys on the page found helpful, readable and in the reader language only', async () => {
		const admin = await person('admin')
		const ids = await knowledge()
		await addPageRule(admin, { pattern: '/settings/billing*', targetType: 'faq', targetId: ids.card, tag: null })
		await addPageRule(admin, { pattern: '/settings/billing*', targetType: 'faq', targetId: ids.draft, tag: null })
		// As many signed-in people as it takes to teach the panel (suggestions.server.ts).
		const journey = (page: string, targetId: number, channel: 'widget' | 'community' = 'widget', selfResolved = true) =>
			Array.from({ length: loadConfig().KIZUNA_PHRASING_TEACHERS }, () => {
				const userId = crypto.randomUUID()
				return {
					actorKey: userId,
					userId,
					startedAt: NOW,
					endedAt: NOW,
					eventCount: 3,
					isHelp: true,
					selfResolved,
					escalated: !selfResolved,
					deflected: false,
					resolvedTargetType: 'faq',
					resolvedTargetId: targetId,
					channel,
					page,
				}
			})
		await db.insert(helpJourneys).values([
			...journey('/settings/billing/cards', ids.invoice),
			...journey('/settings/billing', ids.invoice),
			...journey('/settings/billing', ids.sso),
			// Not counted: another channel, another page, or not resolved.
			...journey('/settings/billing', ids.sso, 'community'),
			...journey('/settings/billing', ids.sso, 'widget', false),
			...journey('/projects', ids.sso),
		])
		const hits = await widgetSuggestions('/settings/billing/plan', 'en', NOW)
		expect(hits.map((hit) => hit.id)).toEqual([ids.card, ids.invoice, ids.sso])
		expect(hits[0]).toEqual({ id: ids.card, type: 'faq', title: 'How do I change the card we pay with?', url: expect.stringMatching(new RegExp(`^/faq/${ids.card}/`)) })
		// In Japanese, the published translation stands in for the rule's FAQ; the English-only ones are left out.
		expect((await widgetSuggestions('/settings/billing', 'ja', NOW)).map((hit) => hit.id)).toEqual([ids['card-ja']])
		// A page no rule covers learns from its own journeys.
		expect((await widgetSuggestions('/projects', 'en', NOW)).map((hit) => hit.id)).toEqual([ids.sso])
		// Staff see, beside their rules, what the panel learned on each rule's pages.
		const overview = await widgetAdminOverview(admin, NOW)
		expect(Object.keys(overview.learned)).toEqual(['/settings/billing*'])
		expect(overview.learned['/settings/billing*']!.map((item) => [item.type, item.id])).toEqual([
			['faq', ids.invoice],
			['faq', ids.sso],
		])
		const rules = overview.rules
		await removePageRule(admin, rules.find((rule) => rule.targetId === ids.card)!.id)
		expect((await widgetSuggestions('/settings/billing/plan', 'en', NOW)).map((hit) => hit.id)).toEqual([ids.invoice, ids.sso])
		await addPageRule(admin, pageRuleSchema.parse({ pattern: '/admin/sso', targetType: 'tag', target: 'SSO' }))
		expect((await widgetSuggestions('/admin/sso', 'en', NOW)).map((hit) => hit.id)).toEqual([ids.sso])
	})
})

describe('panel sessions and widget events', () => {
	beforeEach(resetData)

	it("trades the product's token for an hour-long panel session sent as a header, never as a cookie", async () => {
		const session = await identify(await jwt())
		expect(session.token).toMatch(/^kzp_/)
		expect(session.displayName).toBe('Ren')
		const bearer = await resolveActor({ authorization: `Bearer ${session.token}` }, false)
		expect(bearer).toMatchObject({ via: 'token', actor: { email: 'ren@customer.test', role: 'member' } })
		// As a cookie it is nobody: lucia never sees (or extends) a panel session.
		expect((await resolveActor({ cookie: `kz_session=${session.token}` }, false)).actor).toBeNull()
		const [row] = await db.select().from(sessions).where(eq(sessions.id, session.token))
		expect(row!.expiresAt.getTime() - NOW.getTime()).toBe(3600_000)
		// Tokens are single-use, as on /sso/jwt.
		const token = await jwt()
		await identify(token)
		expect((await refusal(identify(token))).message).toBe('This sign-in link was already used: sign in again from the product')
		expect((await resolveActor({ authorization: 'Bearer kzp_not-a-session-at-all-not-a-session' }, false)).actor).toBeNull()
	})

	it('records views, votes and support contacts with the widget channel and host page', async () => {
		const ids = await knowledge()
		const admin = await person('admin')
		const reader = await person('member')
		const viewer: PanelViewer = panelViewer({ actor: reader, visitorId: crypto.randomUUID(), clientIp: '203.0.113.9' }, new URLSearchParams({ page: 'https://app.example.com/settings/billing?token=secret#x' }))
		expect(viewer.place).toEqual({ channel: 'widget', page: '/settings/billing' })
		const article = await panelArticle(viewer, 'faq', ids.card, 'en')
		expect(article.html).toContain('<strong>Change card</strong>')
		expect((await refusal(panelArticle(viewer, 'faq', ids.draft, 'en'))).code).toBe('not_found')
		await recordFeedback(viewer, feedbackSchema.parse({ targetType: 'faq', targetId: ids.card, helpful: true }))
		expect((await refusal(recordPanelEvent(viewer, 'support_contacted'))).message).toBe('This community has no support link')
		await saveWidgetSettings(admin, { allowedOrigins: [], supportLink: 'https://support.example.com/new' })
		expect(await recordPanelEvent(viewer, 'support_contacted')).toEqual({ supportLink: 'https://support.example.com/new' })
		const rows = await db
			.select({ type: events.type, channel: events.channel, page: events.page })
			.from(events)
			.where(and(eq(events.userId, reader.id)))
		expect(rows).toEqual([
			{ type: 'content_view', channel: 'widget', page: '/settings/billing' },
			{ type: 'helpful', channel: 'widget', page: '/settings/billing' },
			{ type: 'support_contacted', channel: 'widget', page: '/settings/billing' },
		])
	})
})
