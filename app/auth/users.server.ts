import crypto from 'node:crypto'
import { and, eq, ne, sql } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { accountDomains, users, type Role } from '#db/schema'
import { DomainError } from '~/utils/errors.server'
import type { Locale } from '~/i18n/locales'
import type { Actor } from './permissions.server'
import { freeHandle } from './handles.server'
import { hashPassword, verifyPassword } from './password.server'

export const newId = () => crypto.randomUUID()

export const actorColumns = {
	id: users.id,
	email: users.email,
	displayName: users.displayName,
	role: users.role,
	emailVerified: sql<boolean>`${users.emailVerifiedAt} is not null`.mapWith(Boolean),
}

/**
 * The customer account owning this email's domain, if any. The domain is taken in
 * SQL the way app/accounts/accounts.server.ts matches existing members when a
 * domain is added, so a person joins the same account either way.
 */
async function accountIdForEmail(tx: Queryable, email: string): Promise<number | null> {
	const [domain] = await tx
		.select({ accountId: accountDomains.accountId })
		.from(accountDomains)
		.where(eq(accountDomains.domain, sql`lower(split_part(${email}, '@', 2))`))
	return domain?.accountId ?? null
}

/** `password` null: a person who signs in only through single sign-on. */
export type NewUser = {
	email: string
	password: string | null
	displayName: string
	role: Role
	locale?: Locale
	verifiedAt: Date | null
	/** The product user (JWT `sub`) this person signs in as, for people single sign-on creates. */
	ssoSubject?: string
}

/** Whether an account other than `exceptUserId` uses this address (emails are unique whatever their case). */
export async function emailTaken(q: Queryable, email: string, exceptUserId?: string): Promise<boolean> {
	const [taken] = await q
		.select({ id: users.id })
		.from(users)
		.where(and(sql`lower(${users.email}) = lower(${email})`, exceptUserId === undefined ? undefined : ne(users.id, exceptUserId)))
		.limit(1)
	return taken !== undefined
}

/** Creates a person in the caller's transaction; a customer joins the account of their email's domain. */
export async function insertUser(tx: Queryable, input: NewUser): Promise<Actor> {
	if (await emailTaken(tx, input.email)) {
		throw new DomainError('conflict', 'An account with this email already exists', { email: 'An account with this email already exists' })
	}
	// Customers join their company's account by email domain; staff work for no customer.
	const accountId = input.role === 'member' ? await accountIdForEmail(tx, input.email.trim()) : null
	const [user] = await tx
		.insert(users)
		.values({
			id: newId(),
			email: input.email.trim(),
			displayName: input.displayName.trim(),
			handle: await freeHandle(tx, input.displayName.trim()),
			passwordHash: input.password === null ? null : await hashPassword(input.password),
			role: input.role,
			accountId,
			locale: input.locale ?? 'en',
			emailVerifiedAt: input.verifiedAt,
			ssoSubject: input.ssoSubject ?? null,
		})
		.returning(actorColumns)
	return user!
}

/**
 * Creates a person with the given role (CLI, administration). Whoever creates
 * them vouches for the address, so they are verified and may post at once.
 */
export function createUser(input: { email: string; password: string; displayName: string; role: Role }, now = new Date()) {
	return db.transaction((tx) => insertUser(tx, { ...input, verifiedAt: now }))
}

type SignUpInput = { email: string; password: string; displayName: string; locale?: Locale }

/**
 * Sign-up in the caller's transaction: a member, except that while the site has
 * no admin the first person to sign up becomes its admin. The advisory lock makes
 * "first" hold under concurrent sign-ups. The address is not verified yet.
 */
export async function signUpIn(tx: Queryable, input: SignUpInput): Promise<Actor> {
	await tx.execute(sql`select pg_advisory_xact_lock(7310001)`)
	const [admin] = await tx.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1)
	return insertUser(tx, { ...input, role: admin ? 'member' : 'admin', verifiedAt: null })
}

export function signUp(input: SignUpInput) {
	return db.transaction((tx) => signUpIn(tx, input))
}

export async function authenticate(email: string, password: string): Promise<Actor | null> {
	const [user] = await db
		.select({ ...actorColumns, passwordHash: users.passwordHash })
		.from(users)
		.where(and(sql`lower(${users.email}) = lower(${email})`, eq(users.isSystem, false)))
	if (!user?.passwordHash) {
		// Same work as a real check, so timing does not reveal which emails exist.
		await verifyPassword('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE', password)
		return null
	}
	if (!(await verifyPassword(user.passwordHash, password))) return null
	const { passwordHash: _omit, ...actor } = user
	return actor
}

export async function findUserByEmail(email: string): Promise<Actor | null> {
	const [user] = await db.select(actorColumns).from(users).where(sql`lower(${users.email}) = lower(${email})`)
	return user ?? null
}
