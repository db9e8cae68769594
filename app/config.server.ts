import net from 'node:net'
import path from 'node:path'
import { z } from 'zod'
import { logLevels } from './utils/log.server'
import { isSecureOrLoopback } from './utils/urls'

/**
 * Rate limits (points per window, per key) and their defaults. Sized so a person
 * never meets them in normal use while a script does within a minute; the README
 * lists them with their keys.
 */
export const rateLimitDefaults = {
	/** Failed or not, sign-in attempts on one account (from any address). */
	signInAccount: { points: 10, seconds: 15 * 60 },
	/** Sign-in attempts from one address, whatever the account: password spraying. */
	signInAddress: { points: 30, seconds: 15 * 60 },
	signUp: { points: 20, seconds: 60 * 60 },
	/** "Sign in with …" (OpenID Connect) started from one address: each start stores a pending sign-in. */
	oidcStart: { points: 30, seconds: 15 * 60 },
	/** Questions, answers and edits by one person. */
	post: { points: 30, seconds: 10 * 60 },
	/** Votes and "me too" by one person. */
	vote: { points: 60, seconds: 10 * 60 },
	/** "Did this solve your problem?" by one person or visitor… */
	feedback: { points: 30, seconds: 60 },
	/** …and from one address, which a client without cookies cannot rotate. */
	feedbackAddress: { points: 60, seconds: 10 * 60 },
	/** Search page, suggestions and API, per address: generous, as suggestions run per keystroke. */
	search: { points: 300, seconds: 60 },
	preview: { points: 60, seconds: 60 },
	/** Unsubscribe requests for one email address: a person sends a few; mail providers send one-click POSTs for many people from one network, so this is not per client address. */
	unsubscribe: { points: 10, seconds: 60 * 60 },
	/** Unsubscribe links that are not valid, per client address: someone trying tokens. */
	unsubscribeInvalid: { points: 20, seconds: 10 * 60 },
	/** Follows and unfollows of questions and tags by one person. */
	follow: { points: 120, seconds: 10 * 60 },
	/** The editor's @mention suggestions, per person: one request per keystroke after `@`. */
	mentionSuggest: { points: 120, seconds: 60 },
	/**
	 * Help-widget events with nothing else to limit them ("Ask the community" opened, "Contact support"), per person,
	 * or per address without one: a client without cookies gets a new visitor id on each request.
	 */
	widgetEvent: { points: 60, seconds: 10 * 60 },
	/** Articles opened in the help widget (each a recorded view), per person: generous, a person reads several a minute. */
	widgetView: { points: 300, seconds: 10 * 60 },
	/** Requests made with one API token. */
	apiToken: { points: 600, seconds: 60 },
	/** Links confirming an address (the banner's "Resend", an email change), per person: each is a mail. */
	verificationMail: { points: 5, seconds: 60 * 60 },
	/** "Forgot password?" per address asked about: one inbox gets at most this many links… */
	passwordResetEmail: { points: 3, seconds: 60 * 60 },
	/** …and per client address, with new passwords set through a link (each hashes a password). */
	passwordResetAddress: { points: 10, seconds: 60 * 60 },
	/** Current-password checks in the settings (changing the password or the email), per person. */
	accountSecurity: { points: 10, seconds: 15 * 60 },
	/** Single sign-on links from the product (GET /sso/jwt), per client address: each verifies a signature and may fetch the product's keys. */
	ssoAddress: { points: 120, seconds: 10 * 60 },
	/** Staff invitations sent by one admin: each is a mail. */
	invitation: { points: 20, seconds: 60 * 60 },
	/** API tokens created or revoked and "sign out everywhere", per person: each is an entry in the audit log. */
	apiTokenChange: { points: 30, seconds: 10 * 60 },
	/** Flags on posts by one person: each one writes, can hide a post and tells webhook subscribers. */
	flag: { points: 30, seconds: 60 * 60 },
	/** Attachments uploaded by one person: each image is decoded and re-encoded (CPU). */
	upload: { points: 30, seconds: 10 * 60 },
} satisfies Record<string, RateLimitRule>

export type RateLimitRule = { points: number; seconds: number }
export type RateLimitKind = keyof typeof rateLimitDefaults
export type RateLimits = Record<RateLimitKind, RateLimitRule>

const units: Record<string, number> = { s: 1, m: 60, h: 3600 }
const isKind = (name: string): name is RateLimitKind => Object.hasOwn(rateLimitDefaults, name)

/** `KIZUNA_RATE_LIMITS=signInAccount=5/15m,search=600/1m`: each named limit overrides its default. */
const rateLimits = z
	.string()
	.default('')
	.transform((text, ctx): RateLimits => {
		const limits: RateLimits = { ...rateLimitDefaults }
		for (const item of text.split(',').map((part) => part.trim()).filter(Boolean)) {
			const match = /^(\w+)=(\d{1,9})\/(\d{1,7})([smh])$/.exec(item)
			if (!match || !isKind(match[1]!) || Number(match[2]) < 1 || Number(match[3]) < 1) {
				ctx.addIssue({ code: 'custom', message: `"${item}" is not <limit>=<points>/<window> with a window in s, m or h; limits: ${Object.keys(rateLimitDefaults).join(', ')}` })
				return z.NEVER
			}
			limits[match[1]] = { points: Number(match[2]), seconds: Number(match[3]) * units[match[4]!]! }
		}
		return limits
	})

