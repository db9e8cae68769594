import type { AuditAction } from './audit.server'

/** Each action as `/admin/audit` names it (i18n keys). */
export const auditActionLabels: Record<AuditAction, string> = {
	'person.role_changed': 'Role changed',
	'person.suspended': 'Person suspended',
	'person.restored': 'Restored',
	'person.invited': 'Invited',
	'person.signed_out_everywhere': 'Signed out everywhere',
	'api_token.created': 'API token created',
	'api_token.revoked': 'API token revoked',
	'sso.settings_changed': 'Single sign-on settings changed',
	'webhook.created': 'Webhook added',
	'webhook.updated': 'Webhook paused or resumed',
	'webhook.deleted': 'Webhook deleted',
	'post.approved': 'Post approved',
	'post.hidden': 'Post hidden',
	'post.restored': 'Post restored',
	'post.deleted': 'Post deleted',
	'post.locked': 'Thread locked',
	'post.unlocked': 'Thread unlocked',
	'moderation.settings_changed': 'Moderation settings changed',
	'widget.settings_changed': 'Help widget settings changed',
}
