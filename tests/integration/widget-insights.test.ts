import type { AppLoadContext } from '@remix-run/node'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { asc, eq, sql } from 'drizzle-orm'
import { db } from '../../db/client.server'
import { accounts, events, faqs, helpJourneys, tutorialSteps } from '../../db/schema'
import { assignMember } from '../../app/accounts/accounts.server'
import type { Actor } from '../../app/auth/permissions.server'
import { createQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { recordActivity, recordEvent, type EventActor } from '../../app/insights/events.server'
import { buildJourneys } from '../../app/insights/journeys.server'
import { hostPages, summary } from '../../app/insights/metrics.server'
import { resolveRange } from '../../app/insights/range.server'
import { recordFeedback, recordSearchClick } from '../../app/knowledge/feedback.server'
import { recordFaqView } from '../../app/knowledge/faqs.server'
import { createTutorial, setStepDone } from '../../app/knowledge/tutorials.server'
import { feedbackSchema, tutorialSchema } from '../../app/knowledge/validation'
import { loader as pagesApi } from '../../app/routes/api.v1.insights.pages'
import { loader as summaryApi } from '../../app/routes/api.v1.insights.summary'
import { action as askAction, loader as askLoader } from '../../app/routes/questions.ask'
import type { RequestContext } from '../../app/server/context'
import { closeSearchApiServers, searchApiServer } from '../support/search-api'
import type { EventPlace } from '../../app/utils/event-place'
import { person } from '../support/factories'
import { resetData } from '../support/reset'

const DAY = '2026-05-10'
const at = (time: string, day = DAY) => new Date(`${day}T${time}:00Z`)
const billing: EventPlace = { channel: 'widget', page: '/settings/billing' }
const projects: EventPlace = { channel: 'widget', page: '/projects' }
const as = (actor: Actor, place?: EventPlace): EventActor => ({ actor, visitorId: null, place })

const apiContext = (actor: Actor | null) => ({ actor, authVia: actor ? 'token' : null, visitorId: 'api-visitor', locale: 'en', secure: false, clientIp: '127.0.0.1' }) as AppLoadContext
const callApi = async (loader: typeof pagesApi, actor: Actor | null, query: string) => {
	const response = (await loader({ request: new Request(`http://localhost/api/v1/insights/x?${query}`), params: {}, context: apiContext(actor) })) as Response
	return { status: response.status, body: await response.json() }
}

/** insight_daily must equal counting help_journeys and the searches that have a journey, per day, account and channel. */
async function rollupsAreExact() {
	const difference = await db.execute(sql`
		with counted as (
			select day, account_id, channel, sum(journeys)::int as journeys, sum(self_resolved)::int as self_resolved, sum(escalated)::int as escalated, sum(searches)::int as searches
			from (
				select (started_at at time zone 'UTC')::date as day, account_id, channel, count(*) filter (where is_help) as journeys,
					count(*) filter (where self_resolved) as self_resolved, count(*) filter (where escalated) as escalated, 0 as searches
				from help_journeys group by 1, 2, 3
				union all
				select (occurred_at at time zone 'UTC')::date, account_id, channel, 0, 0, 0, count(*) from events where type = 'search' and journey_id is not null group by 1, 2, 3
			) x group by 1, 2, 3
		),
		kept as (select day, account_id, channel, journeys, self_resolved, escalated, searches from insight_daily where journeys <> 0 or self_resolved <> 0 or escalated <> 0 or searches <> 0)
		(select * from counted where journeys <> 0 or self_resolved <> 0 or escalated <> 0 or searches <> 0 except select * from kept)
		union all
		(select * from kept except select * from counted)`)
	expect(difference).toEqual([])
}

const journeys = () =>
	db
		.select({ channel: helpJourneys.channel, page: helpJourneys.page, startedAt: helpJourneys.startedAt, selfResolved: helpJourneys.selfResolved, escalated: helpJourneys.escalated })
		.from(helpJourneys)
		.where(eq(helpJourneys.isHelp, true))
		.orderBy(asc(helpJourneys.startedAt), asc(helpJourneys.page))

async function publishedFaq() {
	const [faq] = await db.insert(faqs).values({ title: 'Change the billing address', body: 'Billing → Address.', slug: 'billing-address', published: true }).returning({ id: faqs.id })
	return faq!.id
}

describe('insights of the help widget', () => {
	beforeEach(resetData)
	afterEach(closeSearchApiServers)

	it("cuts one person's widget events into journeys per host page, apart from their community journeys, and escalates on 'Contact support'", async () => {
		const faqId = await publishedFaq()
		const member = await person()
		// Billing page: searches, reads the FAQ and says it helped.
		await recordEvent(db, as(member, billing), { type: 'search', query: 'billing address', resultCount: 1 }, at('09:00'))
		await recordEvent(db, as(member, billing), { type: 'content_view', targetType: 'faq', targetId: faqId }, at('09:05'))
		await recordEvent(db, as(member, billing), { type: 'helpful', targetType: 'faq', targetId: faqId }, at('09:06'))
		// Meanwhile on the projects page: searches in vain and contacts support.
		await recordEvent(db, as(member, projects), { type: 'search', query: 'archive project', resultCount: 0 }, at('09:02'))
		await recordEvent(db, as(member, projects), { type: 'support_contacted' }, at('09:10'))
		// And on the community site: finds the FAQ.
		await recordEvent(db, as(member), { type: 'search', query: 'invoice', resultCount: 1 }, at('09:03'))
		await recordEvent(db, as(member), { type: 'content_view', targetType: 'faq', targetId: faqId }, at('09:04'))
		// Back on billing 44 minutes after the last billing event: a new journey, though the other pages had events in between.
		await recordEvent(db, as(member, projects), { type: 'search', query: 'archive', resultCount: 0 }, at('09:30'))
		await recordEvent(db, as(member, billing), { type: 'search', query: 'refund', resultCount: 0 }, at('09:50'))
		await buildJourneys()

		expect(await journeys()).toEqual([
			{ channel: 'widget', page: '/settings/billing', startedAt: at('09:00'), selfResolved: true, escalated: false },
			{ channel: 'widget', page: '/projects', startedAt: at('09:02'), selfResolved: false, escalated: true },
			{ channel: 'community', page: null, startedAt: at('09:03'), selfResolved: true, escalated: false },
			{ channel: 'widget', page: '/settings/billing', startedAt: at('09:50'), selfResolved: false, escalated: false },
		])
		const figures = await summary(await resolveRange({ from: DAY, to: DAY }))
		expect(figures).toMatchObject({ journeys: 4, selfResolved: 2, escalated: 1, selfResolutionRate: 0.5, searches: 5 })
		expect(figures.byChannel).toEqual({
			community: { journeys: 1, selfResolved: 1, escalated: 0, selfResolutionRate: 1 },
			widget: { journeys: 3, selfResolved: 1, escalated: 1, selfResolutionRate: 1 / 3 },
		})
		await rollupsAreExact()
	})

	it('places a late widget event in the journey of its page only, keeping the rollups exact', async () => {
		const faqId = await publishedFaq()
		const visitor: EventActor = { actor: null, visitorId: 'v1', place: billing }
		await recordEvent(db, visitor, { type: 'search', query: 'address', resultCount: 1 }, at('09:00'))
		await recordEvent(db, visitor, { type: 'search', query: 'billing address', resultCount: 1 }, at('09:50'))
		await recordEvent(db, { ...visitor, place: projects }, { type: 'search', query: 'archive', resultCount: 1 }, at('09:20'))
		await recordEvent(db, { ...visitor, place: undefined }, { type: 'search', query: 'archive', resultCount: 1 }, at('09:24'))
		await buildJourneys()
		expect((await journeys()).map((j) => j.page)).toEqual(['/settings/billing', '/projects', null, '/settings/billing'])

		// Recorded late, it happened at 09:25 on billing: it joins both billing runs into one resolved journey.
		await recordEvent(db, visitor, { type: 'result_click', targetType: 'faq', targetId: faqId }, at('09:25'))
		await buildJourneys()
		expect(await journeys()).toEqual([
			{ channel: 'widget', page: '/settings/billing', startedAt: at('09:00'), selfResolved: true, escalated: false },
			{ channel: 'widget', page: '/projects', startedAt: at('09:20'), selfResolved: false, escalated: false },
			{ channel: 'community', page: null, startedAt: at('09:24'), selfResolved: false, escalated: false },
		])
		const [assigned] = (await db.execute(sql`select count(*)::int as n from events where journey_id is null`)) as unknown as Array<{ n: number }>
		expect(assigned!.n).toBe(0)
		await rollupsAreExact()
	})

	it('records the place of every widget action through the domain functions and the search API', async () => {
		const faqId = await publishedFaq()
		const cs = await person('cs')
		const member = await person()
		const tutorial = await createTutorial(
			cs,
			tutorialSchema.parse({ title: 'Set up billing', summary: 'Billing in five minutes.', estimatedMinutes: '5', phase: 'onboarding', language: 'en', published: 'on', steps: [{ title: 'Add a card', body: 'Billing → Card.' }] }),
		)
		const [step] = await db.select({ id: tutorialSteps.id }).from(tutorialSteps).where(eq(tutorialSteps.tutorialId, tutorial.id))
		await db.delete(events)

		const search = await searchServer(member)
		const searched = await search('q=billing&channel=widget&page=%2Fsettings%2Fbilling%3Ftab%3Dcard%23top')
		expect(searched.status).toBe(200)
		const { searchId } = (await searched.json()) as { searchId: string }
		await recordSearchClick(as(member, billing), searchId, { hitId: faqId, hitType: 'faq' })
		await recordFaqView(faqId, as(member, billing))
		await recordFeedback({ actor: member, visitorId: 'v', clientIp: '127.0.0.1', place: billing }, feedbackSchema.parse({ targetType: 'faq', targetId: faqId, helpful: false, reason: 'unclear' }))
		await recordFeedback({ actor: member, visitorId: 'v', clientIp: '127.0.0.1', place: billing }, feedbackSchema.parse({ targetType: 'faq', targetId: faqId, helpful: true }))
		await setStepDone(member, tutorial.id, step!.id, true, billing)
		await createQuestion(member, questionSchema.parse({ title: 'Card is refused on the billing page', body: 'Every card I add is refused.' }), undefined, projects)
		// The ask form opened from the widget posts back to its own address, place included.
		const ask = `http://localhost/questions/ask?channel=widget&page=${encodeURIComponent(billing.page!)}`
		await askLoader({ request: new Request(ask), params: {}, context: apiContext(member) })
		const posted = (await askAction({
			request: new Request(ask, { method: 'POST', body: new URLSearchParams({ title: 'Which card types does billing take?', body: 'Is American Express accepted?', language: 'en' }) }),
			params: {},
			context: apiContext(member),
		})) as Response
		expect(posted.status).toBe(302)
		await recordActivity(as(member, projects), { type: 'support_contacted' })
		// The community's own actions stay where they were.
		expect((await search('q=billing&page=1')).status).toBe(200)

		const recorded = await db.select({ type: events.type, channel: events.channel, page: events.page }).from(events).orderBy(asc(events.id))
		expect(recorded).toEqual([
			{ type: 'search', channel: 'widget', page: '/settings/billing' },
			{ type: 'result_click', channel: 'widget', page: '/settings/billing' },
			{ type: 'content_view', channel: 'widget', page: '/settings/billing' },
			{ type: 'not_helpful', channel: 'widget', page: '/settings/billing' },
			{ type: 'helpful', channel: 'widget', page: '/settings/billing' },
			{ type: 'tutorial_step_done', channel: 'widget', page: '/settings/billing' },
			{ type: 'question_posted', channel: 'widget', page: '/projects' },
			{ type: 'ask_form_opened', channel: 'widget', page: '/settings/billing' },
			{ type: 'question_posted', channel: 'widget', page: '/settings/billing' },
			{ type: 'support_contacted', channel: 'widget', page: '/projects' },
			{ type: 'search', channel: 'community', page: null },
		])

		// However a caller names the page, only its path is kept, and only for the widget.
		await db.delete(events)
		await recordActivity(as(member, { channel: 'widget', page: 'https://app.example/settings/billing?token=secret#card' }), { type: 'support_contacted' })
		await recordActivity(as(member, { channel: 'community', page: '/settings/billing' }), { type: 'ask_form_opened' })
		expect(await db.select({ channel: events.channel, page: events.page }).from(events).orderBy(asc(events.id))).toEqual([
			{ channel: 'widget', page: '/settings/billing' },
			{ channel: 'community', page: null },
		])
	})

	it('refuses an unknown channel and a widget page that is not a path in GET /api/v1/search', async () => {
		const search = await searchServer(null)
		const refusal = async (query: string) => {
			const response = await search(query)
			return { status: response.status, body: await response.json() }
		}
		expect(await refusal('q=x&channel=email')).toEqual({ status: 400, body: { error: 'channel must be one of: community, widget' } })
		expect(await refusal(`q=x&channel=widget&page=${'a'.repeat(2001)}`)).toEqual({ status: 400, body: { error: 'page (the host page) can have at most 2000 characters' } })
		expect(await refusal('q=x&channel=widget&page=javascript%3Aalert(1)')).toEqual({ status: 400, body: { error: 'page must be the path of the host page, such as /settings/billing' } })
		// Without the widget, page is still the page of results.
		expect(await refusal('q=x&page=%2Fsettings')).toEqual({ status: 400, body: { error: 'page must be a number' } })
		expect((await search('q=x&channel=widget')).status).toBe(200)
	})

	it('answers GET /api/v1/insights/pages and byChannel for the period and account asked, and refuses bad input with the reason', async () => {
		const cs = await person('cs')
		const customer = await person()
		const outsider = await person()
		await db.insert(accounts).values({ externalId: 'crm-9', name: 'Hinoki Logistics' })
		for (const [who, place, time] of [
			[customer, billing, '09:00'],
			[customer, projects, '09:00'],
			[outsider, billing, '10:00'],
		] as const) {
			await recordEvent(db, as(who, place), { type: 'search', query: 'help', resultCount: 1 }, at(time))
		}
		await recordEvent(db, as(outsider, billing), { type: 'support_contacted' }, at('10:05'))
		await recordEvent(db, as(customer, projects), { type: 'content_view', targetType: 'question', targetId: 1 }, at('09:01'))
		// Another day: outside the period asked for.
		await recordEvent(db, as(outsider, projects), { type: 'search', query: 'help', resultCount: 1 }, at('09:00', '2026-05-12'))
		await buildJourneys()
		// Assigned after the fact: their widget journeys move to the account with them.
		await assignMember(cs, 'crm-9', customer.email)
		await rollupsAreExact()

		const all = await callApi(pagesApi, cs, `from=${DAY}&to=${DAY}`)
		expect(all).toEqual({
			status: 200,
			body: {
				pages: [
					{ page: '/settings/billing', journeys: 2, selfResolutionRate: 0, escalated: 1 },
					{ page: '/projects', journeys: 1, selfResolutionRate: 1, escalated: 0 },
				],
			},
		})
		expect((await callApi(pagesApi, cs, `from=${DAY}&to=2026-05-12`)).body.pages[1]).toEqual({ page: '/projects', journeys: 2, selfResolutionRate: 0.5, escalated: 0 })
		expect((await callApi(pagesApi, cs, `from=${DAY}&to=${DAY}&account=crm-9`)).body).toEqual({
			pages: [
				{ page: '/projects', journeys: 1, selfResolutionRate: 1, escalated: 0 },
				{ page: '/settings/billing', journeys: 1, selfResolutionRate: 0, escalated: 0 },
			],
		})
		expect(await hostPages(await resolveRange({ from: '2026-05-11', to: '2026-05-11' }))).toEqual([])

		const scoped = (await callApi(summaryApi, cs, `from=${DAY}&to=${DAY}&account=crm-9`)).body
		expect(scoped.byChannel).toEqual({
			community: { journeys: 0, selfResolved: 0, escalated: 0, selfResolutionRate: null },
			widget: { journeys: 2, selfResolved: 1, escalated: 0, selfResolutionRate: 0.5 },
		})
		const everyone = (await callApi(summaryApi, cs, `from=${DAY}&to=${DAY}`)).body
		for (const key of ['journeys', 'selfResolved', 'escalated'] as const) expect(everyone.byChannel.community[key] + everyone.byChannel.widget[key]).toBe(everyone[key])

		expect(await callApi(pagesApi, cs, 'from=2026-02-30')).toEqual({ status: 400, body: expect.objectContaining({ error: expect.stringMatching(/not a real date/) }) })
		expect(await callApi(pagesApi, cs, 'from=2026-05-10&to=2026-05-01')).toEqual({ status: 400, body: expect.objectContaining({ error: expect.stringMatching(/on or before/) }) })
		expect(await callApi(pagesApi, cs, 'from=2025-01-01&to=2026-05-01')).toEqual({ status: 400, body: expect.objectContaining({ error: expect.stringMatching(/at most 366 days/) }) })
		expect(await callApi(pagesApi, cs, `account=${'x'.repeat(201)}`)).toEqual({ status: 400, body: expect.objectContaining({ error: expect.stringMatching(/account/) }) })
		expect((await callApi(pagesApi, cs, 'account=nope')).status).toBe(404)
		expect((await callApi(pagesApi, await person('member'), '')).status).toBe(403)
		expect((await callApi(pagesApi, null, '')).status).toBe(401)
	})
})

/** GET /api/v1/search behind Express, as app/server/main.ts serves it, for one person (or a visitor). */
async function searchServer(actor: Actor | null) {
	const base = await searchApiServer(() => ({ actor, authVia: actor ? 'token' : null, visitorId: 'search-visitor', locale: 'en', secure: false, clientIp: '127.0.0.1', cspNonce: '' }) satisfies RequestContext)
	return (query: string) => fetch(`${base}/api/v1/search?${query}`)
}
