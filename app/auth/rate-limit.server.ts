import { RateLimiterMemory } from 'rate-limiter-flexible'
import { singleton } from '~/utils/singleton.server'
import { DomainError } from '~/utils/errors.server'

const limiters = singleton('rate-limiters', () => ({
	signIn: new RateLimiterMemory({ points: 10, duration: 15 * 60 }),
	signUp: new RateLimiterMemory({ points: 20, duration: 60 * 60 }),
	// Markdown previews per person: the editor asks after each pause in typing.
	preview: new RateLimiterMemory({ points: 60, duration: 60 }),
}))

/** Slows down password guessing and mass sign-ups from one address. */
export async function limit(kind: keyof typeof limiters, key: string) {
	try {
		await limiters[kind].consume(key)
	} catch {
		throw new DomainError('rate_limited', 'Too many attempts. Wait a few minutes and try again.')
	}
}
