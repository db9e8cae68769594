import type { Actor } from '~/auth/permissions.server'
import type { Locale } from '~/i18n/locales'

/** What the HTTP layer works out once per request and hands to every loader and action. */
export type RequestContext = {
	actor: Actor | null
	authVia: 'token' | 'session' | null
	/** The browser's session is a suspended person's: refused, and pages send it to /signin?suspended=1 (app/root.tsx). */
	suspended?: true
	visitorId: string
	locale: Locale
	secure: boolean
	/** The client's address: the connection's, or from X-Forwarded-For when the connection is a proxy in KIZUNA_TRUSTED_PROXIES. */
	clientIp: string
	/** This response's Content-Security-Policy nonce, for the scripts Remix renders. */
	cspNonce: string
	/**
	 * Set by Remix's handleError when a route failed on something the error mapping
	 * understands (a database outage, a value the database refused), so the server
	 * answers with that status and reason instead of a 500.
	 */
	refusal?: { status: number; message: string; headers: Record<string, string> }
}

declare module '@remix-run/node' {
	interface AppLoadContext extends RequestContext {}
}