/** Express `trust proxy` names for address ranges, besides addresses and CIDRs. */
const proxyNames = new Set(['loopback', 'linklocal', 'uniquelocal'])

function isAddressOrRange(entry: string): boolean {
	if (proxyNames.has(entry)) return true
	const [address, bits, ...rest] = entry.split('/')
	const version = net.isIP(address ?? '')
	if (version === 0 || rest.length > 0) return false
	return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128))
}

/** Proxies whose X-Forwarded-For is believed; by default none, so the client address is the socket's. */
const trustedProxies = z
	.string()
	.default('')
	.transform((text, ctx) => {
		const entries = text.split(',').map((part) => part.trim()).filter(Boolean)
		const wrong = entries.find((entry) => !isAddressOrRange(entry))
		if (wrong !== undefined) {
			ctx.addIssue({ code: 'custom', message: `"${wrong}" is not an IP address, a CIDR range or one of ${[...proxyNames].join(', ')}` })
			return z.NEVER
		}
		return entries
	})

/** Byte sizes as an operator writes them (`128MiB`, `2GiB`, `512MB`, or bytes), in bytes. */
const byteUnits: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 }
const byteSize = (fallback: string) =>
	z
		.string()
		.default(fallback)
		.transform((text, ctx) => {
			const match = /^(\d{1,12}(?:\.\d{1,3})?)\s?([kmg]i?b|b)?$/i.exec(text.trim())
			if (!match) {
				ctx.addIssue({ code: 'custom', message: `"${text}" is not a size such as 128MiB, 2GiB, 512MB or a number of bytes` })
				return z.NEVER
			}
			return Math.round(Number(match[1]) * byteUnits[(match[2] ?? 'b').toLowerCase()]!)
		})

