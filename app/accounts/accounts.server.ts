import { and, asc, eq, inArray, isNull, ne, notInArray, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { db, type Queryable, type Transaction } from '#db/client.server'
import { accountDomains, accounts, users } from '#db/schema'
import { moveHistory } from '~/insights/journeys.server'
import { authorize, type Actor } from '~/auth/permissions.server'
import { DomainError, notFound } from '~/utils/errors.server'
import { pageInfo, pageOf } from '~/utils/paging'
import { accountUrl, type AccountFields, type AccountFilters, type AccountInput } from './validation'

type Account = typeof accounts.$inferSelect

// Staff and product people work for the company running Kizuna, not for its customers.
const CUSTOMER_ROLE = 'member'
const CSM_ROLES = ['cs', 'admin'] as const

/**
 * Moves people to an account (or to none) together with everything they have
 * done so far, so that an account's figures include what its people did before
 * they were attached, and stop including what someone did once they leave.
 */
export async function moveMembers(tx: Queryable, userIds: string[], accountId: number | null) {
	if (userIds.length === 0) return
	await tx.update(users).set({ accountId }).where(inArray(users.id, userIds))
	await moveHistory(tx, userIds, accountId)
}

/**
 * Attaches customers who have no account yet and whose email is at one of these
 * domains; returns how many. Someone CS assigned elsewhere or removed stays where they are.
 */
async function attachMembersByDomain(tx: Transaction, accountId: number, domains: string[]) {
	if (domains.length === 0) return 0
	const matching = await tx
		.select({ id: users.id })
		.from(users)
		.where(and(eq(users.role, CUSTOMER_ROLE), eq(users.isSystem, false), isNull(users.accountId), inArray(sql`lower(split_part(${users.email}, '@', 2))`, domains)))
		.for('update')
	await moveMembers(
		tx,
		matching.map((user) => user.id),
		accountId,
	)
	return matching.length
}

/**
 * Replaces the account's domains. A domain belongs to one account only; the
 * refusal names the account that has it. Returns the domains the account did not have before.
 */
async function replaceDomains(tx: Transaction, accountId: number, domains: string[]) {
	const before = await tx.delete(accountDomains).where(eq(accountDomains.accountId, accountId)).returning({ domain: accountDomains.domain })
	if (domains.length === 0) return []
	// Inserting rather than checking first keeps two concurrent saves from both claiming a domain.
	const inserted = await tx
		.insert(accountDomains)
		.values(domains.map((domain) => ({ domain, accountId })))
		.onConflictDoNothing()
		.returning({ domain: accountDomains.domain })
	const taken = domains.filter((domain) => !inserted.some((row) => row.domain === domain))
	if (taken.length > 0) {
		const owners = await tx
			.select({ domain: accountDomains.domain, name: accounts.name, externalId: accounts.externalId })
			.from(accountDomains)
			.innerJoin(accounts, eq(accounts.id, accountDomains.accountId))
			.where(inArray(accountDomains.domain, taken))
		const message = `Already used by another account: ${owners.map((owner) => `${owner.domain} (${owner.name}, ${owner.externalId})`).join('; ')}`
		throw new DomainError('conflict', message, { domains: message })
	}
	return domains.filter((domain) => !before.some((row) => row.domain === domain))
}

async function checkCsm(tx: Queryable, csmId: string | null) {
	if (csmId === null) return null
	const [csm] = await tx
		.select({ id: users.id })
		.from(users)
		.where(and(eq(users.id, csmId), inArray(users.role, [...CSM_ROLES]), eq(users.isSystem, false)))
	if (!csm) throw new DomainError('invalid', 'Choose a CS or admin person as the CSM', { csmId: 'Choose a CS or admin person as the CSM' })
	return csm.id
}

const externalIdTaken = () =>
	new DomainError('conflict', 'Another account already has this CRM id', { externalId: 'Another account already has this CRM id' })

async function findAccount(tx: Queryable, externalId: string, options: { lock?: boolean } = {}): Promise<Account> {
	const query = tx.select().from(accounts).where(eq(accounts.externalId, externalId))
	const [account] = options.lock ? await query.for('update') : await query
	if (!account) throw notFound('Account')
	return account
}

/**
 * Writes an account's fields and domains and attaches the customers its new
 * domains match. The CSM is left as it is when `csmId` is undefined (the CSV has no CSM).
 */
async function writeAccount(tx: Transaction, existing: Account | null, fields: AccountFields, csmId?: string | null) {
	const values = {
		externalId: fields.externalId,
		name: fields.name,
		plan: fields.plan,
		size: fields.size,
		industry: fields.industry,
		phase: fields.phase,
		...(csmId === undefined ? {} : { csmId }),
	}
	if (existing && existing.externalId !== fields.externalId) {
		const [clash] = await tx.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.externalId, fields.externalId), ne(accounts.id, existing.id)))
		if (clash) throw externalIdTaken()
	}
	const [account] = existing
		? await tx.update(accounts).set({ ...values, updatedAt: new Date() }).where(eq(accounts.id, existing.id)).returning()
		: await tx.insert(accounts).values(values).onConflictDoNothing({ target: accounts.externalId }).returning()
	if (!account) throw externalIdTaken()
	const added = await replaceDomains(tx, account.id, fields.domains)
	const attached = await attachMembersByDomain(tx, account.id, added)
	return { externalId: account.externalId, url: accountUrl(account.externalId), attached }
}

