import crypto from 'node:crypto'
import { and, eq, gte, sql } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { attachments, type AttachmentKind } from '#db/schema'
import { authorize, isStaff, type Actor } from '~/auth/permissions.server'
import { attachmentUrl, UUID_PATTERN } from '~/markdown/attachments'
import { DomainError } from '~/utils/errors.server'
import { detectContent } from './detect.server'
import { reencodeImage } from './images.server'
import { ATTACHMENT_LIMITS } from './rules'

export type UploadedAttachment = { id: string; url: string; markdown: string; kind: AttachmentKind; filename: string; width: number | null; height: number | null }

const MB = 1024 * 1024
const TEXT_EXTENSIONS = new Set(['txt', 'log', 'csv', 'json', 'md', 'yaml', 'yml'])

/**
 * The name a download gets: the uploaded name's letters, digits, `.`, `-` and `_`
 * (any script), at most 100 characters, always ending in an extension that matches
 * what the bytes are, so a text file named `page.html` is saved as `page.html.txt`.
 * It never equals `thumbnail`, the thumbnail's address.
 */
export function safeFilename(name: string, extension: string | null): string {
	const base = (name.split(/[\\/]/).pop() ?? '').normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/-+(?=\.)|(?<=\.)-+/g, '').replace(/^[.-]+|[.-]+$/g, '').slice(0, 90) || 'file'
	const current = /\.([a-z0-9]{1,8})$/i.exec(base)?.[1]?.toLowerCase() ?? null
	if (extension === null) return current && TEXT_EXTENSIONS.has(current) ? base : `${base}.txt`
	if (current === extension || (extension === 'jpg' && current === 'jpeg')) return base
	return `${base.replace(/\.(png|jpe?g|gif|webp|pdf)$/i, '')}.${extension}`
}

/** Markdown that shows the attachment: an image with its size in the address (see app/markdown/attachments.ts), or a link. */
function markdownFor(row: { id: string; kind: AttachmentKind; filename: string; width: number | null; height: number | null }): string {
	const label = row.filename.replace(/[[\]\\]/g, '')
	const url = attachmentUrl(row.id, row.filename)
	return row.kind === 'image' ? `![${label}](${url}#${row.width}x${row.height})` : `[${label}](${url})`
}

/** Uploads by this person in the 24 hours before `now`, and their stored bytes. */
async function usedToday(tx: Queryable, uploaderId: string, now: Date) {
	const since = new Date(now.getTime() - 24 * 60 * 60 * 1000)
	const [used] = await tx
		.select({ count: sql<number>`count(*)::int`, bytes: sql<number>`coalesce(sum(${attachments.byteSize}), 0)::bigint` })
		.from(attachments)
		.where(and(eq(attachments.uploaderId, uploaderId), gte(attachments.createdAt, since)))
	return { count: Number(used?.count ?? 0), bytes: Number(used?.bytes ?? 0) }
}

function checkDailyLimits(used: { count: number; bytes: number }, adding: number) {
	if (used.count + 1 > ATTACHMENT_LIMITS.perDay) {
		throw new DomainError('rate_limited', `You can upload at most ${ATTACHMENT_LIMITS.perDay} files a day. Try again tomorrow.`)
	}
	if (used.bytes + adding > ATTACHMENT_LIMITS.bytesPerDay) {
		throw new DomainError('rate_limited', `You can upload at most ${ATTACHMENT_LIMITS.bytesPerDay / MB} MB a day. Try again tomorrow.`)
	}
}

/**
 * Stores an image or file for a post. Who may post may upload (a confirmed
 * address), counted by the daily limits except for staff; the `upload` rate limit
 * was counted before the body was read (app/server/guards.ts refuseUploadEarly),
 * so broken and refused uploads count too. The size limit comes first and the
 * bytes decide what the file is.
 * Images are re-encoded (images.server.ts); PDFs and text are kept as sent and
 * only ever served as downloads. The caller gets the Markdown to insert.
 */
export async function uploadAttachment(actor: Actor | null, input: { filename: string; bytes: Buffer }, now = new Date()): Promise<UploadedAttachment> {
	authorize(actor, 'attachment:upload')
	const { bytes } = input
	if (bytes.length > ATTACHMENT_LIMITS.imageBytes) throw new DomainError('too_large', `The file is too large: images can have at most ${ATTACHMENT_LIMITS.imageBytes / MB} MB`)
	const detected = detectContent(bytes)
	if (!detected) throw new DomainError('unsupported', 'Only images (PNG, JPEG, GIF, WebP), PDFs and plain text or log files can be attached')
	if (detected.kind === 'file' && bytes.length > ATTACHMENT_LIMITS.fileBytes) {
		throw new DomainError('too_large', `The file is too large: PDFs and text files can have at most ${ATTACHMENT_LIMITS.fileBytes / MB} MB`)
	}
	const limited = !isStaff(actor)
	// Checked before the image is decoded, so someone over the limit costs no CPU; checked again when storing.
	if (limited) checkDailyLimits(await usedToday(db, actor.id, now), 0)
	const stored =
		detected.kind === 'image'
			? await reencodeImage(bytes, detected.format).then((image) => ({ kind: 'image' as const, contentType: image.contentType, data: image.data, thumbnail: image.thumbnail, width: image.width, height: image.height, filename: safeFilename(input.filename, image.extension) }))
			: { kind: 'file' as const, contentType: detected.contentType, data: bytes, thumbnail: null, width: null, height: null, filename: safeFilename(input.filename, detected.contentType === 'application/pdf' ? 'pdf' : null) }
	const row = await db.transaction(async (tx) => {
		// One upload of a person at a time passes the daily check, so two at once cannot both slip under it.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`attachments:${actor.id}`}))`)
		if (limited) checkDailyLimits(await usedToday(tx, actor.id, now), stored.data.length)
		await removeUnusedUploads(tx, actor.id, now)
		const [inserted] = await tx
			.insert(attachments)
			.values({ uploaderId: actor.id, ...stored, byteSize: stored.data.length, sha256: crypto.createHash('sha256').update(stored.data).digest('hex'), createdAt: now })
			.returning({ id: attachments.id })
		return { ...stored, id: inserted!.id }
	})
	return { id: row.id, url: attachmentUrl(row.id, row.filename), markdown: markdownFor(row), kind: row.kind, filename: row.filename, width: row.width, height: row.height }
}

