import type { Role } from '../../db/schema'
import { createUser } from '../../app/auth/users.server'

let counter = 0

/** A person with the given role, with a unique email. */
export function person(role: Role = 'member', name: string = role) {
	counter += 1
	return createUser({ email: `${name}-${counter}-${Date.now()}@example.test`, password: 'correct horse battery', displayName: `${name} ${counter}`, role })
}