export async function createAccount(actor: Actor | null, input: AccountInput) {
	authorize(actor, 'accounts:manage')
	return db.transaction(async (tx) => writeAccount(tx, null, input, await checkCsm(tx, input.csmId)))
}

export async function updateAccount(actor: Actor | null, externalId: string, input: AccountInput) {
	authorize(actor, 'accounts:manage')
	return db.transaction(async (tx) => {
		const account = await findAccount(tx, externalId, { lock: true })
		return writeAccount(tx, account, input, await checkCsm(tx, input.csmId))
	})
}

/** For the CSV import, which runs from the trusted command line: creates or updates by externalId. */
export async function upsertAccount(tx: Transaction, fields: AccountFields) {
	const [existing] = await tx.select().from(accounts).where(eq(accounts.externalId, fields.externalId)).for('update')
	const saved = await writeAccount(tx, existing ?? null, fields)
	return { ...saved, created: !existing }
}

/** Which account has each of these domains now. */
export async function domainOwners(domains: string[], tx: Queryable = db) {
	const owners = new Map<string, { externalId: string; name: string }>()
	if (domains.length === 0) return owners
	const rows = await tx
		.select({ domain: accountDomains.domain, externalId: accounts.externalId, name: accounts.name })
		.from(accountDomains)
		.innerJoin(accounts, eq(accounts.id, accountDomains.accountId))
		.where(inArray(accountDomains.domain, domains))
	for (const row of rows) owners.set(row.domain, { externalId: row.externalId, name: row.name })
	return owners
}

/**
 * For the CSV import: takes from the file's existing accounts the domains their
 * rows no longer list, before any row is written, so a domain can move from one
 * account of the file to another whatever the order of the rows.
 */
export async function releaseDomains(tx: Transaction, rows: Array<Pick<AccountFields, 'externalId' | 'domains'>>) {
	for (const row of rows) {
		const [account] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.externalId, row.externalId)).for('update')
		if (!account) continue
		await tx
			.delete(accountDomains)
			.where(and(eq(accountDomains.accountId, account.id), row.domains.length > 0 ? notInArray(accountDomains.domain, row.domains) : undefined))
	}
}

/** People who can be an account's CSM. */
export async function csmOptions(actor: Actor | null) {
	authorize(actor, 'accounts:manage')
	return db
		.select({ id: users.id, displayName: users.displayName })
		.from(users)
		.where(and(inArray(users.role, [...CSM_ROLES]), eq(users.isSystem, false)))
		.orderBy(asc(users.displayName))
}

async function domainsOf(accountIds: number[]) {
	const byAccount = new Map<number, string[]>()
	if (accountIds.length === 0) return byAccount
	const rows = await db.select().from(accountDomains).where(inArray(accountDomains.accountId, accountIds)).orderBy(asc(accountDomains.domain))
	for (const row of rows) byAccount.set(row.accountId, [...(byAccount.get(row.accountId) ?? []), row.domain])
	return byAccount
}

const csm = alias(users, 'csm')

