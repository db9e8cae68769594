import { and, count, desc, eq, or, sql, type SQL } from 'drizzle-orm'
import { db } from '#db/client.server'
import { auditEvents } from '#db/schema'
import { authorize, type Actor } from '~/auth/permissions.server'
import { pageInfo, pageOf } from '~/utils/paging'
import type { AuditAction } from './audit.server'

export type AuditFilters = { action?: AuditAction; person?: string }

/**
 * `/admin/audit`: newest first, one page at a time. `person` finds what someone
 * did and what was done to them (their role, suspension, tokens).
 */
export async function auditLog(actor: Actor | null, filters: AuditFilters, requestedPage = 1) {
	authorize(actor, 'audit:view')
	const conditions: SQL[] = []
	if (filters.action) conditions.push(eq(auditEvents.action, filters.action))
	if (filters.person) {
		const person = filters.person
		conditions.push(or(eq(auditEvents.actorId, person), and(eq(auditEvents.targetType, 'person'), eq(auditEvents.targetId, person)), sql`${auditEvents.details}->>'owner' = ${person}`)!)
	}
	const where = and(...conditions)
	const [{ total }] = (await db.select({ total: count() }).from(auditEvents).where(where)) as [{ total: number }]
	const page = pageOf(requestedPage, total)
	const rows = await db.select().from(auditEvents).where(where).orderBy(desc(auditEvents.createdAt), desc(auditEvents.id)).limit(page.limit).offset(page.offset)
	return {
		page: pageInfo(page),
		events: rows.map((row) => ({
			id: row.id,
			at: row.createdAt.toISOString(),
			actorId: row.actorId,
			actorName: row.actorName,
			action: row.action as AuditAction,
			targetType: row.targetType,
			targetId: row.targetId,
			targetLabel: row.targetLabel,
			details: row.details,
		})),
	}
}
