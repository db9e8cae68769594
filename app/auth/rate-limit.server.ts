import crypto from 'node:crypto'
import type postgres from 'postgres'
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible'
import { rawSql } from '#db/client.server'
import { loadConfig, type RateLimitKind, type RateLimitRule } from '~/config.server'
import { DomainError } from '~/utils/errors.server'
import { singleton } from '~/utils/singleton.server'
import { log } from '~/utils/log.server'

/** Created by migration 0007_rate_limits, in the shape RateLimiterPostgres expects. */
const TABLE = 'rate_limits'

/**
 * RateLimiterPostgres speaks to a `pg` client (`query({ text, values })` →
 * `{ rows, rowCount }`); the app talks to PostgreSQL through postgres.js, so this
 * passes its queries on to a postgres.js pool. Statement names (`pg`'s prepared
 * statements) are dropped: postgres.js prepares parameterised queries itself.
 */
const pgStyleClient = (connection: () => postgres.Sql) => ({
	async query(query: { text: string; values?: unknown[] }) {
		const rows = await connection().unsafe(query.text, (query.values ?? []) as never[])
		return { rows, rowCount: rows.count }
	},
})

/**
 * A limiter whose counts live in PostgreSQL, so every process serving Kizuna
 * shares them: a client spreading its requests over several servers is counted
 * once. Each kind has its own key prefix in the one table.
 *
 * A key that has used up its points is remembered by this process until its
 * window ends, and refused without asking PostgreSQL again: a flood from one
 * client then costs a database round trip per request only until it is over its
 * limit (`npm run bench:abuse`: its refusals were most of the attack's queries).
 */
export function createRateLimiter(kind: RateLimitKind, rule: RateLimitRule, connection: () => postgres.Sql = rawSql) {
	return new RateLimiterPostgres({
		storeClient: pgStyleClient(connection),
		storeType: 'client',
		tableName: TABLE,
		tableCreated: true,
		keyPrefix: kind,
		points: rule.points,
		duration: rule.seconds,
		inMemoryBlockOnConsumed: rule.points,
	})
}

const limiters = singleton('rate-limiters', () => {
	const rules = loadConfig().KIZUNA_RATE_LIMITS
	return new Map((Object.keys(rules) as RateLimitKind[]).map((kind) => [kind, createRateLimiter(kind, rules[kind])]))
})

/**
 * Reads (searches, API token requests) go on when the limiter's database cannot be
 * reached: refusing them would turn a database hiccup into an outage of search,
 * which can still answer without PostgreSQL. Writes need the database anyway, so
 * their failure surfaces as the outage it is.
 */
const failOpen = new Set<RateLimitKind>(['search', 'apiToken'])

const messages: Record<RateLimitKind, string> = {
	signInAccount: 'Too many sign-in attempts for this account.',
	signInAddress: 'Too many sign-in attempts from your network.',
	signUp: 'Too many accounts created from your network.',
	oidcStart: 'Too many sign-ins started from your network.',
	post: 'You have posted a lot in a short time.',
	vote: 'Too many votes in a short time.',
	feedback: 'Too many votes in a short time.',
	feedbackAddress: 'Too many votes from your network in a short time.',
	search: 'Too many searches from your network.',
	preview: 'Too many previews in a short time.',
	apiToken: 'Too many requests with this API token.',
	widgetEvent: 'Too many help requests in a short time.',
	widgetView: 'Too many help articles opened in a short time.',
	verificationMail: 'We have sent you several links already.',
	passwordResetEmail: 'We have sent several links to this address already.',
	passwordResetAddress: 'Too many password resets from your network.',
	accountSecurity: 'Too many password checks in a short time.',
	unsubscribe: 'Too many unsubscribe requests for this email address.',
	unsubscribeInvalid: 'Too many invalid unsubscribe links from your network.',
	follow: 'You have followed and unfollowed a lot in a short time.',
	mentionSuggest: 'Too many name suggestions in a short time.',
	ssoAddress: 'Too many single sign-on attempts from your network.',
	invitation: 'You have sent many invitations in a short time.',
	apiTokenChange: 'You have changed your API tokens and sessions many times in a short time.',
	flag: 'You have flagged many posts in a short time.',
	upload: 'You have uploaded many files in a short time.',
}

/** Keys fit the table's varchar(255) however long an email or token is. */
const storedKey = (key: string) => (key.length > 200 ? crypto.createHash('sha256').update(key).digest('hex') : key)

function refusal(kind: RateLimitKind, msBeforeNext: number) {
	const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000))
	return new DomainError('rate_limited', `${messages[kind]} Try again in ${waitText(retryAfter)}.`, {}, retryAfter)
}

/** Counts one attempt of `kind` by `key` (a person, address, account or token); refuses with 429 once over its limit. */
export async function limit(kind: RateLimitKind, key: string) {
	try {
		await limiters.get(kind)!.consume(storedKey(key))
	} catch (error) {
		if (error instanceof RateLimiterRes) throw refusal(kind, error.msBeforeNext)
		if (!failOpen.has(kind)) throw error
		log.error({ err: error, limit: kind }, 'Rate limit not checked: its database is unreachable')
	}
}

/** The pinned rate-limiter-flexible's memory of keys over their limit (inMemoryBlockOnConsumed), which its type declarations leave out. */
type InMemoryBlocks = { getKey(key: string): string; getInMemoryBlockMsBeforeExpire(rlKey: string): number }

/**
 * The refusal `limit` would give when this process already knows `key` is over
 * its limit; null otherwise. Counts nothing and asks nobody, so a flood can be
 * refused before its body is read or its page rendered.
 */
export function knownRefusal(kind: RateLimitKind, key: string): DomainError | null {
	const limiter = limiters.get(kind) as unknown as InMemoryBlocks
	const ms = limiter.getInMemoryBlockMsBeforeExpire(limiter.getKey(storedKey(key)))
	return ms > 0 ? refusal(kind, ms) : null
}

function waitText(seconds: number) {
	if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`
	const minutes = Math.ceil(seconds / 60)
	return minutes === 1 ? '1 minute' : `${minutes} minutes`
}