const fields = z.object({
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	HOST: z.string().default('0.0.0.0'),
	KIZUNA_DATA_DIR: z.string().default('./data'),
	DATABASE_URL: z.string().url().optional(),
	MEILI_URL: z.string().url().optional(),
	MEILI_MASTER_KEY: z.string().optional(),
	MEILI_INDEX_PREFIX: z.string().regex(/^[a-z0-9_]*$/).default(''),
	KIZUNA_DEMO_CONTENT: z.enum(['on', 'off']).default('on'),
	/**
	 * The embedded Meilisearch sizes itself from the machine otherwise: two thirds of its RAM for indexing
	 * (15.7 GiB on a 24 GiB machine), which it keeps after indexing the demo content (1.9 GB resident at idle).
	 * Sized for a laptop (`npm run bench:footprint`: 323 MB at idle with these); ignored with MEILI_URL (set them on that Meilisearch instead).
	 */
	MEILI_MAX_INDEXING_MEMORY: byteSize('128MiB').pipe(z.number().int().min(32 * 2 ** 20, 'must be at least 32MiB')),
	MEILI_MAX_INDEXING_THREADS: z.coerce.number().int().min(1).max(256).default(1),
	/** PostgreSQL's shared_buffers in the embedded database (PGlite's own default is 128MB); ignored with DATABASE_URL. */
	KIZUNA_PGLITE_SHARED_BUFFERS: byteSize('16MB').pipe(z.number().int().min(2 ** 20, 'must be at least 1MB').max(2 ** 30, 'must be at most 1GiB: it lives in a WebAssembly memory of at most 2 GiB')),
	KIZUNA_PUBLIC_URL: z.string().url().optional(),
	/** Only for local testing: webhooks may then point at this machine and the private network (see app/utils/outbound.server.ts). */
	KIZUNA_ALLOW_PRIVATE_URLS: z.enum(['true', 'false']).default('false'),
	NODE_ENV: z.string().default('production'),
	KIZUNA_TRUSTED_PROXIES: trustedProxies,
	KIZUNA_RATE_LIMITS: rateLimits,
	/** Distinct signed-in people who must resolve their search with a phrasing before it changes ranking. */
	KIZUNA_PHRASING_TEACHERS: z.coerce.number().int().min(1).max(1000).default(3),
	/** `web` serves the site and queues jobs, `worker` runs jobs (and serves only /healthz), `all` both in one process. */
	KIZUNA_ROLE: z.enum(['web', 'worker', 'all']).default('all'),
	/** The anonymous page cache (app/server/page-cache.ts): `off` renders every page for every reader. */
	KIZUNA_PAGE_CACHE: z.enum(['on', 'off']).default('on'),
	/** Seconds an anonymous page is served from the cache at most, changes or not (figures not announced as changes: view counts, "3 minutes ago"). */
	KIZUNA_PAGE_CACHE_TTL: z.coerce.number().int().min(1).max(600).default(30),
	/** Where mail goes: `smtp://user:pass@host:587` or `smtps://…`. Unset: each mail is written to <data dir>/mail/ as an .eml file. */
	SMTP_URL: z
		.string()
		.url()
		.refine((url) => /^smtps?:\/\//i.test(url), 'must start with smtp:// or smtps://')
		.optional(),
	/** The From address of every mail, e.g. `Kizuna <community@example.com>`; required with SMTP_URL. */
	MAIL_FROM: z.string().min(3).max(320).optional(),
	/** JWT single sign-on from the customer's product, HS256: the secret both sides share (at least 32 characters, as HS256 needs 256 bits). */
	KIZUNA_SSO_SECRET: z.string().min(32, 'must be at least 32 characters (HS256 needs a 256-bit key)').optional(),
	/** JWT single sign-on, RS256/ES256: where the product publishes its public keys. */
	KIZUNA_SSO_JWKS_URL: z.string().url().refine((url) => /^https?:\/\//i.test(url), 'must be an http(s) URL').optional(),
	/** Where "Sign in" sends customers when single sign-on is set up: the product's login page. */
	KIZUNA_SSO_LOGIN_URL: z.string().url().refine((url) => /^https?:\/\//i.test(url), 'must be an http(s) URL').optional(),
	/** OpenID Connect for staff (Google Workspace, Entra ID, Okta): the issuer, and the client registered there. */
	KIZUNA_OIDC_ISSUER: z.string().url().refine(isSecureOrLoopback, 'must be an https URL (plain http only on localhost, 127.0.0.1 or ::1)').optional(),
	KIZUNA_OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
	KIZUNA_OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
	/** What the staff sign-in button calls the provider ("Google Workspace"); unset, the button says "your company account" in the reader's language. */
	KIZUNA_OIDC_NAME: z.string().min(1).max(60).optional(),
	/** The least severe log lines written (pino's levels). */
	LOG_LEVEL: z.enum(logLevels).default('info'),
	/** A Bearer token that lets a scraper read /metrics from anywhere; unset, only this machine may, connected directly. */
	KIZUNA_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').max(200).optional(),
	/** Where pg_dump and pg_restore are (`backup`/`restore` with DATABASE_URL); unset, they are looked up on PATH. */
	KIZUNA_PG_BIN: z.string().min(1).optional(),
})

const schema = fields
	.refine((env) => !env.SMTP_URL || env.MAIL_FROM, { message: 'MAIL_FROM is required when SMTP_URL is set', path: ['MAIL_FROM'] })
	// Links in mail that leaves this machine must point where people can open them, not at localhost.
	.refine((env) => !env.SMTP_URL || env.KIZUNA_PUBLIC_URL, { message: 'KIZUNA_PUBLIC_URL is required when SMTP_URL is set', path: ['KIZUNA_PUBLIC_URL'] })
	// Half an OpenID Connect setup would show a staff button that can only fail.
	.refine((env) => [env.KIZUNA_OIDC_ISSUER, env.KIZUNA_OIDC_CLIENT_ID, env.KIZUNA_OIDC_CLIENT_SECRET].filter(Boolean).length % 3 === 0, {
		message: 'KIZUNA_OIDC_ISSUER, KIZUNA_OIDC_CLIENT_ID and KIZUNA_OIDC_CLIENT_SECRET go together',
		path: ['KIZUNA_OIDC_ISSUER'],
	})
	// The login page alone would send customers to a product whose tokens nobody can check.
	.refine((env) => !env.KIZUNA_SSO_LOGIN_URL || env.KIZUNA_SSO_SECRET || env.KIZUNA_SSO_JWKS_URL, {
		message: 'KIZUNA_SSO_LOGIN_URL needs KIZUNA_SSO_SECRET or KIZUNA_SSO_JWKS_URL',
		path: ['KIZUNA_SSO_LOGIN_URL'],
	})

export type Config = z.infer<typeof schema> & { dataDir: string }

const names = Object.keys(fields.shape)
let last: { env: Record<string, string | undefined>; raw: string; config: Config } | null = null

/**
 * The settings, checked. Pages read them on every request (the site's base URL,
 * whether mail stays on this machine): parsing with zod each time took 110–190 µs,
 * reading the raw values to see whether they changed takes about 15 µs, so the
 * parsed settings are reused while those values (and the working directory the data
 * dir is resolved from) stay the same. Tests that change process.env still see the change.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	const raw = JSON.stringify([process.cwd(), ...names.map((name) => env[name])])
	if (last?.env === env && last.raw === raw) return last.config
	const config = parseConfig(env)
	last = { env, raw, config }
	return config
}

function parseConfig(env: Record<string, string | undefined>): Config {
	const parsed = schema.safeParse(env)
	if (!parsed.success) {
		const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
		throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`)
	}
	return { ...parsed.data, dataDir: path.resolve(parsed.data.KIZUNA_DATA_DIR) }
}

/**
 * A link to a page of this site for use outside it (webhook payloads): absolute
 * when KIZUNA_PUBLIC_URL says where the site is served, else the path.
 */
export function linkFromOutside(path: string, env: Record<string, string | undefined> = process.env): string {
	const base = env.KIZUNA_PUBLIC_URL
	return base ? new URL(path.replace(/^\/+/, ''), base.endsWith('/') ? base : `${base}/`).toString() : path
}
