import { db } from '#db/client.server'
import type { Role } from '#db/schema'
import { DomainError } from '~/utils/errors.server'
import { readSetting } from './settings.server'

/**
 * Who may get a session through a Kizuna password, in one place for every door that
 * takes one (sign-in, sign-up, a reset link, an invitation). `loginUrl`: the product's
 * login page (KIZUNA_SSO_LOGIN_URL). Without it, everyone may. With it, customers sign
 * in through the product, and staff only while the admin allows passwords.
 */
export async function checkPasswordSignIn(role: Role, loginUrl: string | null | undefined) {
	if (!loginUrl) return
	if (role === 'member') throw new DomainError('forbidden', 'Customers sign in through the product: use "Sign in" there')
	if (!(await staffPasswordsAllowed(loginUrl))) throw new DomainError('forbidden', 'Password sign-in is turned off for staff: use the staff sign-in of your company')
}

/** With the product's login page set up: whether staff may still use a password. */
export async function staffPasswordsAllowed(loginUrl: string | null | undefined): Promise<boolean> {
	return !loginUrl || (await readSetting(db, 'sso')).staffPasswords
}

/** Signing up with a password: with the product's login page, people are created by signing in there instead. */
export function checkSignUpOpen(loginUrl: string | null | undefined) {
	if (loginUrl) throw new DomainError('forbidden', 'People join this community by signing in through the product')
}
