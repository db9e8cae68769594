import crypto from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { eq } from 'drizzle-orm'
import express from 'express'
import sharp from 'sharp'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { attachmentBytes, removeUnusedUploads, uploadAttachment } from '../../app/attachments/attachments.server'
import { ATTACHMENT_UPLOAD_PATH } from '../../app/attachments/rules'
import { errorHandler, readBody, refuseUploadEarly } from '../../app/server/guards'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { ATTACHMENT_LIMITS } from '../../app/attachments/rules'
import type { Actor } from '../../app/auth/permissions.server'
import { translateRefusal } from '../../app/i18n/i18n'
import { rateLimitDefaults } from '../../app/config.server'
import { createQuestion, updateQuestion } from '../../app/community/questions.server'
import { moderatePost } from '../../app/moderation/moderation.server'
import { answerSchema, questionSchema } from '../../app/community/validation'
import { faqSchema, tutorialSchema } from '../../app/knowledge/validation'
import { renderMarkdown } from '../../app/markdown/markdown.server'
import { loader as serve } from '../../app/routes/attachments.$id.$filename'
import { action as upload } from '../../app/routes/resources.attachments'
import { db } from '../../db/client.server'
import { attachments, users } from '../../db/schema'
import { person } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'

// Passed through, so a test can see whether serving read an attachment's bytes.
vi.mock('../../app/attachments/attachments.server', async (original) => {
	const actual = await original<typeof import('../../app/attachments/attachments.server')>()
	return { ...actual, attachmentBytes: vi.fn(actual.attachmentBytes) }
})

const MB = 1024 * 1024

