import type { AppLoadContext } from '@remix-run/node'
import { DomainError } from '~/utils/errors.server'
import type { Actor } from './permissions.server'

/** API writes need a token (or a signed-in browser session): 401 otherwise. */
export function requireApiActor(context: AppLoadContext): Actor {
	if (!context.actor) throw new DomainError('unauthorized', 'Authentication required: send Authorization: Bearer <token>')
	return context.actor
}
