import { MAX_PAGE_PATH } from '~/utils/limits'

/** Origins allowed to embed the panel: each one is a `frame-ancestors` source on every panel response. */
export const MAX_ALLOWED_ORIGINS = 20
/** Page rules in all: every suggestion request reads them all. */
export const MAX_PAGE_RULES = 200
export const MAX_SUPPORT_LINK = 500

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

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
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return null
	if (url.username || url.password || url.origin !== text.toLowerCase()) return null
	return url.origin
}

/** "Contact support": an https address or a mailto: link to one address. */
export function isSupportLink(raw: string): boolean {
	if (raw.length > MAX_SUPPORT_LINK) return false
	if (raw.startsWith('mailto:')) return /^mailto:[^\s@<>"(),;:]+@[^\s@<>"(),;:]+\.[^\s@<>"(),;:]+(\?[^\s<>"]*)?$/.test(raw)
	try {
		const url = new URL(raw)
		return (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) && !url.username && !url.password
	} catch {
		return false
	}
}

/** A host-page path pattern: a path, where `*` stands for anything (`/settings/billing*`). */
export const PAGE_PATTERN = /^\/[^\s\u0000-\u001f\u007f?#]*$/
export const isPagePattern = (pattern: string) => pattern.length <= MAX_PAGE_PATH && PAGE_PATTERN.test(pattern)

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&')

export function pageMatches(pattern: string, page: string | null): boolean {
	if (page === null) return false
	return new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`).test(page)
}

/** The same pattern for SQL `like`, its own `%`, `_` and `\` taken literally. */
export const likePattern = (pattern: string) => pattern.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%')
