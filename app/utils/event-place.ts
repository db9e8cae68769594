import { z } from 'zod'
import { MAX_PAGE_PATH, type EventChannel } from './limits'

/**
 * Where an action happened: the community site, or the help widget on a page (path) of the customer's product.
 * `preview`: the panel framed by the community itself (/admin/widget's preview), whose actions are not
 * recorded: they would show in /insights/pages and teach the panel's suggestions.
 */
export type EventPlace = { channel: EventChannel; page: string | null; preview?: true }

/**
 * The path of a host page as the insights group it: from a path or a full URL, the
 * path only (a query or fragment can hold tokens and personal data), at most
 * MAX_PAGE_PATH characters. Null when it is not a path.
 */
export function pagePath(raw: string | null | undefined): string | null {
	if (!raw) return null
	let path: string
	try {
		path = new URL(raw, 'http://host.invalid').pathname
	} catch {
		return null
	}
	if (!path.startsWith('/') || /[\u0000-\u001f\u007f]/.test(path)) return null
	return path.slice(0, MAX_PAGE_PATH)
}

/**
 * The place a request names with `channel`, `page` and `preview=1` (`GET /api/v1/search?channel=widget&page=/settings/billing`).
 * Anything but the widget, or an unknown channel, is the community; a page only counts for the widget.
 */
export function placeFrom(params: URLSearchParams): EventPlace {
	if (params.get('channel') !== 'widget') return { channel: 'community', page: null }
	return { channel: 'widget', page: pagePath(params.get('page')), ...(params.get('preview') === '1' ? { preview: true as const } : {}) }
}

/**
 * A host page's address as the widget sends it (location.pathname, or the whole URL),
 * read as its path: the one reading for every API that takes `page=`, so they refuse alike.
 */
export const hostPageSchema = z
	.string({ required_error: 'page is required: the path of the host page' })
	.max(2000, 'page (the host page) can have at most 2000 characters')
	.transform((value, context) => {
		const path = pagePath(value)
		if (path === null) context.addIssue({ code: 'custom', message: 'page must be the path of the host page, such as /settings/billing' })
		return path ?? z.NEVER
	})
