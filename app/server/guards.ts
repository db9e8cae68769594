import { escapeHtml } from '~/utils/html'
import crypto from 'node:crypto'
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express'
import helmet from 'helmet'
import getRawBody from 'raw-body'
import { parse } from 'cookie'
import { i18nFor, translateRefusal } from '~/i18n/i18n'
import { requirePreviewer } from '~/community/preview.server'
import { defaultLocale, isLocale, LOCALE_COOKIE, locales, type Locale } from '~/i18n/locales'
import { controlCharacterIn } from '~/utils/input'
import { ATTACHMENT_BODY_LIMIT, ATTACHMENT_LIMITS, ATTACHMENT_UPLOAD_PATH } from '~/attachments/rules'
import { can, decide } from '~/auth/permissions.server'
import { knownRefusal, limit } from '~/auth/rate-limit.server'
import type { RateLimitKind } from '~/config.server'
import { DomainError } from '~/utils/errors.server'
import { failureOf } from '~/utils/http.server'
import type { RequestContext } from './context'

/**
 * Security headers on every response (pages, JSON, CSV, static files), by helmet.
 * Scripts run only from our origin or with this request's nonce; styles allow
 * inline attributes because React `style` props and recharts' SVG use them. Vite's
 * dev server injects scripts and a websocket without nonces, so dev relaxes both.
 * The policy is written out once, around a slot for the nonce: helmet's own CSP
 * builder walked and checked every directive on every request, 0.2 ms of a page.
 */
export function securityHeaders(options: { https: boolean; dev: boolean; formTargets?: string[] }): RequestHandler[] {
	const policy = contentSecurityPolicy(options, NONCE_SLOT).split(NONCE_SLOT)
	return [
		(_req, res, next) => {
			const nonce = crypto.randomBytes(16).toString('base64')
			res.locals.cspNonce = nonce
			res.setHeader('Content-Security-Policy', policy.join(nonce))
			next()
		},
		helmet({
			contentSecurityPolicy: false,
			strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
			// Help widgets on customers' sites may load our images and JSON; CORP would block them.
			crossOriginResourcePolicy: false,
			crossOriginEmbedderPolicy: false,
			referrerPolicy: { policy: 'same-origin' },
			xFrameOptions: { action: 'deny' },
		}),
	]
}

/** Where the nonce goes in the policy (a base64 nonce never contains `_`). */
const NONCE_SLOT = '__nonce__'

/** The Content-Security-Policy header, written as helmet writes it: `name value value;name value`. */
function contentSecurityPolicy(options: { https: boolean; dev: boolean; formTargets?: string[] }, nonce: string): string {
	const directives: Array<[string, string[]]> = [
		['default-src', ["'self'"]],
		['script-src', options.dev ? ["'self'", "'unsafe-inline'", "'unsafe-eval'"] : ["'self'", `'nonce-${nonce}'`]],
		['style-src', ["'self'", "'unsafe-inline'"]],
		// Markdown shows only this site's attachments (app/markdown/markdown.server.ts): nothing else loads images.
		['img-src', ["'self'", 'data:']],
		['font-src', ["'self'", 'data:']],
		['connect-src', options.dev ? ["'self'", 'ws:', 'wss:'] : ["'self'"]],
		['object-src', ["'none'"]],
		['base-uri', ["'self'"]],
		// "Sign in with …" posts here and is redirected to the identity provider, which form-action covers too.
		['form-action', ["'self'", ...(options.formTargets ?? [])]],
		['frame-ancestors', ["'none'"]],
		...(options.https ? [['upgrade-insecure-requests', []] as [string, string[]]] : []),
	]
	return directives.map(([name, values]) => (values.length > 0 ? `${name} ${values.join(' ')}` : name)).join(';')
}

const KB = 1024
/**
 * The biggest legitimate form is a 30,000-character Japanese FAQ or question:
 * 3 UTF-8 bytes per character, each percent-encoded to 9 bytes, about 270 KB
 * (tests/unit/body-limit.test.ts measures it). A staff tutorial can have 30 steps
 * of 20,000 characters, about 5.4 MB.
 */
export const BODY_LIMIT = 512 * KB
export const STAFF_TUTORIAL_BODY_LIMIT = 6 * KB * KB
const TUTORIAL_FORM = /^\/tutorials\/(?:new|\d+\/edit)\/?$/

