import { parse, serialize } from 'cookie'
import type { Actor } from './permissions.server'
import { actorForApiToken } from './api-tokens.server'
import { lucia } from './lucia.server'

export type SessionResult = { actor: Actor | null; via: 'token' | 'session' | null; setCookies: string[] }

function readCookie(header: string | null | undefined, name: string): string | null {
	return parse(header ?? '')[name] ?? null
}

// Lucia's session ids are 40 lowercase base32 characters; anything else (a NUL, a
// megabyte of junk) was not made by us and is not worth a database query.
const SESSION_ID = /^[a-z0-9]{20,64}$/

/** Session cookies are Secure when the site is served over https (KIZUNA_PUBLIC_URL), see main.ts. */
export function sessionCookieHeader(value: string, options: { secure: boolean; maxAge?: number }) {
	const attributes = lucia.createBlankSessionCookie().attributes
	return serialize(lucia.sessionCookieName, value, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: options.secure,
		maxAge: value ? (options.maxAge ?? 60 * 60 * 24 * 30) : 0,
		...(attributes.domain ? { domain: attributes.domain } : {}),
	})
}

export async function startSession(userId: string, secure: boolean): Promise<string> {
	const session = await lucia.createSession(userId, {})
	return sessionCookieHeader(session.id, { secure })
}

export async function endSession(cookieHeader: string | null, secure: boolean): Promise<string> {
	const sessionId = readCookie(cookieHeader, lucia.sessionCookieName)
	if (sessionId && SESSION_ID.test(sessionId)) await lucia.invalidateSession(sessionId)
	return sessionCookieHeader('', { secure })
}

/**
 * Who is making this request: an API token (`Authorization: Bearer`) or a session
 * cookie. Sessions close to expiry are extended, which needs a new cookie.
 */
export async function resolveActor(headers: { authorization?: string; cookie?: string }, secure: boolean): Promise<SessionResult> {
	const bearer = headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
	if (bearer) return { actor: await actorForApiToken(bearer), via: 'token', setCookies: [] }
	const sessionId = readCookie(headers.cookie, lucia.sessionCookieName)
	if (!sessionId) return { actor: null, via: null, setCookies: [] }
	// An unreadable cookie is a signed-out visitor; clearing it stops it coming back.
	if (!SESSION_ID.test(sessionId)) return { actor: null, via: null, setCookies: [sessionCookieHeader('', { secure })] }
	const { session, user } = await lucia.validateSession(sessionId)
	if (!session) return { actor: null, via: null, setCookies: [sessionCookieHeader('', { secure })] }
	const setCookies = session.fresh ? [sessionCookieHeader(session.id, { secure })] : []
	return { actor: { id: user.id, email: user.email, displayName: user.displayName, role: user.role }, via: 'session', setCookies }
}

export { readCookie }