/** `public`: a post everyone can read names it, so shared caches may keep it. */
export type StoredAttachment = { contentType: string; kind: AttachmentKind; filename: string; sha256: string; public: boolean }

/**
 * Whether a post that everyone can read names the attachment (attachment_uses,
 * kept by triggers): a visible question, a visible answer in a visible thread, a
 * published FAQ, or a step of a published tutorial.
 */
const namedInPublicPost = sql<boolean>`exists (
	select 1 from attachment_uses u
	left join questions q on u.post_type = 'question' and q.id = u.post_id
	left join answers x on u.post_type = 'answer' and x.id = u.post_id
	left join questions xq on xq.id = x.question_id
	left join faqs f on u.post_type = 'faq' and f.id = u.post_id
	left join tutorial_steps s on u.post_type = 'tutorial_step' and s.id = u.post_id
	left join tutorials t on t.id = s.tutorial_id
	where u.attachment_id = "attachments"."id"
	and (q.state = 'visible' or (x.state = 'visible' and xq.state = 'visible') or f.published or t.published)
)`

/**
 * What is stored under an id (or its thumbnail), without the bytes: enough to
 * answer a conditional request with 304 without reading up to 10 MB. Null for an
 * id that is not one, never an error for a malformed id.
 */
export async function findAttachment(id: string, part: 'original' | 'thumbnail', viewer: Actor | null): Promise<StoredAttachment | null> {
	if (!UUID_PATTERN.test(id)) return null
	const data = part === 'thumbnail' ? attachments.thumbnail : attachments.data
	const [row] = await db
		.select({
			contentType: attachments.contentType,
			kind: attachments.kind,
			filename: attachments.filename,
			sha256: attachments.sha256,
			uploaderId: attachments.uploaderId,
			stored: sql<boolean>`${data} is not null`,
			public: namedInPublicPost,
		})
		.from(attachments)
		.where(eq(attachments.id, id))
	if (!row?.stored) return null
	// Until a post everyone reads names it (drafts, held or hidden posts, a form not sent yet), only its uploader and staff get it: no hosting through posts nobody approved, and hiding a post hides its files.
	if (!row.public && viewer?.id !== row.uploaderId && !isStaff(viewer)) return null
	if (part === 'thumbnail') return { contentType: 'image/webp', kind: 'image', filename: 'thumbnail.webp', sha256: `${row.sha256}-thumbnail`, public: row.public }
	return { contentType: row.contentType, kind: row.kind, filename: row.filename, sha256: row.sha256, public: row.public }
}

/** The bytes of an attachment or its thumbnail; null when it was deleted since findAttachment. */
export async function attachmentBytes(id: string, part: 'original' | 'thumbnail'): Promise<Buffer | null> {
	const [row] = await db
		.select({ data: part === 'thumbnail' ? attachments.thumbnail : attachments.data })
		.from(attachments)
		.where(eq(attachments.id, id))
	return row?.data ?? null
}

/** How far back unused uploads are looked for: older ones are kept (see README, "Attachments"). */
const LOOKBACK_DAYS = 7

/**
 * Deletes uploads that no post uses ATTACHMENT_LIMITS.unusedHours after they were
 * made (pasted and then removed from the text, or a form never sent): one person's
 * when they next upload, in that upload's transaction, and everyone's in the hourly
 * `attachments-cleanup` job (`uploaderId` null). Used means named in a question,
 * answer, FAQ or tutorial step (attachment_uses, the same record serving reads), or
 * in any of their revisions (so history keeps its images): revisions have no such
 * record, and only those saved since the upload can name it, so only those are read.
 */
export async function removeUnusedUploads(tx: Queryable, uploaderId: string | null, now: Date): Promise<number> {
	const before = new Date(now.getTime() - ATTACHMENT_LIMITS.unusedHours * 60 * 60 * 1000)
	const after = new Date(before.getTime() - LOOKBACK_DAYS * 24 * 60 * 60 * 1000)
	const removed = await tx.execute(sql`
		delete from attachments a
		where ${uploaderId === null ? sql`true` : sql`a.uploader_id = ${uploaderId}`} and a.created_at < ${before.toISOString()} and a.created_at >= ${after.toISOString()}
		and not exists (select 1 from attachment_uses u where u.attachment_id = a.id)
		and not exists (select 1 from revisions r where r.created_at >= a.created_at and strpos(r.body, a.id::text) > 0)
		and not exists (select 1 from faq_revisions r where r.created_at >= a.created_at and strpos(r.body, a.id::text) > 0)
		returning a.id`)
	return removed.length
}
