import { apiToken, createUser, expect, importContent, test, unique } from './support'

test.describe('JSON API v1', () => {
	let asker: string
	let other: string

	test.beforeAll(async () => {
		asker = await apiToken(await createUser('member'))
		other = await apiToken(await createUser('member'))
	})

	const auth = (token: string) => ({ Authorization: `Bearer ${token}` })

	test('creates, reads, answers, "me too" and searches', async ({ request }) => {
		const title = `API question about webhooks ${unique('api')}`
		const created = await request.post('/api/v1/questions', { headers: auth(asker), data: { title, body: 'How do I **verify** webhook signatures?', tags: ['api'] } })
		expect(created.status()).toBe(201)
		const { id, url } = await created.json()
		expect(url).toMatch(new RegExp(`^/questions/${id}/api-question-about-webhooks`))

		const answered = await request.post(`/api/v1/questions/${id}/answers`, { headers: auth(other), data: { body: 'Compare the HMAC in the header.' } })
		expect(answered.status()).toBe(201)
		const answer = await answered.json()
		expect(answer.url).toBe(`${url}#answer-${answer.id}`)

		const first = await request.post(`/api/v1/questions/${id}/me-too`, { headers: auth(other) })
		expect(await first.json()).toEqual({ count: 1 })
		const again = await request.post(`/api/v1/questions/${id}/me-too`, { headers: auth(other) })
		expect(await again.json()).toEqual({ count: 1 })
		const own = await request.post(`/api/v1/questions/${id}/me-too`, { headers: auth(asker) })
		expect(await own.json()).toEqual({ count: 1 })

		const fetched = await request.get(`/api/v1/questions/${id}`)
		expect(fetched.status()).toBe(200)
		const question = await fetched.json()
		expect(question).toMatchObject({ id, title, url, meToo: 1, tags: ['api'], solved: false, votes: { up: 0, down: 0 } })
		expect(question.answers).toHaveLength(1)
		expect(question.answers[0]).toMatchObject({ id: answer.id, body: 'Compare the HMAC in the header.', accepted: false })

		await expect(async () => {
			const searched = await request.get(`/api/v1/search?q=${encodeURIComponent('verify webhook signatures')}&type=question&limit=5`)
			expect(searched.status()).toBe(200)
			const result = await searched.json()
			expect(result.searchId).toMatch(/^[0-9a-f-]{36}$/)
			expect(result.hits[0]).toMatchObject({ id, type: 'question', title, url, externalId: null })
			expect(result.hits[0].snippet).toContain('<mark>')
			expect(result.facets.type.question).toBeGreaterThan(0)
		}).toPass({ timeout: 10_000 })
	})

	test('search filters by FAQ category and pages through the results', async ({ request }) => {
		const marker = unique('cat').replace(/[^a-z0-9]/g, '')
		const faq = (n: number, category: string) => ({ externalId: `${marker}-${n}`, title: `Exporting boards ${marker} part ${n}`, body: 'Board menu → Export.', category, published: true })
		await importContent({ faqs: [faq(1, `Billing ${marker}`), faq(2, `Exports ${marker}`), faq(3, `Exports ${marker}`)] })
		const search = async (params: string) => {
			const response = await request.get(`/api/v1/search?q=${marker}&${params}`)
			expect(response.status()).toBe(200)
			return (await response.json()) as { total: number; hits: Array<{ title: string }> }
		}
		await expect(async () => expect((await search('limit=10')).total).toBe(3)).toPass({ timeout: 10_000 })

		const exports = await search(`category=${encodeURIComponent(`Exports ${marker}`)}`)
		expect(exports.hits.map((hit) => hit.title).sort()).toEqual([`Exporting boards ${marker} part 2`, `Exporting boards ${marker} part 3`])

		const pages = await Promise.all([1, 2, 3, 4].map((page) => search(`limit=1&page=${page}`)))
		expect(pages.slice(0, 3).map((page) => page.hits.length)).toEqual([1, 1, 1])
		expect(new Set(pages.slice(0, 3).map((page) => page.hits[0]!.title)).size).toBe(3)
		expect(pages[3]!.hits).toEqual([])
	})

	test('refuses bad requests with a reason', async ({ request }) => {
		expect((await request.post('/api/v1/questions', { data: { title: 'No token here', body: 'Nobody signed in.' } })).status()).toBe(401)
		const invalidToken = await request.post('/api/v1/questions', { headers: auth('kz_not-a-token'), data: {} })
		expect(invalidToken.status()).toBe(401)

		const empty = await request.post('/api/v1/questions', { headers: auth(asker), data: { title: '', body: '' } })
		expect(empty.status()).toBe(400)
		expect((await empty.json()).error).toContain('title')

		const huge = await request.post('/api/v1/questions', { headers: auth(asker), data: { title: 'x'.repeat(151), body: 'A valid body.' } })
		expect(huge.status()).toBe(400)
		expect((await huge.json()).error).toBe('title: The title can have at most 150 characters')

		const notJson = await request.post('/api/v1/questions', { headers: { ...auth(asker), 'Content-Type': 'application/json' }, data: Buffer.from('{oops') })
		expect(notJson.status()).toBe(400)
		expect((await notJson.json()).error).toBe('The request body is not valid JSON')

		const missing = await request.get('/api/v1/questions/987654')
		expect(missing.status()).toBe(404)
		expect(await missing.json()).toEqual({ error: 'Question not found' })
		expect((await request.post('/api/v1/questions/987654/answers', { headers: auth(asker), data: { body: 'Hello there' } })).status()).toBe(404)
		expect((await request.post('/api/v1/questions/987654/me-too', { headers: auth(asker) })).status()).toBe(404)

		const badLimit = await request.get('/api/v1/search?q=x&limit=500')
		expect(badLimit.status()).toBe(400)
		expect((await badLimit.json()).error).toBe('limit must be between 1 and 50')
		const badPage = await request.get('/api/v1/search?q=x&page=0')
		expect(badPage.status()).toBe(400)
		expect((await badPage.json()).error).toBe('page must be between 1 and 100')
		const posted = await request.post('/api/v1/search?q=x', { headers: auth(asker) })
		expect(posted.status()).toBe(405)
		expect(posted.headers().allow).toBe('GET')
		expect(await posted.json()).toEqual({ error: 'Method not allowed; use GET' })
		// A pasted control character (PostgreSQL refuses NUL in text) must not break the search or its recording.
		const control = await request.get('/api/v1/search?q=export%00boards%09now')
		expect(control.status()).toBe(200)
		expect((await control.json()).searchId).toMatch(/^[0-9a-f-]{36}$/)
	})

	test('refuses in the requester’s language: the language cookie, else Accept-Language', async ({ request }) => {
		const ja = { 'Accept-Language': 'ja' }
		const tooLong = { title: 'x'.repeat(151), body: 'A valid body.' }
		const japanese = await request.post('/api/v1/questions', { headers: { ...auth(asker), ...ja }, data: tooLong })
		expect(japanese.status()).toBe(400)
		expect(await japanese.json()).toEqual({ error: 'title: タイトルは150文字以内にしてください' })
		const english = await request.post('/api/v1/questions', { headers: { ...auth(asker), 'Accept-Language': 'en' }, data: tooLong })
		expect(await english.json()).toEqual({ error: 'title: The title can have at most 150 characters' })

		// The language chosen in the header wins over the browser's, as on pages.
		const chosen = await request.get('/api/v1/search?q=x&limit=500', { headers: { Cookie: 'kz_lang=ja', 'Accept-Language': 'en' } })
		expect(chosen.status()).toBe(400)
		expect(await chosen.json()).toEqual({ error: 'limit は 1 から 50 までにしてください' })

		expect(await (await request.get('/api/v1/questions/987654', { headers: ja })).json()).toEqual({ error: '質問が見つかりません' })
		expect(await (await request.post('/api/v1/search?q=x', { headers: { ...auth(asker), ...ja } })).json()).toEqual({ error: 'このメソッドは使えません。GET を使ってください' })
		expect(await (await request.post('/api/v1/questions', { headers: { ...auth('kz_not-a-token'), ...ja }, data: {} })).json()).toEqual({ error: 'API トークンが正しくありません' })
		expect(await (await request.get('/api/v1/no-such-thing', { headers: ja })).json()).toEqual({ error: 'この API エンドポイントはありません' })
		const forged = await request.post('/questions/ask', { headers: { Origin: 'https://evil.example', Cookie: 'kz_session=abc', ...ja }, form: { title: 'Forged question title', body: 'Never posted.' } })
		expect(await forged.json()).toEqual({ error: '他のサイトからのリクエストは受け付けません' })
	})

	test('refuses cross-site form posts that carry a session', async ({ request }) => {
		const response = await request.post('/questions/ask', {
			headers: { Origin: 'https://evil.example', Cookie: 'kz_session=abc' },
			form: { title: 'Forged question title', body: 'This should never be posted.' },
		})
		expect(response.status()).toBe(403)
		expect(await response.json()).toEqual({ error: 'Cross-site request refused' })
	})

	test('health check', async ({ request }) => {
		const response = await request.get('/healthz')
		expect(response.status()).toBe(200)
		expect(await response.json()).toEqual({ status: 'ok' })
	})
})
