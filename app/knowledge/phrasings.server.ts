import { and, desc, eq, gt, or, sql } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { learnedPhrasings, learnedPhrasingVoters, searchClicks, searches, users, type FeedbackTarget } from '#db/schema'
import { enqueueIndexTask } from '#search/sync.server'
import { authorize, isStaff, type Actor } from '~/auth/permissions.server'
import { recomputeFrequency } from '~/insights/frequency.server'
import { loadConfig } from '~/config.server'
import { notFound } from '~/utils/errors.server'
import { PAGE_SIZE, pageInfo, pageOf } from '~/utils/paging'

const normalize = (text: string) =>
	text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '')

/** How long after clicking a result a helpful vote still counts as resolving that search. */
const CLICK_WINDOW = sql`interval '30 minutes'`

/** The search a vote resolves: the one it names, else this person's latest search whose result they opened. */
export async function resolvedSearchId(
	tx: Queryable,
	who: { userId: string | null; visitorId: string },
	target: { type: FeedbackTarget; id: number },
	searchId: string | null,
): Promise<string | null> {
	if (searchId) return searchId
	const [row] = await tx
		.select({ id: searches.id })
		.from(searchClicks)
		.innerJoin(searches, eq(searches.id, searchClicks.searchId))
		.where(
			and(
				eq(searchClicks.hitId, target.id),
				eq(searchClicks.hitType, target.type),
				gt(searchClicks.createdAt, sql`now() - ${CLICK_WINDOW}`),
				who.userId ? or(eq(searches.userId, who.userId), eq(searches.visitorId, who.visitorId)) : eq(searches.visitorId, who.visitorId),
			),
		)
		.orderBy(desc(searchClicks.createdAt))
		.limit(1)
	return row?.id ?? null
}

/**
 * "This solved my problem" after a search: the query becomes a learned phrasing of
 * the content. Only signed-in people teach, each once per phrasing, and a phrasing
 * changes ranking only once KIZUNA_PHRASING_TEACHERS distinct people (or one staff
 * member) taught it: visitors are free to create, so 25 anonymous votes once made
 * an unrelated question the top hit for a query. Their votes still count in the
 * helpful share (content_feedback).
 */
export async function learnPhrasing(tx: Queryable, teacher: Actor | null, searchId: string, target: { type: FeedbackTarget; id: number }) {
	if (!teacher) return
	const [search] = await tx.select({ query: searches.query }).from(searches).where(eq(searches.id, searchId))
	const phrasing = search?.query.trim() ?? ''
	const normalized = normalize(phrasing)
	if (normalized.length < 3 || normalized.length > 200) return
	await tx.insert(learnedPhrasings).values({ targetType: target.type, targetId: target.id, phrasing, normalized }).onConflictDoNothing()
	const [row] = await tx
		.select({ id: learnedPhrasings.id, hidden: learnedPhrasings.hidden, active: learnedPhrasings.active })
		.from(learnedPhrasings)
		.where(and(eq(learnedPhrasings.targetType, target.type), eq(learnedPhrasings.targetId, target.id), eq(learnedPhrasings.normalized, normalized)))
		.for('update')
	if (!row || row.hidden) return
	const staff = isStaff(teacher)
	const added = await tx.insert(learnedPhrasingVoters).values({ phrasingId: row.id, userId: teacher.id, staff }).onConflictDoNothing().returning({ id: learnedPhrasingVoters.phrasingId })
	if (added.length === 0) return
	const [updated] = await tx
		.update(learnedPhrasings)
		.set({
			count: sql`${learnedPhrasings.count} + 1`,
			active: sql`${learnedPhrasings.active} or ${staff} or ${learnedPhrasings.count} + 1 >= ${loadConfig().KIZUNA_PHRASING_TEACHERS}`,
			updatedAt: new Date(),
		})
		.where(eq(learnedPhrasings.id, row.id))
		.returning({ active: learnedPhrasings.active })
	if (!updated?.active) return
	if (!row.active && target.type !== 'tutorial') await recomputeFrequency(tx, { type: target.type, id: target.id })
	await enqueueIndexTask(tx, target.type, target.id)
}

const shownPhrasings = (targetType: FeedbackTarget, targetId: number) =>
	and(eq(learnedPhrasings.targetType, targetType), eq(learnedPhrasings.targetId, targetId), eq(learnedPhrasings.hidden, false), gt(learnedPhrasings.count, 0))

/**
 * Staff view: what people searched before this content solved their problem, who
 * taught it, and whether it already counts in search, a slice at a time.
 */
export async function learnedPhrasingsOf(targetType: FeedbackTarget, targetId: number, slice: { limit: number; offset: number } = { limit: PAGE_SIZE, offset: 0 }) {
	return db
		.select({
			id: learnedPhrasings.id,
			phrasing: learnedPhrasings.phrasing,
			count: learnedPhrasings.count,
			active: learnedPhrasings.active,
			teachers: sql<string[]>`array_agg(${users.displayName} order by ${learnedPhrasingVoters.createdAt})`,
		})
		.from(learnedPhrasings)
		.innerJoin(learnedPhrasingVoters, eq(learnedPhrasingVoters.phrasingId, learnedPhrasings.id))
		.innerJoin(users, eq(users.id, learnedPhrasingVoters.userId))
		.where(shownPhrasings(targetType, targetId))
		.groupBy(learnedPhrasings.id)
		.orderBy(desc(learnedPhrasings.active), desc(learnedPhrasings.count), desc(learnedPhrasings.updatedAt), desc(learnedPhrasings.id))
		.limit(slice.limit)
		.offset(slice.offset)
}

/** One page of the staff view, with how many phrasings there are. */
export async function learnedPhrasingsPage(targetType: FeedbackTarget, targetId: number, requestedPage: number) {
	const [{ total }] = (await db.select({ total: sql<number>`count(*)::int` }).from(learnedPhrasings).where(shownPhrasings(targetType, targetId))) as [{ total: number }]
	const page = pageOf(requestedPage, total)
	return { items: await learnedPhrasingsOf(targetType, targetId, page), page: pageInfo(page) }
}

/** Removing a phrasing takes it out of search for good (it is hidden, so it is not learned again). */
export async function removeLearnedPhrasing(actor: Actor | null, id: number) {
	authorize(actor, 'knowledge:manage')
	await db.transaction(async (tx) => {
		const [row] = await tx
			.update(learnedPhrasings)
			.set({ hidden: true, active: false, updatedAt: new Date() })
			.where(and(eq(learnedPhrasings.id, id), eq(learnedPhrasings.hidden, false)))
			.returning()
		if (!row) throw notFound('Learned phrasing')
		if (row.targetType !== 'tutorial') await recomputeFrequency(tx, { type: row.targetType as 'question' | 'faq', id: row.targetId })
		await enqueueIndexTask(tx, row.targetType, row.targetId)
	})
}