/** The manage page: one page of accounts by name with their CSM, member count and domains, and the filters' choices. */
export async function listAccounts(actor: Actor | null, filters: AccountFilters, requestedPage = 1) {
	authorize(actor, 'accounts:manage')
	const where = and(
		filters.plan === undefined ? undefined : eq(accounts.plan, filters.plan),
		filters.phase === undefined ? undefined : eq(accounts.phase, filters.phase),
		filters.csm === undefined ? undefined : eq(accounts.csmId, filters.csm),
	)
	const [{ total }] = (await db.select({ total: sql<number>`count(*)::int` }).from(accounts).where(where)) as [{ total: number }]
	const page = pageOf(requestedPage, total)
	// The page's ids first: counting members in the same query would count them for every account sorted before the page too.
	const ids = db
		.select({ id: accounts.id })
		.from(accounts)
		.where(where)
		.orderBy(asc(sql`lower(${accounts.name})`), asc(accounts.id))
		.limit(page.pageSize)
		.offset(page.offset)
	const rows = await db
		.select({
			account: accounts,
			csmName: csm.displayName,
			members: sql<number>`(select count(*)::int from ${users} where ${users.accountId} = ${accounts.id})`,
		})
		.from(accounts)
		.leftJoin(csm, eq(csm.id, accounts.csmId))
		.where(inArray(accounts.id, ids))
		.orderBy(asc(sql`lower(${accounts.name})`), asc(accounts.id))
	const domains = await domainsOf(rows.map((row) => row.account.id))
	const plans = await db.selectDistinct({ plan: accounts.plan }).from(accounts).where(ne(accounts.plan, '')).orderBy(asc(accounts.plan))
	return {
		accounts: rows.map(({ account, csmName, members }) => ({
			externalId: account.externalId,
			name: account.name,
			url: accountUrl(account.externalId),
			plan: account.plan,
			phase: account.phase,
			csm: csmName,
			members,
			domains: domains.get(account.id) ?? [],
		})),
		page: pageInfo(page),
		plans: plans.map((row) => row.plan),
		csms: await csmOptions(actor),
	}
}

/** One account with its domains and one page of its members, for its page. */
export async function getAccount(actor: Actor | null, externalId: string, requestedPage = 1) {
	authorize(actor, 'accounts:manage')
	const account = await findAccount(db, externalId)
	const [{ total }] = (await db.select({ total: sql<number>`count(*)::int` }).from(users).where(eq(users.accountId, account.id))) as [{ total: number }]
	const page = pageOf(requestedPage, total)
	const members = await db
		.select({ id: users.id, displayName: users.displayName, email: users.email, lastSeenAt: users.lastSeenAt })
		.from(users)
		.where(eq(users.accountId, account.id))
		.orderBy(asc(sql`lower(${users.displayName})`), asc(users.email), asc(users.id))
		.limit(page.pageSize)
		.offset(page.offset)
	return {
		externalId: account.externalId,
		name: account.name,
		url: accountUrl(account.externalId),
		plan: account.plan,
		size: account.size,
		industry: account.industry,
		phase: account.phase,
		csmId: account.csmId,
		domains: (await domainsOf([account.id])).get(account.id) ?? [],
		members: members.map((member) => ({ ...member, lastSeenAt: member.lastSeenAt?.toISOString() ?? null })),
		membersPage: pageInfo(page),
	}
}

/** CS put a customer into this account, moving them (and their history) from any other. */
export async function assignMember(actor: Actor | null, externalId: string, email: string) {
	authorize(actor, 'accounts:manage')
	return db.transaction(async (tx) => {
		const account = await findAccount(tx, externalId, { lock: true })
		const [user] = await tx
			.select({ id: users.id, displayName: users.displayName, role: users.role, isSystem: users.isSystem })
			.from(users)
			.where(sql`lower(${users.email}) = lower(${email})`)
			.for('update')
		if (!user || user.isSystem) {
			throw new DomainError('not_found', 'Nobody has signed up with this email yet', { email: 'Nobody has signed up with this email yet' })
		}
		if (user.role !== CUSTOMER_ROLE) {
			throw new DomainError('invalid', 'Only customers (members) can belong to an account', { email: 'Only customers (members) can belong to an account' })
		}
		await moveMembers(tx, [user.id], account.id)
		return { displayName: user.displayName }
	})
}

/** Takes a person out of this account; what they did so far no longer counts for it. */
export async function removeMember(actor: Actor | null, externalId: string, userId: string) {
	authorize(actor, 'accounts:manage')
	await db.transaction(async (tx) => {
		const account = await findAccount(tx, externalId, { lock: true })
		const [member] = await tx
			.select({ id: users.id })
			.from(users)
			.where(and(eq(users.id, userId), eq(users.accountId, account.id)))
			.for('update')
		if (!member) throw notFound('Member')
		await moveMembers(tx, [member.id], null)
	})
}
