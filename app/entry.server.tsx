import { Writable } from 'node:stream'
import type { AppLoadContext, EntryContext, HandleErrorFunction } from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { renderToPipeableStream } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { NonceContext } from './components/nonce'
import { i18nFor } from './i18n/i18n'
import { defaultLocale } from './i18n/locales'
import { asDomainError } from './utils/errors.server'
import { log } from './utils/log.server'
import { refusalHeaders } from './utils/http.server'

const ABORT_DELAY = 5_000

/**
 * Errors from loaders, actions and rendering are logged here, never shown (Remix
 * hides them in production). One the error mapping understands (a database outage,
 * a value the database refused) is noted on the load context, so the server answers
 * 503 or 400 with its reason instead of a 500 (app/server/main.ts).
 */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
	// Unknown addresses and refusals thrown as responses are answers, not failures.
	if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return
	const refusal = asDomainError(error)
	if (refusal) context.refusal ??= { status: refusal.status, message: refusal.message, headers: refusalHeaders(refusal) }
	// A refusal (not found, forbidden, invalid, limited) is the expected answer; only failures (and outages) need their stack in the log.
	if (!refusal || refusal.status >= 500) log.error({ err: error }, refusal ? refusal.message : 'Request failed')
}

/**
 * React 18's renderer hands on its whole 2 KB chunk when a text does not fit, though a
 * character of several bytes (Japanese, an emoji) that would straddle its end was left
 * out and the last one to three bytes were never written: NUL bytes inside the page
 * (facebook/react#24985, fixed in React 19 only). Browsers skip them, but crawlers stop
 * at them and PostgreSQL refuses to keep such a page in the shared page cache. Text
 * never holds a NUL (inputs refuse it), so trailing NULs of a chunk are that gap.
 */
function withoutUnwrittenEnd(chunk: Buffer): Buffer {
	let end = chunk.length
	while (end > chunk.length - 3 && end > 0 && chunk[end - 1] === 0) end--
	return end === chunk.length ? chunk : chunk.subarray(0, end)
}

/**
 * Every page is rendered whole, then sent as one body. Loaders have all finished
 * before rendering starts (no route defers data), so streaming the shell first sent
 * nothing earlier; it cost a PassThrough, a web stream and one socket write per
 * 2 KB chunk of HTML: about 1.5 ms of the 13 ms of CPU a signed-in page took
 * (README, "Where a page's time goes").
 */
export default function handleRequest(
	request: Request,
	responseStatusCode: number,
	responseHeaders: Headers,
	remixContext: EntryContext,
	loadContext: AppLoadContext,
) {
	const i18n = i18nFor(loadContext?.locale ?? defaultLocale)
	const nonce = loadContext?.cspNonce
	return new Promise<Response>((resolve, reject) => {
		let shellRendered = false
		const timer = setTimeout(() => abort(), ABORT_DELAY)
		const { pipe, abort } = renderToPipeableStream(
			<NonceContext.Provider value={nonce}>
				<I18nextProvider i18n={i18n}>
					<RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
				</I18nextProvider>
			</NonceContext.Provider>,
			{
				nonce,
				onShellReady() {
					shellRendered = true
				},
				onAllReady() {
					clearTimeout(timer)
					const chunks: Buffer[] = []
					const body = new Writable({
						write(chunk: Buffer, _encoding, done) {
							chunks.push(withoutUnwrittenEnd(chunk))
							done()
						},
						final(done) {
							// Security headers (CSP with this nonce, nosniff, frame and referrer policy) are set for every response in app/server/guards.ts.
							responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
							resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }))
							done()
						},
					})
					pipe(body)
				},
				onShellError(error: unknown) {
					reject(error)
				},
				// A part that failed after the shell makes the page a 500, as it always did for crawlers: nothing keeps or indexes it as a good page.
				onError(error: unknown) {
					responseStatusCode = 500
					if (shellRendered) log.error({ err: error }, 'Rendering failed after the page shell was rendered')
				},
			},
		)
	})
}
