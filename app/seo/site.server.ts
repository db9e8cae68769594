import { loadConfig } from '~/config.server'

/**
 * The site's base URL, ending with `/`: KIZUNA_PUBLIC_URL when set (behind a proxy the
 * request's own origin may be an internal one), else the origin the request came to.
 * Canonical links, sitemaps, feeds and structured data are absolute from it.
 */
export function siteBase(requestUrl: string, publicUrl = loadConfig().KIZUNA_PUBLIC_URL): string {
	const base = publicUrl ?? new URL(requestUrl).origin
	return base.endsWith('/') ? base : `${base}/`
}
