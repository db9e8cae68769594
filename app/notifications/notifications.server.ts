import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { notifications } from '#db/schema'
import { authorize, type Actor } from '~/auth/permissions.server'
import { notFound } from '~/utils/errors.server'
import { pageInfo, pageOf } from '~/utils/paging'
import type { NotificationView } from './describe'
import { loadNotificationViews } from './views.server'

/** The bell shows "99+" beyond this: counting further would read every unread row of a busy person. */
export const UNREAD_SHOWN = 99

/** Unread notifications for the bell, counted up to one past UNREAD_SHOWN (the partial index on unread rows). */
export async function unreadCount(userId: string): Promise<number> {
	const rows = (await db.execute(
		sql`select count(*)::int as n from (select 1 from notifications where user_id = ${userId} and read_at is null limit ${UNREAD_SHOWN + 1}) unread`,
	)) as unknown as Array<{ n: number }>
	return rows[0]?.n ?? 0
}

async function newestViews(userId: string, limit: number, offset: number): Promise<NotificationView[]> {
	const rows = await db
		.select({ id: notifications.id })
		.from(notifications)
		.where(eq(notifications.userId, userId))
		.orderBy(desc(notifications.createdAt), desc(notifications.id))
		.limit(limit)
		.offset(offset)
	const views = await loadNotificationViews(db, rows.map((row) => row.id))
	return rows.map((row) => views.get(row.id)).filter((view): view is NotificationView => view !== undefined)
}

/** The API's list: the newest `limit` notifications of the caller and how many are unread. */
export async function recentNotifications(actor: Actor | null, limit: number) {
	authorize(actor, 'notifications:read')
	const [items, [unread]] = await Promise.all([
		newestViews(actor.id, limit, 0),
		db.select({ n: count() }).from(notifications).where(and(eq(notifications.userId, actor.id), isNull(notifications.readAt))),
	])
	return { unread: unread?.n ?? 0, items }
}

export const NOTIFICATIONS_PAGE_SIZE = 30

export type NotificationGroup = { questionId: number | null; items: NotificationView[] }

/**
 * One page of the notifications page, newest first, with the notifications about
 * one thread gathered under the newest of them (so five answers to one question
 * read as one group, not five lines among the rest).
 */
export async function notificationsPage(actor: Actor | null, requestedPage: number) {
	authorize(actor, 'notifications:read')
	const [total] = await db.select({ n: count() }).from(notifications).where(eq(notifications.userId, actor.id))
	const slice = pageOf(requestedPage, total?.n ?? 0, NOTIFICATIONS_PAGE_SIZE)
	const items = await newestViews(actor.id, slice.limit, slice.offset)
	const groups: NotificationGroup[] = []
	const byThread = new Map<number, NotificationGroup>()
	for (const item of items) {
		const existing = item.questionId === null ? undefined : byThread.get(item.questionId)
		if (existing) {
			existing.items.push(item)
			continue
		}
		const group = { questionId: item.questionId, items: [item] }
		groups.push(group)
		if (item.questionId !== null) byThread.set(item.questionId, group)
	}
	return { groups, page: pageInfo(slice), unread: await unreadCount(actor.id) }
}

/**
 * Marks the caller's notifications read: those named (others' ids are ignored, as
 * are unknown ones), or all of them with `ids` left out. Returns how many changed.
 */
export async function markNotificationsRead(actor: Actor | null, ids: number[] | 'all', now = new Date()): Promise<number> {
	authorize(actor, 'notifications:read')
	if (ids !== 'all' && ids.length === 0) return 0
	const changed = await db
		.update(notifications)
		.set({ readAt: now })
		.where(and(eq(notifications.userId, actor.id), isNull(notifications.readAt), ids === 'all' ? undefined : inArray(notifications.id, ids)))
		.returning({ id: notifications.id })
	return changed.length
}

/** Opening a notification: marks it read and says where to go. Someone else's is "not found", as if it did not exist. */
export async function openNotification(actor: Actor | null, id: number, now = new Date()): Promise<string> {
	authorize(actor, 'notifications:read')
	const [row] = await db.select({ id: notifications.id }).from(notifications).where(and(eq(notifications.id, id), eq(notifications.userId, actor.id)))
	if (!row) throw notFound('Notification')
	const view = (await loadNotificationViews(db, [id])).get(id)
	await db.update(notifications).set({ readAt: now }).where(and(eq(notifications.id, id), isNull(notifications.readAt)))
	// What it pointed at is gone (a deleted answer's question keeps it; an FAQ may not): the list is the next best place.
	return view?.url ?? '/notifications'
}