/** A PNG whose EXIF says where it was taken, as a phone's screenshot or photo can. */
async function pngWithGps(width = 64, height = 48) {
	return sharp({ create: { width, height, channels: 3, background: '#3366cc' } })
		.png()
		.withExif({ IFD0: { Artist: 'Secret Person', Copyright: 'Mine' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 39/1 29/1', GPSLongitudeRef: 'E', GPSLongitude: '139/1 44/1 28/1' } })
		.toBuffer()
}

const post = async (actor: Actor | null, file: Blob | string | null, name = 'screenshot.png', locale: 'en' | 'ja' = 'en') => {
	const form = new FormData()
	if (file !== null) form.set('file', file, ...(typeof file === 'string' ? [] : [name]) as [])
	const request = new Request('http://kizuna.test/resources/attachments', { method: 'POST', body: form })
	const response = await upload({ request, context: { actor, locale }, params: {} } as never)
	return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/** The upload route called with a body written by hand, as a script could send it. */
const postRaw = async (actor: Actor, body: string, contentType = 'multipart/form-data; boundary=b') => {
	const request = new Request('http://kizuna.test/resources/attachments', { method: 'POST', headers: { 'Content-Type': contentType }, body })
	const response = await upload({ request, context: { actor, locale: 'en' }, params: {} } as never)
	return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/** The upload behind Express as app/server/main.ts serves it: refuseUploadEarly, then readBody, then the route. */
async function uploadServer(actor: Actor) {
	const app = express()
	app.use((_req, res, next) => {
		res.locals.context = { actor, locale: 'en' }
		next()
	})
	app.post(ATTACHMENT_UPLOAD_PATH, refuseUploadEarly)
	app.use(readBody)
	app.post(ATTACHMENT_UPLOAD_PATH, async (req, res, next) => {
		try {
			const request = new Request('http://kizuna.test/resources/attachments', { method: 'POST', headers: { 'Content-Type': req.headers['content-type']! }, body: new Uint8Array(res.locals.body as Buffer) })
			const response = await upload({ request, context: res.locals.context, params: {} } as never)
			res.status(response.status).json(await response.json())
		} catch (error) {
			next(error)
		}
	})
	app.use(errorHandler)
	const server = app.listen(0, '127.0.0.1')
	await new Promise((resolve) => server.once('listening', resolve))
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${ATTACHMENT_UPLOAD_PATH}`
	return { server, send: (body: string) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=b' }, body }) }
}

/** GET an attachment's address as `viewer` (a visitor when null). */
const get = async (path: string, viewer: Actor | null, headers: Record<string, string> = {}) => {
	const [, , id, filename] = path.split('/')
	return serve({ request: new Request(`http://kizuna.test${path}`, { headers }), params: { id, filename }, context: { actor: viewer } } as never)
}

describe('attachments', () => {
	beforeEach(resetData)

	it('re-encodes an image without its EXIF and GPS, serves it with a safe type and a thumbnail, and the Markdown shows it at its size', async () => {
		const member = await person('member', 'uploader')
		const original = await pngWithGps()
		expect((await sharp(original).metadata()).exif).toBeDefined()
		const { status, body } = await post(member, new Blob([original], { type: 'image/png' }), 'My screen (1).png')
		expect(status).toBe(201)
		expect(body).toEqual({ id: expect.any(String), url: `/attachments/${body.id}/My-screen-1.png`, markdown: `![My-screen-1.png](/attachments/${body.id}/My-screen-1.png#64x48)`, kind: 'image', filename: 'My-screen-1.png', width: 64, height: 48 })

		const served = await get(body.url as string, member)
		expect(served.status).toBe(200)
		expect(served.headers.get('content-type')).toBe('image/png')
		expect(served.headers.get('x-content-type-options')).toBe('nosniff')
		expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
		// Named by no post yet: only its uploader reads it, and no shared cache keeps it.
		expect(served.headers.get('cache-control')).toBe('private, no-store')
		const bytes = Buffer.from(await served.arrayBuffer())
		expect(served.headers.get('etag')).toBe(`"${crypto.createHash('sha256').update(bytes).digest('hex')}"`)
		const metadata = await sharp(bytes).metadata()
		expect(metadata.exif).toBeUndefined()
		expect(metadata.xmp).toBeUndefined()
		expect(bytes.includes(Buffer.from('Secret Person'))).toBe(false)
		vi.mocked(attachmentBytes).mockClear()
		expect((await get(body.url as string, member, { 'If-None-Match': served.headers.get('etag')! })).status).toBe(304)
		// Revalidated from the stored hash alone: the bytes were not read for it.
		expect(attachmentBytes).not.toHaveBeenCalled()

		const thumbnail = await get(`/attachments/${body.id}/thumbnail`, member)
		expect(thumbnail.headers.get('content-type')).toBe('image/webp')
		expect((await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()).format).toBe('webp')

		expect(renderMarkdown(`Look: ${body.markdown}`).trim()).toBe(`<p>Look: <img src="${body.url}" alt="My-screen-1.png" width="64" height="48" loading="lazy" decoding="async" /></p>`)
	})

	it('caps large images at 2,000 px, turns photos upright from their EXIF orientation, and refuses decompression bombs', async () => {
		const member = await person('member')
		const wide = await sharp({ create: { width: 4000, height: 1000, channels: 3, background: '#fff' } }).png().toBuffer()
		const capped = await uploadAttachment(member, { filename: 'wide.png', bytes: wide })
		expect([capped.width, capped.height]).toEqual([2000, 500])
		const [row] = await db.select().from(attachments).where(eq(attachments.id, capped.id))
		expect(await sharp(row!.data).metadata()).toMatchObject({ width: 2000, height: 500 })
		expect(await sharp(row!.thumbnail!).metadata()).toMatchObject({ width: 320, height: 80 })

		// Orientation 6: stored sideways, shown rotated a quarter turn.
		const sideways = await sharp({ create: { width: 300, height: 100, channels: 3, background: '#000' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer()
		const upright = await uploadAttachment(member, { filename: 'photo.jpeg', bytes: sideways })
		expect([upright.width, upright.height, upright.filename]).toEqual([100, 300, 'photo.jpeg'])

		// 10,000 × 10,000 of one colour compresses to a few hundred KB but would decode to 300 MB.
		const bomb = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer()
		expect(bomb.length).toBeLessThan(ATTACHMENT_LIMITS.imageBytes)
		const refused = await refusal(uploadAttachment(member, { filename: 'bomb.png', bytes: bomb }))
		expect([refused.status, refused.message]).toEqual([413, 'The image has too many pixels (at most 40 megapixels, all frames together)'])
	})

	it('keeps an animated GIF animated, scaled down frame by frame, and reports one frame’s size', async () => {
		const member = await person('member')
		const frame = (background: string) => sharp({ create: { width: 2400, height: 600, channels: 3, background } }).png().toBuffer()
		const frames = await Promise.all(['#c00', '#0c0', '#00c'].map(frame))
		const gif = await sharp(frames, { join: { animated: true } }).gif({ delay: [100, 100, 100], loop: 0 }).toBuffer()
		const stored = await uploadAttachment(member, { filename: 'spinner.gif', bytes: gif })
		expect([stored.width, stored.height, stored.filename]).toEqual([2000, 500, 'spinner.gif'])
		const [row] = await db.select().from(attachments).where(eq(attachments.id, stored.id))
		expect(await sharp(row!.data, { animated: true }).metadata()).toMatchObject({ format: 'gif', pages: 3, width: 2000, pageHeight: 500 })
		expect(await sharp(row!.thumbnail!).metadata()).toMatchObject({ width: 320, height: 80 })
	})

	it('refuses animations of too many frames or pixels from their header', async () => {
		const member = await person('member')
		const animation = async (count: number, width: number, height: number, format: 'gif' | 'webp') => {
			const frames = await Promise.all(Array.from({ length: count }, (_, n) => sharp({ create: { width, height, channels: 3, background: n % 2 ? '#c00' : '#00c' } }).png().toBuffer()))
			return sharp(frames, { join: { animated: true } })[format]().toBuffer()
		}
		const manyFrames = await refusal(uploadAttachment(member, { filename: 'long.webp', bytes: await animation(ATTACHMENT_LIMITS.animationFrames + 1, 8, 8, 'webp') }))
		expect([manyFrames.status, manyFrames.message]).toEqual([413, 'The animation has too many frames (at most 100)'])
		expect(translateRefusal('ja', manyFrames.message)).toBe('アニメーションのフレーム数が多すぎます（100 フレームまで）')
		// 12 MP in all: well under the still-image limit, over the animation one.
		const large = await refusal(uploadAttachment(member, { filename: 'large.gif', bytes: await animation(20, 1000, 600, 'gif') }))
		expect([large.status, large.message]).toEqual([413, 'The animation has too many pixels (at most 10 megapixels, all frames together)'])
		expect(translateRefusal('ja', large.message)).toBe('アニメーションの画素数が多すぎます（全フレーム合計で 10 メガピクセルまで）')
		expect((await uploadAttachment(member, { filename: 'ok.webp', bytes: await animation(ATTACHMENT_LIMITS.animationFrames, 8, 8, 'webp') })).filename).toBe('ok.webp')
	})

	it('decides by content, not name: PDFs and logs become downloads, executables, HTML, SVG and fake images are refused', async () => {
		const member = await person('member')
		const pdf = await post(member, new Blob(['%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'], { type: 'image/png' }), 'report.png')
		expect(pdf.status).toBe(201)
		expect(pdf.body).toMatchObject({ kind: 'file', filename: 'report.pdf', markdown: `[report.pdf](/attachments/${pdf.body.id}/report.pdf)`, width: null })
		const download = await get(pdf.body.url as string, member)
		expect(download.headers.get('content-type')).toBe('application/pdf')
		expect(download.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''report.pdf")
		expect(download.headers.get('x-content-type-options')).toBe('nosniff')

		const log = await post(member, new Blob(['2026-11-30 ERROR sync failed: 同期に失敗しました\n']), 'server.html')
		expect(log.body).toMatchObject({ kind: 'file', filename: 'server.html.txt' })
		const text = await get(log.body.url as string, member)
		expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8')
		expect(text.headers.get('content-disposition')).toMatch(/^attachment;/)

		const refusedBy = 'Only images (PNG, JPEG, GIF, WebP), PDFs and plain text or log files can be attached'
		const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), crypto.randomBytes(200)])
		expect(await post(member, new Blob([exe], { type: 'image/png' }), 'setup.png')).toEqual({ status: 415, body: { error: refusedBy } })
		expect(await post(member, new Blob(['<!doctype html><script>alert(1)</script>'], { type: 'image/png' }), 'cat.png')).toEqual({ status: 415, body: { error: refusedBy } })
		expect(await post(member, new Blob(['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'], { type: 'image/svg+xml' }), 'logo.svg')).toEqual({ status: 415, body: { error: refusedBy } })
		expect(await post(member, new Blob([Buffer.from([0xff, 0xfe, 0x41, 0x00])]), 'utf16.txt')).toEqual({ status: 415, body: { error: refusedBy } })
		// A PNG signature followed by a page: a polyglot that is no image.
		const polyglot = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('<html><script>alert(1)</script></html>')])
		expect(await post(member, new Blob([polyglot]), 'x.png')).toEqual({ status: 400, body: { error: 'The image could not be read: it may be damaged or not really an image' } })
		// Anything after a real image's end is gone from what is stored.
		const tail = Buffer.concat([await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer(), Buffer.from('<script>alert(1)</script>')])
		const cleaned = await post(member, new Blob([tail]), 'tail.png')
		const [row] = await db.select().from(attachments).where(eq(attachments.id, cleaned.body.id as string))
		expect(row!.data.includes(Buffer.from('<script>'))).toBe(false)

		expect(await post(member, null)).toEqual({ status: 400, body: { error: 'Send the file as multipart/form-data in a field named "file"' } })
		expect(await post(member, 'just text')).toEqual({ status: 400, body: { error: 'Send the file as multipart/form-data in a field named "file"' } })
		expect(await db.$count(attachments)).toBe(3)
	})

	it('refuses files over the size limits, and uploads over a person’s daily count and bytes (staff excepted)', async () => {
		const member = await person('member')
		const bigPdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(ATTACHMENT_LIMITS.fileBytes, 0x20)])
		expect(await post(member, new Blob([bigPdf]), 'big.pdf')).toEqual({ status: 413, body: { error: 'The file is too large: PDFs and text files can have at most 5 MB' } })
		expect(await post(member, new Blob([bigPdf]), 'big.pdf', 'ja')).toEqual({ status: 413, body: { error: 'ファイルが大きすぎます。PDF とテキストファイルは 5 MB までです' } })
		const huge = Buffer.alloc(ATTACHMENT_LIMITS.imageBytes + 1, 0x41)
		expect(await post(member, new Blob([huge]), 'huge.log')).toEqual({ status: 413, body: { error: 'The file is too large: images can have at most 10 MB' } })

		const now = new Date()
		const earlier = new Date(now.getTime() - 60 * 60 * 1000)
		const row = (uploaderId: string, byteSize: number) => ({ uploaderId, kind: 'file' as const, contentType: 'text/plain; charset=utf-8', filename: 'a.txt', byteSize, sha256: 'x', data: Buffer.from('a'), createdAt: earlier })
		await db.insert(attachments).values(Array.from({ length: ATTACHMENT_LIMITS.perDay }, () => row(member.id, 10)))
		const log = new Blob(['a log line\n'])
		expect(await post(member, log, 'a.log')).toEqual({ status: 429, body: { error: 'You can upload at most 50 files a day. Try again tomorrow.' } })
		expect(await post(member, log, 'a.log', 'ja')).toEqual({ status: 429, body: { error: 'アップロードできるのは1日 50 ファイルまでです。明日もう一度お試しください。' } })

		const heavy = await person('member', 'heavy')
		await db.insert(attachments).values(row(heavy.id, ATTACHMENT_LIMITS.bytesPerDay - 5))
		expect(await post(heavy, new Blob(['0123456789\n']), 'b.log')).toEqual({ status: 429, body: { error: 'You can upload at most 100 MB a day. Try again tomorrow.' } })
		expect((await post(heavy, new Blob(['0123\n']), 'c.log')).status).toBe(201)

		const staff = await person('cs', 'staff')
		await db.insert(attachments).values(Array.from({ length: ATTACHMENT_LIMITS.perDay }, () => row(staff.id, 10)))
		expect((await post(staff, log, 'a.log')).status).toBe(201)
	})

	it('lets only people who may post upload: visitors and unconfirmed addresses are refused', async () => {
		expect(await post(null, new Blob(['hello\n']), 'a.txt')).toEqual({ status: 401, body: { error: 'Sign in first' } })
		const unconfirmed = await person('member', 'new')
		await db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, unconfirmed.id))
		expect(await post({ ...unconfirmed, emailVerified: false }, new Blob(['hello\n']), 'a.txt')).toEqual({ status: 403, body: { error: 'Confirm your email address first: we sent you a link' } })
		expect(await db.$count(attachments)).toBe(0)
	})

	it('counts every upload against the upload rate limit before its body is read, broken ones too, with the wait in the reason', async () => {
		const member = await person('member', 'busy')
		const { server, send } = await uploadServer(member)
		try {
			// Bodies with no file part: refused by the route, yet each counted before it was read.
			for (let n = 0; n < rateLimitDefaults.upload.points; n++) expect((await send(`--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n${n}\r\n--b--`)).status).toBe(400)
			const refused = await send('--b\r\nContent-Disposition: form-data; name="file"; filename="more.log"\r\n\r\none more\n\r\n--b--')
			expect(refused.status).toBe(429)
			expect(((await refused.json()) as { error: string }).error).toMatch(/^You have uploaded many files in a short time\. Try again in \d+ minutes?\.$/)
			expect(await db.$count(attachments)).toBe(0)
		} finally {
			await new Promise((resolve) => server.close(resolve))
		}
	})

	it('reads only a body of exactly one part named file: more parts, other names and long headers are refused', async () => {
		const member = await person('member')
		const part = (disposition: string, data: string) => `--b\r\nContent-Disposition: ${disposition}\r\nContent-Type: text/plain\r\n\r\n${data}\r\n`
		const file = part('form-data; name="file"; filename="a.log"', 'a line')
		const sendAs = { status: 400, body: { error: 'Send the file as multipart/form-data in a field named "file"' } }
		expect(await postRaw(member, `${file}--b--\r\n`)).toMatchObject({ status: 201, body: { filename: 'a.log' } })
		expect(await postRaw(member, `${file}${file}--b--`)).toEqual(sendAs)
		expect(await postRaw(member, `${part('form-data; name="x"', 'y')}${file}--b--`)).toEqual(sendAs)
		expect(await postRaw(member, `${part('form-data; name="other"; filename="a.log"', 'a')}--b--`)).toEqual(sendAs)
		expect(await postRaw(member, `${part(`form-data; name="file"; filename="${'a'.repeat(3000)}.log"`, 'a')}--b--`)).toEqual(sendAs)
		expect(await postRaw(member, `${file}`)).toEqual(sendAs)
		expect(await postRaw(member, `${file}--b--`, 'multipart/form-data')).toEqual(sendAs)
		expect(await postRaw(member, 'file=a', 'application/x-www-form-urlencoded')).toEqual(sendAs)
		// 10 MB of tiny parts: refused as a second part (its CPU cost is parseUploadBody's comment; a timed assertion here failed under load).
		const tiny = '--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\n\r\n'
		const flood = tiny.repeat(Math.floor((10 * MB) / tiny.length)) + '--b--'
		expect(await postRaw(member, flood)).toEqual(sendAs)
		expect(await db.$count(attachments)).toBe(1)
	})

	it('serves an attachment to everyone only while a post everyone reads names it: hiding the post hides it, and nobody hosts files through posts nobody approved', async () => {
		const member = await person('member', 'uploader')
		const cs = await person('cs')
		const stranger = await person('member', 'stranger')
		const file = await uploadAttachment(member, { filename: 'error.log', bytes: Buffer.from('sync failed\n') })
		const status = async (viewer: Actor | null) => (await get(file.url, viewer)).status
		// Uploaded, in no post yet: its uploader and staff only.
		expect([await status(null), await status(stranger), await status(member), await status(cs)]).toEqual([404, 404, 200, 200])

		const question = await createQuestion(member, questionSchema.parse({ title: 'Sync fails with this log', body: `See ${file.markdown}` }))
		const shared = await get(file.url, null)
		expect(shared.status).toBe(200)
		expect(shared.headers.get('cache-control')).toBe('public, max-age=3600')

		await moderatePost(cs, { type: 'question', id: question.id }, 'hide', 'Private data in the log')
		expect([await status(null), await status(stranger), await status(member), await status(cs)]).toEqual([404, 404, 200, 200])
		await moderatePost(cs, { type: 'question', id: question.id }, 'restore', '')
		expect(await status(null)).toBe(200)

		// An edit that removes it from the post takes it back out of public view.
		await updateQuestion(member, question.id, questionSchema.parse({ title: 'Sync fails with this log', body: 'The log had private data, removed.' }))
		expect(await status(null)).toBe(404)
		expect(await status(member)).toBe(200)
	})

	it('answers 404 for unknown or malformed ids and names, never an error', async () => {
		for (const path of ['/attachments/not-a-uuid/x.png', `/attachments/${crypto.randomUUID()}/x.png`, `/attachments/${crypto.randomUUID()}/thumbnail`, "/attachments/'%00/x", '/attachments/00000000-0000-0000-0000-000000000000x/a']) {
			expect((await get(path, null)).status, path).toBe(404)
		}
		const member = await person('member')
		const file = await uploadAttachment(member, { filename: 'notes.txt', bytes: Buffer.from('notes\n') })
		expect((await get(`/attachments/${file.id}/thumbnail`, member)).status).toBe(404)
		// The name in the address is only for the reader: the id decides.
		expect((await get(`/attachments/${file.id}/other-name.txt`, member)).status).toBe(200)
	})

	it('limits how many attachments one question, answer, FAQ or tutorial step shows', async () => {
		const refs = (n: number) => Array.from({ length: n }, () => `![a](/attachments/${crypto.randomUUID()}/a.png#10x10)`).join('\n')
		const message = 'A post can include at most 10 attachments (images and files)'
		expect(questionSchema.safeParse({ title: 'Many screenshots here', body: refs(10) }).success).toBe(true)
		const question = questionSchema.safeParse({ title: 'Many screenshots here', body: refs(11) })
		expect(question.error?.issues[0]?.message).toBe(message)
		expect(answerSchema.safeParse({ body: refs(11) }).error?.issues[0]?.message).toBe(message)
		expect(faqSchema.safeParse({ title: 'Many screenshots', body: refs(11), tags: [], language: 'en' }).error?.issues.map((i) => i.message)).toContain(message)
		const tutorial = tutorialSchema.safeParse({ title: 'T', summary: 'S', estimatedMinutes: 5, phase: 'onboarding', language: 'en', steps: [{ title: 'Step', body: refs(11) }] })
		expect(tutorial.error?.issues.map((i) => i.message)).toContain(message)
		// The same attachment twice counts once.
		const id = crypto.randomUUID()
		expect(questionSchema.safeParse({ title: 'One image twice', body: `${refs(9)}\n![a](/attachments/${id}/a.png) ![b](/attachments/${id}/a.png)` }).success).toBe(true)
	})

	it('shows images only from this site’s attachments: others become links', () => {
		expect(renderMarkdown('![track](https://evil.example/pixel.png)').trim()).toBe('<p><a href="https://evil.example/pixel.png" rel="nofollow ugc noopener" target="_blank">track</a></p>')
		expect(renderMarkdown('![x](data:image/png;base64,AAAA)')).not.toContain('<img')
		// A badge: the image from elsewhere would become a link inside the link, so its alt text is shown.
		expect(renderMarkdown('[![build & test](https://ci.example/badge.svg)](https://ci.example/run)').trim()).toBe('<p><a href="https://ci.example/run" rel="nofollow ugc noopener" target="_blank">build &amp; test</a></p>')
		expect(renderMarkdown('<img src="/attachments/../admin" onerror="alert(1)">')).not.toContain('<img')
	})

	it('deletes a person’s uploads that no post uses a day later, and keeps those a post or revision uses', async () => {
		const member = await person('member')
		const start = new Date(Date.now() - 3 * 24 * 60 * 60 * 1000)
		const used = await uploadAttachment(member, { filename: 'used.txt', bytes: Buffer.from('used\n') }, start)
		const unused = await uploadAttachment(member, { filename: 'unused.txt', bytes: Buffer.from('unused\n') }, start)
		await createQuestion(member, questionSchema.parse({ title: 'Sync fails with this log', body: `See ${used.markdown}` }))
		const fresh = await uploadAttachment(member, { filename: 'fresh.txt', bytes: Buffer.from('fresh\n') })
		const ids = (await db.select({ id: attachments.id }).from(attachments)).map((r) => r.id).sort()
		expect(ids).toEqual([used.id, fresh.id].sort())
		expect(ids).not.toContain(unused.id)
		expect(await removeUnusedUploads(db, member.id, new Date())).toBe(0)
	})

	it('the hourly cleanup job deletes leftovers of people who never upload again', async () => {
		const member = await person('member')
		const someoneElse = await person('member')
		const start = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000)
		const used = await uploadAttachment(member, { filename: 'used.txt', bytes: Buffer.from('used\n') }, start)
		const unused = await uploadAttachment(member, { filename: 'unused.txt', bytes: Buffer.from('unused\n') }, start)
		await createQuestion(member, questionSchema.parse({ title: 'Import fails with this log', body: `See ${used.markdown}` }))
		const recent = await uploadAttachment(someoneElse, { filename: 'recent.txt', bytes: Buffer.from('recent\n') })
		expect(await runPendingJobs({ recurring: true })).toMatchObject({ failed: [] })
		const ids = (await db.select({ id: attachments.id }).from(attachments)).map((r) => r.id).sort()
		expect(ids).toEqual([used.id, recent.id].sort())
		expect(ids).not.toContain(unused.id)
	})
})
