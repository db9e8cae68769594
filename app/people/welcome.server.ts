import { parse, serialize } from 'cookie'

/** What the page after a redirect greets the person with (sign-up, sign-in, a new password). */
export type Welcome = 'member' | 'admin' | 'back' | 'password'
const WELCOMES: Welcome[] = ['member', 'admin', 'back', 'password']
export const WELCOME_COOKIE = 'kz_welcome'

/**
 * The greeting rides in a short-lived cookie rather than in the address, so the
 * page the person returns to (the ask form, a question) keeps its own URL. The
 * page that shows it deletes it (app/components/welcome.tsx), hence not HttpOnly:
 * it holds only one of the words above.
 */
export const welcomeCookie = (welcome: Welcome, secure: boolean) => serialize(WELCOME_COOKIE, welcome, { path: '/', sameSite: 'lax', secure, maxAge: 60 })

export function readWelcome(cookieHeader: string | null): Welcome | null {
	const value = parse(cookieHeader ?? '')[WELCOME_COOKIE]
	return WELCOMES.includes(value as Welcome) ? (value as Welcome) : null
}
