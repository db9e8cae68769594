/**
 * Sitemaps, feeds and robots.txt change when content does, and crawlers and feed
 * readers poll them: a shared cache may keep them a while, so polling costs one
 * query a period, not one per poller.
 */
function cached(body: string, contentType: string): Response {
	return new Response(body, { headers: { 'Content-Type': contentType, 'Cache-Control': 'public, max-age=900' } })
}

export const xmlResponse = (body: string) => cached(body, 'application/xml; charset=utf-8')
export const atomResponse = (body: string) => cached(body, 'application/atom+xml; charset=utf-8')
export const textResponse = (body: string) => cached(body, 'text/plain; charset=utf-8')

export const notFoundResponse = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=300' } })
