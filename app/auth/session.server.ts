import { parse, serialize } from 'cookie'
import type { Actor } from './permissions.server'
import { actorForApiToken } from './api-tokens.server'
import { lucia } from './lucia.server'

export type SessionResult = { actor: Actor | null; via: 'token' | 'session' | null; setCookies: string[] }

function readCookie(header: string | null | undefined, name: string): string | null {
	return parse(header ?? '')[name] ?? null
}

/** Session cookies are Secure whenever the request reached us over HTTPS (directly or behind a proxy). */
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
	if (sessionId) await lucia.invalidateSession(sessionId)
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
	const { session, user } = await lucia.validateSession(sessionId)
	if (!session) return { actor: null, via: null, setCookies: [sessionCookieHeader('', { secure })] }
	const setCookies = session.fresh ? [sessionCookieHeader(session.id, { secure })] : []
	return { actor: { id: user.id, email: user.email, displayName: user.displayName, role: user.role }, via: 'session', setCookies }
}

export { readCookie }
