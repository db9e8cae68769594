import type { LoaderFunctionArgs } from '@remix-run/node'
import { attachmentBytes, findAttachment } from '~/attachments/attachments.server'

/**
 * Serves an attachment (`/attachments/{id}/{name}`) or its thumbnail
 * (`/attachments/{id}/thumbnail`) to whoever may read a post that names it
 * (attachments.server.ts findAttachment), else 404. The type is the one decided from the bytes at upload, the
 * browser may not guess another (nosniff), anything but an image is a download,
 * and the response runs in a sandbox that may load nothing, should a browser
 * still render it as a page.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
	const part = params.filename === 'thumbnail' ? 'thumbnail' : 'original'
	const id = params.id ?? ''
	const attachment = await findAttachment(id, part, context.actor)
	if (!attachment) return notFound()
	const etag = `"${attachment.sha256}"`
	const headers = new Headers({
		'Content-Type': attachment.contentType,
		'X-Content-Type-Options': 'nosniff',
		'Content-Security-Policy': "default-src 'none'; sandbox",
		'Content-Disposition': `${attachment.kind === 'image' ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
		// The bytes never change, but who may read them does (a post hidden, a draft published): caches check back within the hour.
		'Cache-Control': attachment.public ? 'public, max-age=3600' : 'private, no-store',
		ETag: etag,
	})
	// Answered before the bytes are read: a revalidation costs one small query.
	if (request.headers.get('if-none-match')?.split(',').some((tag) => tag.trim() === etag)) return new Response(null, { status: 304, headers })
	const data = await attachmentBytes(id, part)
	if (!data) return notFound()
	headers.set('Content-Length', String(data.length))
	return new Response(new Uint8Array(data), { status: 200, headers })
}

const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
