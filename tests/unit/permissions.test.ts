import { describe, expect, it } from 'vitest'
import { authorize, can, decide, type Actor } from '../../app/auth/permissions.server'
import { DomainError } from '../../app/utils/errors.server'

const actor = (role: Actor['role'], id: string = role, emailVerified = true): Actor => ({ id, role, displayName: role, email: `${id}@example.test`, emailVerified })
const open = { authorId: 'asker', duplicateOfQuestionId: null, duplicateOfFaqId: null, lockedAt: null, lockReason: null }
const closed = { ...open, duplicateOfQuestionId: 7 }

describe('the permission table', () => {
	it('refuses a vote on your own post and allows everyone else who is signed in', () => {
		expect(decide(actor('member', 'asker'), 'post:vote', { authorId: 'asker' })).toEqual({ allowed: false, code: 'forbidden', reason: 'You cannot vote on your own post' })
		expect(can(actor('member', 'other'), 'post:vote', { authorId: 'asker' })).toBe(true)
		expect(decide(null, 'post:vote', { authorId: 'asker' })).toMatchObject({ allowed: false, code: 'unauthorized' })
	})

	it('refuses answers to a closed duplicate whoever asks, before asking them to sign in', () => {
		for (const who of [null, actor('member'), actor('cs'), actor('admin')]) {
			expect(decide(who, 'answer:create', closed)).toEqual({ allowed: false, code: 'conflict', reason: 'This question was closed as a duplicate: answer the original instead' })
		}
		expect(decide(null, 'answer:create', open)).toMatchObject({ allowed: false, code: 'unauthorized' })
		expect(can(actor('member'), 'answer:create', open)).toBe(true)
		expect(can(actor('member'), 'answer:create', { ...open, duplicateOfFaqId: 3 })).toBe(false)
	})

	it('refuses answers to a locked thread whoever asks, with the reason staff gave', () => {
		const locked = { ...open, lockedAt: new Date(), lockReason: 'Resolved in release 4.2' }
		for (const who of [null, actor('member'), actor('admin')]) {
			expect(decide(who, 'answer:create', locked)).toEqual({ allowed: false, code: 'conflict', reason: 'This thread is locked: Resolved in release 4.2' })
		}
	})

	it('lets people with an unconfirmed address read, vote and say "me too", but not post', () => {
		const newcomer = actor('member', 'newcomer', false)
		const refusal = { allowed: false, code: 'forbidden', reason: 'Confirm your email address first: we sent you a link' }
		expect(decide(newcomer, 'question:create')).toEqual(refusal)
		expect(decide(newcomer, 'answer:create', open)).toEqual(refusal)
		expect(decide(newcomer, 'post:edit', { authorId: 'newcomer' })).toEqual(refusal)
		expect(can(newcomer, 'post:vote', { authorId: 'asker' })).toBe(true)
		expect(can(newcomer, 'question:me-too', { authorId: 'asker' })).toBe(true)
		expect(can(newcomer, 'tutorial:progress')).toBe(true)
		expect(can(newcomer, 'email:resend-verification')).toBe(true)
		expect(decide(actor('member'), 'email:resend-verification')).toMatchObject({ allowed: false, code: 'conflict' })
	})

	it('throws the refusal as a DomainError with its status', () => {
		const thrown = (() => {
			try {
				authorize(actor('member'), 'answer:create', closed)
			} catch (error) {
				return error
			}
		})()
		expect(thrown).toBeInstanceOf(DomainError)
		expect((thrown as DomainError).status).toBe(409)
		expect(() => authorize(actor('member'), 'webhooks:manage')).toThrow('You are not allowed to do that')
	})

	it('lets the author or staff edit, accept and see revisions', () => {
		for (const action of ['post:edit', 'answer:accept', 'revision:view'] as const) {
			expect(can(actor('member', 'asker'), action, { authorId: 'asker' })).toBe(true)
			expect(can(actor('member', 'other'), action, { authorId: 'asker' })).toBe(false)
			expect(can(actor('product'), action, { authorId: 'asker' })).toBe(false)
			expect(can(actor('cs'), action, { authorId: 'asker' })).toBe(true)
		}
	})
})
