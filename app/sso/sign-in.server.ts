import { and, eq, lt, sql } from 'drizzle-orm'
import { db, type Transaction } from '#db/client.server'
import { accounts, apiTokens, sessions, ssoTokenUses, users } from '#db/schema'
import { moveMembers } from '~/accounts/accounts.server'
import { suspendedRefusal } from '~/auth/session.server'
import { emailTaken, insertUser } from '~/auth/users.server'
import type { Locale } from '~/i18n/locales'
import { asDomainError, DomainError } from '~/utils/errors.server'
import { CLOCK_TOLERANCE_SECONDS, verifySsoToken, type JwtKeys, type SsoClaims } from './jwt.server'

// Two first sign-ins of the same product user at once would both create them.
const SUBJECT_LOCK = 7310013

const refuse = (reason: string) => new DomainError('invalid', reason)

/** The account the token names, created from its claim when CS have not set it up yet (an existing one is left as CS keep it). */
async function accountFor(tx: Transaction, claim: NonNullable<SsoClaims['account']>): Promise<number> {
	const [created] = await tx
		.insert(accounts)
		.values({ externalId: claim.externalId, name: claim.name || claim.externalId, plan: claim.plan ?? '' })
		.onConflictDoNothing({ target: accounts.externalId })
		.returning({ id: accounts.id })
	if (created) return created.id
	const [existing] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.externalId, claim.externalId))
	return existing!.id
}

const personColumns = {
	id: users.id,
	email: users.email,
	role: users.role,
	ssoSubject: users.ssoSubject,
	emailVerifiedAt: users.emailVerifiedAt,
	suspendedAt: users.suspendedAt,
	suspensionReason: users.suspensionReason,
}
type Person = { [K in keyof typeof personColumns]: (typeof users.$inferSelect)[K] }

/**
 * The person the product vouches for: the one linked to this product user (`sub`),
 * else the customer with this email, else a new customer. Never staff: a product's
 * token (which anyone who can sign up for the product obtains) grants no staff rights.
 *
 * Matching by email: an address in use by staff is refused, as is one linked to another
 * product user; product sign-ups rarely prove their addresses the way staff accounts
 * must, and a token naming an admin's address would otherwise sign in as the admin.
 * A customer who signed up here but never confirmed the address is taken over: the
 * product vouches for the address, and their password, sessions and API tokens end, so
 * whoever registered the address first (perhaps not its owner) keeps no way in.
 */
async function findPerson(tx: Transaction, claims: SsoClaims): Promise<Person | null> {
	const [linked] = await tx.select(personColumns).from(users).where(eq(users.ssoSubject, claims.sub)).for('update')
	// A customer made staff here keeps their link, but staff rights never come from a product's token.
	if (linked && linked.role !== 'member') throw refuse('This person is staff here: staff use the staff sign-in')
	if (linked) return linked
	const [byEmail] = await tx
		.select(personColumns)
		.from(users)
		.where(and(sql`lower(${users.email}) = lower(${claims.email})`, eq(users.isSystem, false)))
		.for('update')
	if (!byEmail) return null
	if (byEmail.ssoSubject !== null) throw refuse('This email address belongs to a person here who signs in as another user of the product')
	if (byEmail.role !== 'member') throw refuse('This email address belongs to a staff account here: staff use the staff sign-in')
	if (byEmail.emailVerifiedAt === null) {
		await tx.update(users).set({ passwordHash: null }).where(eq(users.id, byEmail.id))
		await tx.delete(sessions).where(eq(sessions.userId, byEmail.id))
		await tx.delete(apiTokens).where(eq(apiTokens.userId, byEmail.id))
	}
	return byEmail
}

/** Name, email, language and account as the product says they are now; the role is Kizuna's own. */
async function updatePerson(tx: Transaction, person: Person, claims: SsoClaims, now: Date) {
	const emailChanged = person.email !== claims.email
	if (emailChanged && (await emailTaken(tx, claims.email, person.id))) {
		throw refuse('Another person here already uses the email address in the sign-in token')
	}
	await tx
		.update(users)
		.set({
			ssoSubject: claims.sub,
			...(claims.name ? { displayName: claims.name } : {}),
			...(claims.locale ? { locale: claims.locale } : {}),
			...(emailChanged ? { email: claims.email } : {}),
			...(emailChanged || person.emailVerifiedAt === null ? { emailVerifiedAt: now } : {}),
		})
		.where(eq(users.id, person.id))
}

/**
 * A customer with no password: they sign in through the product. Without an account
 * claim they join the account of their email's domain, as people signing up do.
 */
function createCustomer(tx: Transaction, claims: SsoClaims, fallbackLocale: Locale, now: Date) {
	return insertUser(tx, {
		email: claims.email,
		password: null,
		displayName: claims.name ?? claims.email.split('@')[0]!.slice(0, 60),
		role: 'member',
		locale: claims.locale ?? fallbackLocale,
		verifiedAt: now,
		ssoSubject: claims.sub,
	})
}

async function resolvePerson(tx: Transaction, claims: SsoClaims, fallbackLocale: Locale, now: Date): Promise<string> {
	await tx.execute(sql`select pg_advisory_xact_lock(${SUBJECT_LOCK}, hashtext(${claims.sub}))`)
	const found = await findPerson(tx, claims)
	if (found?.suspendedAt) throw suspendedRefusal(found.suspensionReason)
	if (found) await updatePerson(tx, found, claims, now)
	const userId = found ? found.id : (await createCustomer(tx, claims, fallbackLocale, now)).id
	if (claims.account) {
		const [person] = await tx.select({ accountId: users.accountId }).from(users).where(eq(users.id, userId))
		const accountId = await accountFor(tx, claims.account)
		if (accountId !== person!.accountId) await moveMembers(tx, [userId], accountId)
	}
	return userId
}

export type SsoSignIn = { userId: string; locale: Locale | null }

/**
 * Signs in the person a product's token names (GET /sso/jwt). The token's id is
 * spent in the same transaction as the person's update, the first time a valid token
 * is presented, whatever the outcome: a token refused for a suspended person or a
 * taken email cannot be replayed once that changes. Every other write of a refused
 * sign-in is rolled back. `audience` is this community's origin (communityOrigin). The
 * caller then starts the session (startSession).
 */
export async function signInWithJwt(token: string, keys: JwtKeys, options: { fallbackLocale: Locale; audience: string }, now = new Date()): Promise<SsoSignIn> {
	const claims = await verifySsoToken(token, keys, options.audience, now)
	const outcome = await db.transaction(async (tx) => {
		// Ids of tokens that have expired are refused by their `exp` anyway: they need not be kept.
		await tx.delete(ssoTokenUses).where(lt(ssoTokenUses.expiresAt, new Date(now.getTime() - CLOCK_TOLERANCE_SECONDS * 1000)))
		const [spent] = await tx
			.insert(ssoTokenUses)
			.values({ jti: claims.jti, expiresAt: new Date(claims.exp * 1000) })
			.onConflictDoNothing()
			.returning({ jti: ssoTokenUses.jti })
		if (!spent) throw refuse('This sign-in link was already used: sign in again from the product')
		try {
			return { userId: await tx.transaction((person) => resolvePerson(person, claims, options.fallbackLocale, now)) }
		} catch (error) {
			const refusal = asDomainError(error)
			if (!refusal || refusal.code === 'unavailable') throw error
			return { refusal }
		}
	})
	if ('refusal' in outcome) throw outcome.refusal
	return { userId: outcome.userId, locale: claims.locale ?? null }
}
