export type DomainErrorCode = 'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited'

const statusByCode: Record<DomainErrorCode, number> = {
	invalid: 400,
	unauthorized: 401,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	rate_limited: 429,
}

/** A refusal the person can understand; routes turn it into a form message or a 4xx JSON body. */
export class DomainError extends Error {
	readonly status: number
	constructor(
		readonly code: DomainErrorCode,
		message: string,
		readonly fieldErrors: Record<string, string> = {},
		/** For `rate_limited`: seconds until the next attempt can succeed (the Retry-After header). */
		readonly retryAfter?: number,
	) {
		super(message)
		this.status = statusByCode[code]
	}
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`)
