import { json, type AppLoadContext } from '@remix-run/node'
import type { Actor } from '~/auth/permissions.server'
import { translateRefusal } from '~/i18n/i18n'
import { DomainError } from './errors.server'

export const methodNotAllowed = (context: AppLoadContext, allowed: string) =>
	json({ error: translateRefusal(context.locale, `Method not allowed; use ${allowed}`) }, { status: 405, headers: { Allow: allowed } })

/** API writes need a token (or a signed-in browser session): 401 otherwise. */
export function requireApiActor(context: AppLoadContext): Actor {
	if (!context.actor) throw new DomainError('unauthorized', 'Authentication required: send Authorization: Bearer <token>')
	return context.actor
}
