import crypto from 'node:crypto'
import { parse, serialize } from 'cookie'
import { and, eq, gt, lt } from 'drizzle-orm'
import { db } from '#db/client.server'
import { sessions, users } from '#db/schema'
import { DomainError, notFound } from '~/utils/errors.server'
import type { Actor } from './permissions.server'
import { actorForApiToken, type TokenHolder } from './api-tokens.server'
import { actorColumns } from './users.server'
import { lucia } from './lucia.server'
import { isLocale, type Locale } from '~/i18n/locales'

/**
 * `locale`: the signed-in person's language (users.locale), which the site then speaks to them.
 * `suspended`: the credentials were a suspended person's, with no actor: the API answers 403
 * rather than 401, and pages say why (app/server/main.ts).
 */
export type SessionResult = {
	actor: Actor | null
	via: 'token' | 'session' | null
	setCookies: string[]
	locale: Locale | null
	suspended?: true
	/** A help panel session (`kzp_`): it works in the panel only (app/server/main.ts). */
	panel?: true
	/** Why a panel session is refused, when it is a real one: told to the panel. */
	panelRefusal?: string
}

function readCookie(header: string | null | undefined, name: string): string | null {
	return parse(header ?? '')[name] ?? null
}

// Lucia's session ids are 40 lowercase base32 characters; anything else (a NUL, a
// megabyte of junk) was not made by us and is not worth a database query.
const SESSION_ID = /^[a-z0-9]{20,64}$/

/** What a suspended person is told wherever they are refused (sign-in, API). */
export const SUSPENDED = 'This account is suspended: ask an administrator of this community'

/** The refusal at sign-in, with the reason the admin gave: the person learns why, not only that. */
export function suspendedRefusal(reason: string | null): DomainError {
	return new DomainError('forbidden', reason ? `This account is suspended by the moderators of this community, for this reason: ${reason}` : SUSPENDED)
}

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

/** Every way of signing in ends here, so a suspended person is refused whichever door they try. */
export async function startSession(userId: string, secure: boolean): Promise<string> {
	const [user] = await db.select({ suspendedAt: users.suspendedAt, suspensionReason: users.suspensionReason }).from(users).where(eq(users.id, userId))
	if (!user) throw notFound('Person')
	if (user.suspendedAt) throw suspendedRefusal(user.suspensionReason)
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
	// API clients keep the request's language (Accept-Language), as documented for the API.
	if (bearer) {
		if (bearer.startsWith(PANEL_TOKEN_PREFIX)) {
			const holder = await actorForPanelToken(bearer)
			return {
				actor: holder.actor,
				via: 'token',
				setCookies: [],
				locale: null,
				panel: true,
				...(holder.refused === 'suspended' ? { suspended: true as const } : {}),
				...(holder.refused === 'not_member' ? { panelRefusal: PANEL_MEMBERS_ONLY } : {}),
			}
		}
		const holder = await actorForApiToken(bearer)
		return { actor: holder.actor, via: 'token', setCookies: [], locale: null, ...(holder.refused === 'suspended' ? { suspended: true as const } : {}) }
	}
	const sessionId = readCookie(headers.cookie, lucia.sessionCookieName)
	if (!sessionId) return { actor: null, via: null, setCookies: [], locale: null }
	// An unreadable cookie is a signed-out visitor; clearing it stops it coming back.
	if (!SESSION_ID.test(sessionId)) return { actor: null, via: null, setCookies: [sessionCookieHeader('', { secure })], locale: null }
	const { session, user } = await lucia.validateSession(sessionId)
	if (!session) return { actor: null, via: null, setCookies: [sessionCookieHeader('', { secure })], locale: null }
	// A suspended person's session is kept and refused on every use, so their open browser
	// is told why (app/server/main.ts); restoring them ends it (app/people/admin.server.ts).
	if (user.suspended) return { actor: null, via: 'session', setCookies: [], locale: isLocale(user.locale) ? user.locale : null, suspended: true }
	const setCookies = session.fresh ? [sessionCookieHeader(session.id, { secure })] : []
	const actor = { id: user.id, email: user.email, displayName: user.displayName, role: user.role, emailVerified: user.emailVerified }
	return { actor, via: 'session', setCookies, locale: isLocale(user.locale) ? user.locale : null }
}

/**
 * The help widget's panel runs in an iframe on the customer's product, where the
 * browser may refuse our cookies (third-party cookies blocked, and SameSite=Lax is
 * never sent there anyway). A panel session is a row of `sessions` that the panel
 * keeps in memory and sends as `Authorization: Bearer kzp_…`. The prefix keeps it
 * out of lucia's hands: a session cookie must be lowercase base32, so a panel token
 * set as a cookie is refused, and lucia never extends it. "Sign out everywhere" and
 * suspension end it as they end every session.
 */
export const PANEL_TOKEN_PREFIX = 'kzp_'
/** Long enough for a person's stay on one screen; the panel asks the product for a new token after. */
export const PANEL_SESSION_SECONDS = 60 * 60

/**
 * Panel sessions are for members: the product's token never signs staff in (signInWithJwt),
 * and a member promoted later is refused here rather than carrying staff rights into
 * the product's pages with a session made before.
 */
export const PANEL_MEMBERS_ONLY = 'The help panel signs in members only: staff use the community site'

export async function startPanelSession(userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
	const [user] = await db.select({ suspendedAt: users.suspendedAt, suspensionReason: users.suspensionReason }).from(users).where(eq(users.id, userId))
	if (!user) throw notFound('Person')
	if (user.suspendedAt) throw suspendedRefusal(user.suspensionReason)
	const token = `${PANEL_TOKEN_PREFIX}${crypto.randomBytes(24).toString('base64url')}`
	const expiresAt = new Date(now.getTime() + PANEL_SESSION_SECONDS * 1000)
	// Expired panel sessions are never read again (lucia only deletes the ones it is shown).
	await db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, now)))
	await db.insert(sessions).values({ id: token, userId, expiresAt })
	return { token, expiresAt }
}

export async function actorForPanelToken(token: string, now = new Date()): Promise<TokenHolder | { actor: null; refused: 'not_member' }> {
	if (!/^kzp_[A-Za-z0-9_-]{32}$/.test(token)) return { actor: null, refused: 'unknown' }
	const [row] = await db
		.select({ suspendedAt: users.suspendedAt, ...actorColumns })
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(and(eq(sessions.id, token), gt(sessions.expiresAt, now)))
	if (!row) return { actor: null, refused: 'unknown' }
	if (row.suspendedAt) return { actor: null, refused: 'suspended' }
	if (row.role !== 'member') return { actor: null, refused: 'not_member' }
	const { suspendedAt: _s, ...actor } = row
	return { actor, refused: null }
}

export { readCookie }
