import type { AppLoadContext } from '@remix-run/node'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { handleError } from '../../app/entry.server'
import { DomainError, notFound } from '../../app/utils/errors.server'
import { log } from '../../app/utils/log.server'

const logged = vi.spyOn(log, 'error').mockImplementation(() => {})
afterEach(() => logged.mockClear())

function report(error: unknown) {
	const context = {} as AppLoadContext
	handleError(error, { request: new Request('http://kizuna.invalid/questions/999'), params: {}, context })
	return context
}

/** What Remix hands to handleError for an address no route matches. */
const unmatched = Object.assign(new Error('No route matches URL "/nope"'), { status: 404, statusText: 'Not Found', internal: true, data: 'Error: No route matches URL "/nope"', error: new Error('No route matches URL "/nope"') })

describe('server error log', () => {
	it('leaves expected refusals out: unknown addresses, not found, forbidden, conflicts, limits', () => {
		report(unmatched)
		for (const refusal of [notFound('Question'), new DomainError('forbidden', 'Staff only'), new DomainError('conflict', 'Already closed'), new DomainError('rate_limited', 'Slow down', {}, 30), new DomainError('invalid', 'Bad')]) {
			expect(report(refusal).refusal?.status).toBe(refusal.status)
		}
		expect(logged).not.toHaveBeenCalled()
	})

	it('still logs real failures and outages with their stack', () => {
		const failure = new Error('boom')
		report(failure)
		report(new DomainError('unavailable', 'Database down'))
		expect(logged).toHaveBeenCalledTimes(2)
		expect(logged.mock.calls[0]![0]).toEqual({ err: failure })
	})
})
