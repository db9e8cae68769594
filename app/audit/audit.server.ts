import type { Queryable } from '#db/client.server'
import { auditEvents } from '#db/schema'
import type { Actor } from '~/auth/permissions.server'

/** What the audit trail records; `/admin/audit` names each in the reader's language. */
export const auditActions = [
	'person.role_changed',
	'person.suspended',
	'person.restored',
	'person.invited',
	'person.signed_out_everywhere',
	'api_token.created',
	'api_token.revoked',
	'sso.settings_changed',
	'webhook.created',
	'webhook.updated',
	'webhook.deleted',
	'post.approved',
	'post.hidden',
	'post.restored',
	'post.deleted',
	'post.locked',
	'post.unlocked',
	'moderation.settings_changed',
	'widget.settings_changed',
] as const
export type AuditAction = (typeof auditActions)[number]

export type AuditEntry = {
	action: AuditAction
	target: { type: 'person' | 'api_token' | 'sso' | 'webhook' | 'question' | 'answer' | 'moderation' | 'widget'; id: string; label: string }
	/** What changed, e.g. `{ from: 'member', to: 'cs' }`; never a secret or a token. */
	details?: Record<string, unknown>
}

/** The site itself acting on its moderation rules (flags from several people hid a post): no person did it. */
export const AUTOMATIC_MODERATION = 'Automatic moderation'

/**
 * Writes one audit entry in the caller's transaction, so the entry exists exactly
 * when the change does. `actor` null: the command line on the server's machine.
 */
export async function recordAudit(tx: Queryable, actor: Pick<Actor, 'id' | 'displayName'> | typeof AUTOMATIC_MODERATION | null, entry: AuditEntry) {
	const person = typeof actor === 'string' ? null : actor
	await tx.insert(auditEvents).values({
		actorId: person?.id ?? null,
		actorName: typeof actor === 'string' ? actor : (person?.displayName ?? 'CLI'),
		action: entry.action,
		targetType: entry.target.type,
		targetId: entry.target.id,
		targetLabel: entry.target.label,
		details: entry.details ?? {},
	})
}