export function bodyLimitFor(req: Request): number {
	const context = req.res?.locals.context as RequestContext | undefined
	if (isUpload(req)) return ATTACHMENT_BODY_LIMIT
	return TUTORIAL_FORM.test(req.path) && can(context?.actor ?? null, 'knowledge:manage') ? STAFF_TUTORIAL_BODY_LIMIT : BODY_LIMIT
}

const FORM_TYPE = 'application/x-www-form-urlencoded'
/** The one place that takes a file: the editor's attachment upload. */
const isUpload = (req: Request) => req.path === ATTACHMENT_UPLOAD_PATH && Boolean(req.is('multipart/form-data'))

/**
 * Reads the body before Remix does, counting bytes as they stream in: a declared
 * Content-Length over the limit is refused before reading, a chunked body as soon
 * as it passes it. Pages' actions only take urlencoded forms (none uploads files);
 * anything else would fail inside Remix's formData() as a 500.
 */
export const readBody: RequestHandler = (req, res, next) => {
	if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next()
	if (!req.path.startsWith('/api/') && !req.is(FORM_TYPE) && !isUpload(req)) {
		return next(new DomainError('unsupported', `Forms must be sent as ${FORM_TYPE}`))
	}
	const limit = bodyLimitFor(req)
	getRawBody(req, { length: req.headers['content-length'], limit }, (error, body) => {
		if (error?.type === 'entity.too.large') {
			// Not read while the refusal waits: the sender is held back by TCP, which costs neither side CPU.
			req.pause()
			return refuseLater(next, error)
		}
		if (error) return next(error)
		res.locals.body = body
		next()
	})
}

/**
 * An anonymous Markdown preview is refused before its body (up to 512 KB) is read
 * and before Remix sees it: a flood of them (`npm run bench:abuse`) otherwise costs
 * a body read, Remix's routing and the form's normalisation per refusal.
 */
export const refuseAnonymousPreview: RequestHandler = (_req, res, next) => {
	try {
		requirePreviewer((res.locals.context as RequestContext | undefined)?.actor ?? null)
		next()
	} catch (error) {
		// The editor asks for no preview while signed out (it says to sign in): only scripts get here, and they wait.
		if (error instanceof DomainError) refuseLater(next, error)
		else next(error)
	}
}

/**
 * An upload from someone who may not upload (signed out, unconfirmed address) is
 * refused before its body (up to 10 MB) is read. Every other upload costs one
 * `upload` point here, before its body is read or parsed, whether or not it turns
 * out to hold a file: otherwise broken bodies, never counted, could be sent in a
 * loop, each read into memory and parsed. A person over the limit is refused from
 * this process's memory without asking PostgreSQL.
 */
export const refuseUploadEarly: RequestHandler = (_req, res, next) => {
	const actor = (res.locals.context as RequestContext | undefined)?.actor ?? null
	const decision = decide(actor, 'attachment:upload')
	if (!decision.allowed) return refuseLater(next, new DomainError(decision.code, decision.reason))
	limit('upload', actor!.id).then(
		() => next(),
		(error: unknown) => (error instanceof DomainError ? refuseLater(next, error) : next(error)),
	)
}

/**
 * Answers a client this process already refuses for `kind` before its body is
 * read or Remix runs; its first refusal still comes from the route, with the
 * reason on the form. A sign-in refused by Remix renders the whole page again:
 * 2.8 ms of CPU per request, against 0.13 ms here (autocannon, 4 connections).
 *
 * The answer is held back for a second (a tarpit): a client told to wait that
 * keeps sending as fast as it can would otherwise keep the server's one thread
 * busy with refusals, however cheap each is, and slow everyone else's requests
 * (`npm run bench:abuse`). A held answer costs a timer, not CPU.
 */
export const TARPIT_MS = 1_000
export const refuseKnownOverLimit =
	(kind: RateLimitKind, keyOf: (context: RequestContext) => string | null, delayMs = TARPIT_MS): RequestHandler =>
	(_req, res, next) => {
		const key = keyOf(res.locals.context as RequestContext)
		const refusal = key ? knownRefusal(kind, key) : null
		if (refusal) refuseLater(next, refusal, delayMs)
		else next()
	}

