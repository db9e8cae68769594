import { and, asc, count, desc, eq, ilike, isNull, ne, or, sql, type SQL } from 'drizzle-orm'
import { announceChange } from '#db/changes.server'
import { db, type Queryable } from '#db/client.server'
import { accounts, sessions, users, type Role } from '#db/schema'
import { recordAudit } from '~/audit/audit.server'
import { authorize, type Actor } from '~/auth/permissions.server'
import { DomainError, notFound } from '~/utils/errors.server'
import { escapeLike } from '~/utils/like'
import { pageInfo, pageOf } from '~/utils/paging'

/** A person as the administration and the people API show them. */
export type PersonView = {
	id: string
	email: string
	displayName: string
	role: Role
	suspended: boolean
	/** Whether they confirmed their address (following a link, or created by someone who vouched for it). */
	verified: boolean
	/** Whether the product's single sign-on created or linked them (users.ssoSubject). */
	signsInThroughProduct: boolean
	account: { externalId: string; name: string } | null
}

const viewColumns = {
	id: users.id,
	email: users.email,
	displayName: users.displayName,
	role: users.role,
	suspendedAt: users.suspendedAt,
	emailVerifiedAt: users.emailVerifiedAt,
	ssoSubject: users.ssoSubject,
	externalId: accounts.externalId,
	accountName: accounts.name,
}

type AccountColumns = { externalId: string | null; accountName: string | null }
type ViewRow = AccountColumns & { id: string; email: string; displayName: string; role: Role; suspendedAt: Date | null; emailVerifiedAt: Date | null; ssoSubject: string | null }

/** A person's customer account as the administration and the API show it. */
const accountOf = (row: AccountColumns) => (row.externalId !== null && row.accountName !== null ? { externalId: row.externalId, name: row.accountName } : null)

const toView = (row: ViewRow): PersonView => ({
	id: row.id,
	email: row.email,
	displayName: row.displayName,
	role: row.role,
	suspended: row.suspendedAt !== null,
	verified: row.emailVerifiedAt !== null,
	signsInThroughProduct: row.ssoSubject !== null,
	account: accountOf(row),
})

// System people (the import account) post imported content; nobody signs in as them, so nobody manages them.
const people = (q: Queryable) => q.select(viewColumns).from(users).leftJoin(accounts, eq(accounts.id, users.accountId))

/** One person who can be managed (never a system person). */
async function findPerson(q: Queryable, id: string): Promise<PersonView | null> {
	const [row] = await people(q).where(and(eq(users.id, id), eq(users.isSystem, false)))
	return row ? toView(row) : null
}

/** `GET /api/v1/me`: the caller with their language and account. */
export async function describeMe(actor: Actor | null) {
	authorize(actor, 'me:view')
	const [row] = await db
		.select({ id: users.id, email: users.email, displayName: users.displayName, role: users.role, language: users.locale, externalId: accounts.externalId, accountName: accounts.name })
		.from(users)
		.leftJoin(accounts, eq(accounts.id, users.accountId))
		.where(eq(users.id, actor.id))
	if (!row) throw notFound('Person')
	const { externalId, accountName, ...me } = row
	return { ...me, account: accountOf({ externalId, accountName }) }
}

/** `/admin/people`: by name, email, account name or account id, newest first, one page at a time. */
export async function searchPeople(actor: Actor | null, filters: { q?: string; role?: Role }, requestedPage = 1) {
	authorize(actor, 'people:view')
	const conditions: Array<SQL | undefined> = [eq(users.isSystem, false)]
	if (filters.role) conditions.push(eq(users.role, filters.role))
	if (filters.q) {
		const pattern = `%${escapeLike(filters.q)}%`
		conditions.push(or(ilike(users.displayName, pattern), ilike(users.email, pattern), ilike(accounts.name, pattern), ilike(accounts.externalId, pattern)))
	}
	const where = and(...conditions)
	const [{ total }] = (await db.select({ total: count() }).from(users).leftJoin(accounts, eq(accounts.id, users.accountId)).where(where)) as [{ total: number }]
	const page = pageOf(requestedPage, total)
	const rows = await people(db).where(where).orderBy(desc(users.createdAt), asc(users.id)).limit(page.limit).offset(page.offset)
	return { people: rows.map(toView), page: pageInfo(page) }
}

/** The most people one `GET /api/v1/people` answers with; a narrower filter finds the rest. */
export const PEOPLE_API_LIMIT = 100

