const BASE = 'http://kizuna.invalid'

/**
 * Only same-site paths may be redirected to, so a crafted link cannot send people
 * elsewhere. Browsers drop tabs and line breaks from URLs and read `\` as `/`, so
 * `/%09/evil.example` or `/\evil.example` would leave the site: the target is
 * resolved as a browser would, against a placeholder origin, and must stay on it.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
	if (typeof to !== 'string' || !to.startsWith('/') || to.length > 2000) return fallback
	if (/[\u0000-\u001F\u007F\\]/.test(to)) return fallback
	// Encoded once more, the same characters reach the browser decoded by our own query parsing.
	let decoded: string
	try {
		decoded = decodeURIComponent(to)
	} catch {
		return fallback
	}
	if (/^\/[\s\u0000-\u001F\u007F\\/]/.test(decoded)) return fallback
	const resolved = new URL(to, BASE)
	const path = `${resolved.pathname}${resolved.search}${resolved.hash}`
	// Dot segments can leave `//host` behind (`/..//evil.example`): the result must stay here too.
	if (resolved.origin !== BASE || new URL(path, BASE).origin !== BASE) return fallback
	return path
}