/** Answers a refusal that a client could repeat as fast as it likes after TARPIT_MS (see refuseKnownOverLimit). */
export function refuseLater(next: NextFunction, refusal: unknown, delayMs = TARPIT_MS) {
	setTimeout(() => next(refusal), delayMs).unref()
}

/** A path with a control character cannot name any page; refuse it before it reaches a query. */
export const refuseControlCharactersInPath: RequestHandler = (req, _res, next) => {
	let path: string
	try {
		path = decodeURIComponent(req.path)
	} catch {
		return next(new DomainError('invalid', 'The address is not valid'))
	}
	next(controlCharacterIn(path) ? new DomainError('not_found', 'Not found') : undefined)
}

type Failure = { status: number; message: string; headers?: Record<string, string> }

/** What a failure means to the client, without SQL, stacks or paths: those only go to the log. */
export function describeFailure(error: unknown): Failure {
	const type = (error as { type?: unknown } | null)?.type
	if (type === 'entity.too.large') {
		const limit = (error as { limit?: number }).limit ?? BODY_LIMIT
		if (limit === ATTACHMENT_BODY_LIMIT) return { status: 413, message: `The file is too large: images can have at most ${ATTACHMENT_LIMITS.imageBytes / KB / KB} MB` }
		return { status: 413, message: `The request body is too large (at most ${Math.floor(limit / KB)} KB)` }
	}
	if (type === 'request.size.invalid' || type === 'request.aborted') return { status: 400, message: 'The request body does not match its Content-Length' }
	return failureOf(error)
}

/** The language a visitor reads: the one chosen in the header (kept in a cookie), else the browser's. */
export function requestLocale(req: Request): Locale {
	const chosen = parse(req.headers.cookie ?? '')[LOCALE_COOKIE]
	if (isLocale(chosen)) return chosen
	const accepted = req.acceptsLanguages([...locales])
	return isLocale(accepted) ? accepted : defaultLocale
}

const localeOf = (req: Request, res: Response): Locale => (res.locals.context as RequestContext | undefined)?.locale ?? requestLocale(req)


/** A page for failures that happen outside Remix (or replace its 500): plain HTML, no scripts, translated. */
export function errorPage(status: number, message: string, locale: Locale): string {
	const { t } = i18nFor(locale)
	const heading = status === 503 ? t('Kizuna is temporarily unavailable') : String(status)
	const detail = status === 503 ? t('We are having trouble reaching our database. Please try again in a minute.') : translateRefusal(locale, message)
	return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(heading)} · Kizuna</title></head><body><main class="error-page" style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem"><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(detail)}</p><p><a href="/">${escapeHtml(t('Back to the home page'))}</a></p></main></body></html>`
}

/**
 * A refused body is not stored, but its rest is still read and dropped for a few
 * seconds: closing the socket under a client that is still sending makes it see a
 * reset instead of our 413. A client still sending after that is cut off.
 */
const DISCARD_MS = 5_000
function discardRestOfBody(req: Request, res: Response) {
	res.once('finish', () => {
		if (req.complete) return
		const cutOff = setTimeout(() => req.socket.destroy(), DISCARD_MS)
		cutOff.unref()
		req.once('end', () => clearTimeout(cutOff))
		req.resume()
	})
}

/** The API and the resource routes that pages call with fetch read JSON; people read pages. */
const answersJson = (req: Request) => req.path.startsWith('/api/') || req.path.startsWith('/resources/')

/** Answers a failure as JSON on the API and the resource routes, and as a page elsewhere. */
export function sendFailure(req: Request, res: Response, failure: Failure) {
	res.status(failure.status)
	if (!req.complete) discardRestOfBody(req, res)
	if (failure.headers) res.set(failure.headers)
	if (answersJson(req)) res.json({ error: translateRefusal(localeOf(req, res), failure.message) })
	else res.type('html').send(errorPage(failure.status, failure.message, localeOf(req, res)))
}

/** The last Express handler: every failure not answered elsewhere ends here. */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
	const failure = describeFailure(error)
	if (res.headersSent) {
		res.destroy()
		return
	}
	sendFailure(req, res, failure)
}
