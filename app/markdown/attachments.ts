/**
 * How posts refer to uploaded attachments: `/attachments/{uuid}/{filename}`, with
 * `#{width}x{height}` after an image's address. The fragment never reaches the
 * server; it carries the stored dimensions into the Markdown, so the renderer can
 * reserve the image's space (no layout shift) without asking the database.
 */
export const ATTACHMENTS_PATH = '/attachments/'

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
export const UUID_PATTERN = new RegExp(`^${UUID}$`)

/** The id of every attachment a text refers to, once each, in order of appearance. */
export function attachmentIdsIn(markdown: string): string[] {
	const ids = new Set<string>()
	for (const match of markdown.matchAll(new RegExp(`/attachments/(${UUID})/`, 'gi'))) ids.add(match[1]!.toLowerCase())
	return [...ids]
}

const IMAGE_SOURCE = new RegExp(`^/attachments/(${UUID})/([^/?#\\s]{1,200})(?:#(\\d{1,5})x(\\d{1,5}))?$`)

/** An image address the renderer accepts (only this site's attachments), without its fragment, and the dimensions it carries. */
export function attachmentImage(src: string): { src: string; width: number | null; height: number | null } | null {
	const match = IMAGE_SOURCE.exec(src)
	if (!match) return null
	const width = match[3] ? Number(match[3]) : 0
	const height = match[4] ? Number(match[4]) : 0
	const sized = width > 0 && height > 0
	return { src: `/attachments/${match[1]}/${match[2]}`, width: sized ? width : null, height: sized ? height : null }
}

const FIRST_IMAGE = new RegExp(`!\\[[^\\]]*\\]\\(/attachments/(${UUID})/`, 'i')

/** The thumbnail of the first attached image a text shows, for lists (a screenshot tells a lot about a question). */
export function firstImageThumbnail(markdown: string): string | null {
	const match = FIRST_IMAGE.exec(markdown)
	return match ? `${ATTACHMENTS_PATH}${match[1]!.toLowerCase()}/thumbnail` : null
}

/** Where an attachment is served, with its (already safe) file name. */
export const attachmentUrl = (id: string, filename: string) => `${ATTACHMENTS_PATH}${id}/${encodeURIComponent(filename)}`