/** `GET /api/v1/people`: an exact address (any case) and/or one account's external id. */
export async function findPeople(actor: Actor | null, filters: { email?: string; account?: string }): Promise<PersonView[]> {
	authorize(actor, 'people:manage')
	const rows = await people(db)
		.where(
			and(
				eq(users.isSystem, false),
				filters.email ? sql`lower(${users.email}) = lower(${filters.email})` : undefined,
				filters.account ? eq(accounts.externalId, filters.account) : undefined,
			),
		)
		.orderBy(asc(users.createdAt), asc(users.id))
		.limit(PEOPLE_API_LIMIT)
	return rows.map(toView)
}

/**
 * Changes to who may do what are serialised, so two admins demoting each other at
 * once cannot leave the site without one (the same lock makes "the first sign-up
 * becomes admin" hold, see app/auth/users.server.ts).
 */
const lockAdmins = (tx: Queryable) => tx.execute(sql`select pg_advisory_xact_lock(7310001)`)

/** Whether another admin than `exceptId` could still sign in and manage the site. */
async function otherActiveAdmin(tx: Queryable, exceptId: string): Promise<boolean> {
	const [other] = await tx
		.select({ id: users.id })
		.from(users)
		.where(and(eq(users.role, 'admin'), isNull(users.suspendedAt), eq(users.isSystem, false), ne(users.id, exceptId)))
		.limit(1)
	return other !== undefined
}

const LAST_ADMIN = 'The site needs at least one admin who is not suspended: make someone else admin first'

/** `reason`: why someone is suspended or restored, kept with the audit entry (the review queue's suspensions give one). */
export type PersonChange = { role?: Role; suspended?: boolean; reason?: string }

/**
 * Changes a person's role and/or suspension in one transaction, each change
 * audited with it. While suspended, their sessions and API tokens are refused on
 * every use (app/auth/session.server.ts, app/server/main.ts), so an open browser
 * is told why; restoring brings the tokens back but ends the sessions, so they
 * sign in again. An admin cannot demote or suspend themselves, nobody can leave
 * the site without an active admin, and only a confirmed address becomes staff.
 */
export async function changePerson(actor: Actor | null, userId: string, change: PersonChange, now = new Date()): Promise<PersonView> {
	authorize(actor, 'people:manage')
	return db.transaction(async (tx) => {
		await lockAdmins(tx)
		const before = await findPerson(tx, userId)
		if (!before) throw notFound('Person')
		const demoted = change.role !== undefined && change.role !== 'admin' && before.role === 'admin'
		const suspending = change.suspended === true && !before.suspended
		if (userId === actor.id && demoted) throw new DomainError('conflict', 'You cannot remove your own admin role: ask another admin')
		if (userId === actor.id && suspending) throw new DomainError('conflict', 'You cannot suspend yourself')
		if ((demoted || (suspending && before.role === 'admin')) && !(await otherActiveAdmin(tx, userId))) throw new DomainError('conflict', LAST_ADMIN)
		// Anyone can sign up with a colleague's address first: staff rights go only to whoever proved they read its mail.
		if (change.role !== undefined && change.role !== 'member' && change.role !== before.role && !before.verified) {
			throw new DomainError('conflict', 'This person has not confirmed their email address: they must confirm it before they can become staff')
		}
		const target = { type: 'person' as const, id: userId, label: before.email }
		if (change.role !== undefined && change.role !== before.role) {
			await tx.update(users).set({ role: change.role }).where(eq(users.id, userId))
			// Posts show their authors' role badges.
			await announceChange(tx, 'pages')
			await recordAudit(tx, actor, { action: 'person.role_changed', target, details: { from: before.role, to: change.role } })
		}
		if (change.suspended !== undefined && change.suspended !== before.suspended) {
			await tx
				.update(users)
				.set({ suspendedAt: change.suspended ? now : null, suspensionReason: change.suspended ? (change.reason ?? null) : null })
				.where(eq(users.id, userId))
			// Sessions kept while suspended are refused with the reason; after restoring, the person signs in again.
			if (!change.suspended) await tx.delete(sessions).where(eq(sessions.userId, userId))
			await recordAudit(tx, actor, { action: change.suspended ? 'person.suspended' : 'person.restored', target, ...(change.reason ? { details: { reason: change.reason } } : {}) })
		}
		return (await findPerson(tx, userId))!
	})
}
