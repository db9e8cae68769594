export type DomainErrorCode = 'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'unsupported' | 'rate_limited' | 'unavailable'

const statusByCode: Record<DomainErrorCode, number> = {
	invalid: 400,
	unauthorized: 401,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	too_large: 413,
	unsupported: 415,
	rate_limited: 429,
	unavailable: 503,
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

export const DATABASE_UNAVAILABLE = 'The database is unavailable; please try again in a minute'

// postgres.js reports a lost or refused connection with these codes (its own or Node's socket errors).
const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT'])

/**
 * PostgreSQL's own refusals of a value it cannot store or compare (SQLSTATE class 22):
 * a NUL character, a date or number out of range, text that is not a number. Every
 * such value came from a request, so it is the request that is at fault.
 */
const invalidValueStates = new Set(['22021', '22P05', '22008', '22007', '22009', '22003', '22P02', '22001', '54000'])

function errorCode(error: unknown): string | undefined {
	const code = (error as { code?: unknown } | null)?.code
	return typeof code === 'string' ? code : undefined
}

/**
 * The one place where failures from below (the database driver, drizzle's wrapped
 * query errors) become DomainErrors: an outage is `unavailable`, a value the database
 * refused is `invalid`, a person's address, handle or product user taken meanwhile, or a second flag on one post, is `conflict`. Anything else stays a bug (null) and is logged as a 500.
 */
export function asDomainError(error: unknown): DomainError | null {
	for (let cause = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
		if (cause instanceof DomainError) return cause
		const code = errorCode(cause)
		if (!code) continue
		// SQLSTATE 08xxx: connection exceptions; 57P0x: the server is shutting down or starting.
		if (connectionCodes.has(code) || code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300') {
			return new DomainError('unavailable', DATABASE_UNAVAILABLE, {}, 30)
		}
		if (invalidValueStates.has(code)) return new DomainError('invalid', 'The request contains a value that cannot be stored (out of range or an invalid character)')
		// Addresses and handles are checked before they are written, but another request can take one in between.
		if (code === '23505') {
			const constraint = (cause as { constraint_name?: unknown }).constraint_name
			if (constraint === 'users_email_key') return new DomainError('conflict', 'An account with this email already exists', { email: 'An account with this email already exists' })
			if (constraint === 'users_handle_key') return new DomainError('conflict', 'Someone took this name at the same moment: please try again')
			// Two first sign-ins of one product user; single sign-on serialises them, this is the last guard.
			if (constraint === 'flags_once_per_person') return new DomainError('conflict', 'You have already flagged this post')
			if (constraint === 'users_sso_subject_key') return new DomainError('conflict', 'You were signed in from the product twice at the same moment: please try again')
		}
	}
	return null
}
