import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { db } from '../../db/client.server'
import { resolveActor } from '../../app/auth/session.server'
import { DATABASE_UNAVAILABLE, DomainError } from '../../app/utils/errors.server'
import { apiFailure, formResponse, pageError } from '../../app/utils/http.server'
import { person } from '../support/factories'

// Nothing listens on port 1: every query fails to connect, as during an outage.
const closed = postgres({ host: '127.0.0.1', port: 1, database: 'kizuna', username: 'kizuna', max: 1, connect_timeout: 2, onnotice: () => {} })
const down = drizzle(closed)
afterAll(() => closed.end({ timeout: 1 }))

const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error)

describe('a database outage', () => {
	it('is a 503 with a plain reason on the API, on forms and on pages', async () => {
		const error = await failureOf(down.execute(sql`select 1`))
		expect(apiFailure(error, 'en')).toEqual({ status: 503, body: { error: DATABASE_UNAVAILABLE }, headers: { 'Retry-After': '30' } })
		expect(apiFailure(error, 'ja').body).toEqual({ error: 'データベースを利用できません。しばらくしてからもう一度お試しください' })

		const form = (await formResponse(() => down.execute(sql`select 1`))) as Response
		expect(form.status).toBe(503)
		expect(await form.json()).toEqual({ result: { status: 'error', error: { '': [DATABASE_UNAVAILABLE] } } })

		const page = (await failureOf(down.execute(sql`select 1`).catch(pageError))) as Response
		expect(page.status).toBe(503)
		expect(await page.text()).toBe(DATABASE_UNAVAILABLE)
	})
})

describe('values the database refuses', () => {
	it('are the request’s fault: 400 with a reason that shows no SQL', async () => {
		for (const query of [sql`select ${'a\u0000b'}::text`, sql`select ${'+010000-01-01T00:00:00.000Z'}::timestamptz`, sql`select ${'99999999999'}::int`]) {
			const failure = apiFailure(await failureOf(db.execute(query)), 'en')
			expect(failure.status).toBe(400)
			expect(failure.body.error).not.toMatch(/select|::|\$1/i)
		}
	})

	it('is a 409 with the reason when an address was taken between the check and the write', async () => {
		const [first, second] = [await person('member'), await person('member')]
		const write = db.execute(sql`update users set email = ${first.email.toUpperCase()} where id = ${second.id}`)
		expect(apiFailure(await failureOf(write), 'en')).toEqual({ status: 409, body: { error: 'An account with this email already exists' }, headers: {} })
	})

	it('leaves real bugs as a logged 500 without details', async () => {
		const failure = apiFailure(await failureOf(db.execute(sql`select * from no_such_table`)), 'en')
		expect(failure).toEqual({ status: 500, body: { error: 'Something went wrong on our side' }, headers: {} })
	})
})

describe('an unreadable session cookie', () => {
	it('is a signed-out visitor whose cookie is cleared', async () => {
		for (const cookie of ['kz_session=%00', `kz_session=${'x'.repeat(5000)}`, 'kz_session=%E0%A4%A']) {
			const session = await resolveActor({ cookie }, false)
			expect(session.actor).toBeNull()
			expect(session.setCookies).toEqual([expect.stringMatching(/^kz_session=; Max-Age=0/)])
		}
		expect(new DomainError('unavailable', DATABASE_UNAVAILABLE).status).toBe(503)
	})
})
