import { expect } from 'vitest'
import { DomainError } from '../../app/utils/errors.server'

/** The DomainError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function refusal(promise: Promise<unknown>): Promise<DomainError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	)
	expect(error).toBeInstanceOf(DomainError)
	return error as DomainError
}
