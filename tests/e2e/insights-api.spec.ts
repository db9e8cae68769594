import { type APIRequestContext } from '@playwright/test'
import { apiToken, createUser, expect, importAccounts, test, unique } from './support'

const auth = (token: string) => ({ Authorization: `Bearer ${token}` })
const today = () => new Date().toISOString().slice(0, 10)

/** One customer account with its own email domain, imported the way CS would. */
async function importAccount() {
	const externalId = unique('crm')
	const domain = `${externalId}.example.test`
	const report = await importAccounts(`externalId,name,plan,size,industry,phase,domains\n${externalId},Hanamaru Logistics,growth,50-200,logistics,adoption,${domain}\n`)
	expect(report.created).toBe(1)
	return { externalId, domain }
}

async function customer(domain: string) {
	return apiToken(await createUser('member', `${unique('member')}@${domain}`))
}

/** Waits until the search index has the question, searching as someone outside the account. */
async function waitUntilIndexed(request: APIRequestContext, token: string, q: string, id: number) {
	await expect(async () => {
		const result = await (await request.get(`/api/v1/search?q=${encodeURIComponent(q)}`, { headers: auth(token) })).json()
		expect(result.hits.map((hit: { id: number }) => hit.id)).toContain(id)
	}).toPass({ timeout: 10_000 })
}

test.describe('insights API', () => {
	test('counts journeys replayed through the public API exactly, per account', async ({ request }) => {
		const { externalId, domain } = await importAccount()
		const [asker, finder, escalator, reader] = [await customer(domain), await customer(domain), await customer(domain), await customer(domain)]
		const analyst = await apiToken(await createUser('product'))

		const title = `Scheduled export emails arrive empty ${unique('q')}`
		const posted = await request.post('/api/v1/questions', { headers: auth(asker), data: { title, body: 'The attachment has headers but no rows.' } })
		expect(posted.status()).toBe(201)
		const { id } = await posted.json()

		// Finder: searches, opens the thread from the results and says it solved the problem.
		await waitUntilIndexed(request, analyst, title, id)
		const search = await (await request.get(`/api/v1/search?q=${encodeURIComponent(title)}`, { headers: auth(finder) })).json()
		expect(search.hits[0].id).toBe(id)
		expect((await request.post(`/api/v1/searches/${search.searchId}/clicks`, { headers: auth(finder), data: { hitId: id } })).status()).toBe(204)
		const vote = await request.post('/api/v1/feedback', { headers: auth(finder), data: { targetType: 'question', targetId: id, helpful: true, searchId: search.searchId } })
		expect(vote.ok()).toBe(true)
		// Escalator: finds nothing and asks.
		// Words found nowhere, not even by typo tolerance or prefix (unique() ids would match other tests' titles).
		const nothing = 'frobozz xyzzy plugh'
		expect((await (await request.get(`/api/v1/search?q=${encodeURIComponent(nothing)}`, { headers: auth(escalator) })).json()).total).toBe(0)
		expect((await request.post('/api/v1/questions', { headers: auth(escalator), data: { title: `Where is the audit log ${unique('q')}`, body: 'I cannot find it.' } })).status()).toBe(201)
		// Reader: reads the thread and has the same problem.
		expect((await request.get(`/api/v1/questions/${id}`, { headers: auth(reader) })).ok()).toBe(true)
		expect((await request.post(`/api/v1/questions/${id}/me-too`, { headers: auth(reader) })).ok()).toBe(true)

		const query = `from=${today()}&to=${today()}&account=${encodeURIComponent(externalId)}`
		const summary = await request.get(`/api/v1/insights/summary?${query}`, { headers: auth(analyst) })
		expect(summary.status()).toBe(200)
		const figures = await summary.json()
		// Other tests may have published onboarding tutorials, which these customers have not done.
		expect([null, 0]).toContain(figures.onboardingCompletionRate)
		// The asker's bare POST is no help journey (no search, ask form or view).
		expect(figures).toEqual({
			journeys: 3,
			selfResolved: 2,
			escalated: 1,
			selfResolutionRate: 2 / 3,
			deflections: 0,
			searches: 2,
			zeroResultSearches: 1,
			questionsAsked: 2,
			questionsAnswered: 0,
			answerRate24h: 0,
			medianFirstAnswerMinutes: null,
			helpfulShare: 1,
			onboardingCompletionRate: figures.onboardingCompletionRate,
			// Everything here happened on the community site.
			byChannel: {
				community: { journeys: 3, selfResolved: 2, escalated: 1, selfResolutionRate: 2 / 3 },
				widget: { journeys: 0, selfResolved: 0, escalated: 0, selfResolutionRate: null },
			},
		})

		const topics = await (await request.get(`/api/v1/insights/unanswered-topics?${query}`, { headers: auth(analyst) })).json()
		// 1 + "me too" + two journeys resolved on it (the finder's vote, the reader's view); the finder's
		// wording alone does not count as a learned phrasing yet (it takes three people or one staff member).
		expect(topics.topics[0]).toMatchObject({ questionId: id, title, frequency: 4, meToo: 1, tags: [] })
		expect(topics.topics[0].url).toMatch(new RegExp(`^/questions/${id}/`))

		const zero = await (await request.get(`/api/v1/insights/zero-result-queries?${query}`, { headers: auth(analyst) })).json()
		expect(zero.queries).toEqual([{ query: nothing, count: 1, lastSeen: expect.any(String) }])

		const accounts = await (await request.get(`/api/v1/insights/accounts?${query}`, { headers: auth(analyst) })).json()
		expect(accounts.accounts).toEqual([
			{
				onboardingCompletionRate: figures.onboardingCompletionRate,
				externalId,
				name: 'Hanamaru Logistics',
				plan: 'growth',
				phase: 'adoption',
				members: 4,
				activeMembers: 4,
				journeys: 3,
				selfResolutionRate: 2 / 3,
				questionsAsked: 2,
				unanswered: 2,
			},
		])
	})

	test('refuses members and bad input with a reason', async ({ request }) => {
		const member = await apiToken(await createUser('member'))
		const cs = await apiToken(await createUser('cs'))
		const anonymous = await request.get('/api/v1/insights/summary')
		expect(anonymous.status()).toBe(401)
		const refused = await request.get('/api/v1/insights/accounts', { headers: auth(member) })
		expect(refused.status()).toBe(403)
		expect(await refused.json()).toEqual({ error: expect.any(String) })
		const badDate = await request.get('/api/v1/insights/summary?from=2026-13-01', { headers: auth(cs) })
		expect(badDate.status()).toBe(400)
		expect((await badDate.json()).error).toMatch(/from/)
		expect((await request.get('/api/v1/insights/summary?account=no-such-account', { headers: auth(cs) })).status()).toBe(404)
		expect((await request.get('/api/v1/insights/accounts?phase=churned', { headers: auth(cs) })).status()).toBe(400)
	})
})
