import crypto from 'node:crypto'
import panelCss from './client/panel.css?raw'
import panelJs from './client/panel.js?raw'
import widgetJs from './client/widget.js?raw'

export type WidgetAsset = { body: string; type: string; version: string }

const asset = (body: string, type: string): WidgetAsset => ({
	body,
	type,
	version: crypto.createHash('sha256').update(body).digest('base64url').slice(0, 16),
})

/**
 * The files the widget is made of: widget.js served with a version from its content (the
 * ETag and the `?v=` of its versioned address); the panel's script and styles, inlined in
 * its page, as text.
 */
export const widgetAssets = {
	loader: asset(widgetJs, 'text/javascript; charset=utf-8'),
	panelScript: panelJs,
	panelStyle: panelCss,
}

/**
 * Versioned (`?v=` names this content): cached for a year and never revalidated.
 * Unversioned (the `<script src>` in customers' pages, which cannot change with each
 * release): cached an hour, then revalidated by ETag, so a release reaches every
 * product within the hour. A `?v=` that is not this content is served as unversioned.
 */
export function assetResponse(request: Request, file: WidgetAsset): Response {
	const etag = `"${file.version}"`
	const versioned = new URL(request.url).searchParams.get('v') === file.version
	const headers = {
		'Content-Type': file.type,
		ETag: etag,
		'Cache-Control': versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
		// Served to customers' pages on other origins: the script tag needs no CORS, but a crossorigin attribute may ask.
		'Access-Control-Allow-Origin': '*',
	}
	if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers })
	return new Response(file.body, { status: 200, headers })
}
