import { MAX_PAGE_PATH } from '~/utils/limits'
import { isSecureOrLoopback } from '~/utils/urls'

/** Origins allowed to embed the panel: each one is a `frame-ancestors` source on every panel response. */
export const MAX_ALLOWED_ORIGINS = 20
/** Page rules in all: every suggestion request reads them all. */
export const MAX_PAGE_RULES = 200
export const MAX_SUPPORT_LINK = 500

/**
 * An origin exactly as a browser sends it (`https://app.example.com`, with a port when
 * it has one), or null. Plain http only for this machine: a product served over http
 * elsewhere could have the panel (and its person's session) framed by anyone on the way.
 */
export function normalizeOrigin(raw: string): string | null {
	const text = raw.trim().replace(/\/$/, '')
	let url: URL
	try {
		url = new URL(text)
	} catch {
		return null
	}
	if (!isSecureOrLoopback(url)) return null
	if (url.username || url.password || url.origin !== text.toLowerCase()) return null
	return url.origin
}

/** "Contact support": an https address or a mailto: link to one address. */
export function isSupportLink(raw: string): boolean {
	if (raw.length > MAX_SUPPORT_LINK) return false
	if (raw.startsWith('mailto:')) return /^mailto:[^\s@<>"(),;:]+@[^\s@<>"(),;:]+\.[^\s@<>"(),;:]+(\?[^\s<>"]*)?$/.test(raw)
	const url = URL.parse(raw)
	return url !== null && isSecureOrLoopback(url) && !url.username && !url.password
}

/** `*` in one pattern: a few cover any real page layout, and each one is a scan of the path. */
export const MAX_PATTERN_STARS = 8

/** A host-page path pattern: a path, where `*` stands for anything (`/settings/billing*`). */
export const PAGE_PATTERN = /^\/[^\s\u0000-\u001f\u007f?#]*$/
export const isPagePattern = (pattern: string) => pattern.length <= MAX_PAGE_PATH && PAGE_PATTERN.test(pattern) && pattern.split('*').length - 1 <= MAX_PATTERN_STARS

/**
 * The pattern as pagePath writes the paths it is matched with: characters a URL path
 * percent-encodes (`/設定*` becomes `/%E8%A8%AD%E5%AE%9A*`), the rest as typed.
 */
export const normalizePagePattern = (pattern: string) => pattern.replace(/[^\x21-\x7e]|["<>`{}]/gu, (char) => encodeURIComponent(char))

/** The pattern as staff typed it, for showing: `%E8%A8%AD` is 設 again. */
export function displayPagePattern(pattern: string): string {
	try {
		return decodeURI(pattern)
	} catch {
		return pattern
	}
}

/**
 * Whether a path matches a pattern, in time linear in their lengths times the number
 * of stars: the parts between stars are found left to right, each as early as it
 * occurs, which is enough for `*` (any text) and never backtracks. A RegExp with
 * `.*` per star does backtrack: 12 stars against a 41-character path took 38 s.
 */
export function pageMatches(pattern: string, page: string | null): boolean {
	if (page === null) return false
	const parts = normalizePagePattern(pattern).split('*')
	const first = parts[0]!
	if (parts.length === 1) return page === first
	const last = parts[parts.length - 1]!
	if (!page.startsWith(first) || page.length < first.length + last.length) return false
	let from = first.length
	const end = page.length - last.length
	for (const part of parts.slice(1, -1)) {
		if (part === '') continue
		const found = page.indexOf(part, from)
		if (found === -1 || found + part.length > end) return false
		from = found + part.length
	}
	return page.endsWith(last)
}

/** The same pattern for SQL `like`, its own `%`, `_` and `\` taken literally. */
export const likePattern = (pattern: string) =>
	normalizePagePattern(pattern)
		.replace(/[\\%_]/g, '\\$&')
		.replace(/\*+/g, '%')
