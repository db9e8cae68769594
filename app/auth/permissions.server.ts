import type { Role } from '#db/schema'
import { DomainError } from '~/utils/errors.server'

export type Actor = { id: string; role: Role; displayName: string; email: string }

export type Action =
	| 'question:create'
	| 'answer:create'
	| 'post:edit'
	| 'post:vote'
	| 'question:me-too'
	| 'answer:accept'
	| 'revision:view'
	| 'knowledge:manage'
	| 'question:moderate'
	| 'search:configure'
	| 'feedback:view'
	| 'tutorial:progress'
	| 'insights:view'
	| 'accounts:manage'
	| 'webhooks:manage'

export const isStaff = (actor: Actor | null) => actor?.role === 'cs' || actor?.role === 'admin'

/**
 * The one place that decides who may do what. `owner` is the id of the person
 * who wrote the post concerned (for accepting: the asker).
 */
export function can(actor: Actor | null, action: Action, owner?: string): boolean {
	if (!actor) return false
	switch (action) {
		case 'question:create':
		case 'answer:create':
		case 'post:vote':
		case 'question:me-too':
		case 'tutorial:progress':
			return true
		case 'knowledge:manage':
		case 'question:moderate':
		case 'search:configure':
		case 'feedback:view':
		case 'accounts:manage':
			return isStaff(actor)
		case 'insights:view':
			return actor.role !== 'member'
		case 'webhooks:manage':
			return actor.role === 'admin'
		case 'post:edit':
		case 'answer:accept':
		case 'revision:view':
			return isStaff(actor) || actor.id === owner
	}
}

export function authorize(actor: Actor | null, action: Action, owner?: string): asserts actor is Actor {
	if (!actor) throw new DomainError('unauthorized', 'Sign in first')
	if (!can(actor, action, owner)) throw new DomainError('forbidden', 'You are not allowed to do that')
}
