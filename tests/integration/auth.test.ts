import { beforeEach, describe, expect, it } from 'vitest'
import { actorForApiToken } from '../../app/auth/api-tokens.server'
import { resolveActor } from '../../app/auth/session.server'
import { authenticate, createUser, signUp } from '../../app/auth/users.server'
import { DomainError } from '../../app/utils/errors.server'
import { createApiToken } from '../support/factories'
import { resetData } from '../support/reset'

describe('accounts', () => {
	beforeEach(resetData)

	it('makes the first person to sign up the admin, and later people members', async () => {
		const first = await signUp({ email: 'first@example.test', password: 'password-1', displayName: 'First' })
		const second = await signUp({ email: 'second@example.test', password: 'password-2', displayName: 'Second' })
		expect(first.role).toBe('admin')
		expect(second.role).toBe('member')
	})

	it('makes exactly one admin when people sign up at the same time', async () => {
		const people = await Promise.all(
			[1, 2, 3, 4].map((n) => signUp({ email: `p${n}@example.test`, password: 'password-x', displayName: `P${n}` })),
		)
		expect(people.filter((p) => p.role === 'admin')).toHaveLength(1)
	})

	it('still makes an admin of the first sign-up when only non-admins exist', async () => {
		await createUser({ email: 'cs@example.test', password: 'password-cs', displayName: 'CS', role: 'cs' })
		expect((await signUp({ email: 'boss@example.test', password: 'password-b', displayName: 'Boss' })).role).toBe('admin')
	})

	it('refuses a second account with the same email, whatever its case', async () => {
		await signUp({ email: 'same@example.test', password: 'password-1', displayName: 'A' })
		const error = await signUp({ email: 'SAME@example.test', password: 'password-2', displayName: 'B' }).catch((e) => e)
		expect(error).toBeInstanceOf(DomainError)
		expect(error.status).toBe(409)
	})

	it('checks passwords', async () => {
		await signUp({ email: 'me@example.test', password: 'right-password', displayName: 'Me' })
		expect(await authenticate('me@example.test', 'right-password')).toMatchObject({ email: 'me@example.test' })
		expect(await authenticate('me@example.test', 'wrong-password')).toBeNull()
		expect(await authenticate('nobody@example.test', 'right-password')).toBeNull()
	})

	it('accepts API tokens as the person who created them', async () => {
		const cs = await createUser({ email: 'cs@example.test', password: 'password-cs', displayName: 'CS', role: 'cs' })
		const token = await createApiToken(cs.id)
		expect((await actorForApiToken(token)).actor).toMatchObject({ id: cs.id, role: 'cs' })
		expect(await actorForApiToken(`${token}x`)).toEqual({ actor: null, refused: 'unknown' })
		const resolved = await resolveActor({ authorization: `Bearer ${token}` }, false)
		expect(resolved).toMatchObject({ via: 'token', actor: { id: cs.id } })
	})
})
