import sharp, { type Metadata, type Sharp } from 'sharp'
import { DomainError } from '~/utils/errors.server'
import { ATTACHMENT_LIMITS } from './rules'

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp'
export type ReencodedImage = { data: Buffer; contentType: string; extension: string; width: number; height: number; thumbnail: Buffer }

const output: Record<ImageFormat, { contentType: string; extension: string }> = {
	png: { contentType: 'image/png', extension: 'png' },
	jpeg: { contentType: 'image/jpeg', extension: 'jpg' },
	gif: { contentType: 'image/gif', extension: 'gif' },
	webp: { contentType: 'image/webp', extension: 'webp' },
}

const UNREADABLE = 'The image could not be read: it may be damaged or not really an image'

/**
 * Decodes an uploaded image and encodes a new one from its pixels, so nothing of
 * the original file but the picture survives: EXIF (GPS, camera, owner), XMP, ICC
 * and comments are dropped (sharp keeps no metadata unless asked), as is anything
 * hidden after the image data (a polyglot). The picture is turned upright from its
 * EXIF orientation first, scaled down to ATTACHMENT_LIMITS.longSide, and kept in
 * its format: PNG stays lossless (screenshots of text), photos stay JPEG.
 * Animated GIF and WebP keep their frames, counted together against the pixel limit.
 * Each frame costs a decode, a resize and an encode whatever its size, so an
 * animation is also held to a frame count and a smaller pixel budget, both read
 * from its header before any frame is decoded.
 */
export async function reencodeImage(bytes: Buffer, format: ImageFormat): Promise<ReencodedImage> {
	const animatable = format === 'gif' || format === 'webp'
	// limitInputPixels is checked against the header before any pixel is decoded: a decompression bomb costs nothing.
	const input = () => sharp(bytes, { limitInputPixels: ATTACHMENT_LIMITS.inputPixels, animated: animatable, failOn: 'error', sequentialRead: true })
	let metadata: Metadata
	try {
		metadata = await input().metadata()
	} catch (error) {
		throw tooBigOr(error)
	}
	if (metadata.format !== format) throw new DomainError('invalid', UNREADABLE)
	const frames = metadata.pages ?? 1
	if (frames > ATTACHMENT_LIMITS.animationFrames) {
		throw new DomainError('too_large', `The animation has too many frames (at most ${ATTACHMENT_LIMITS.animationFrames})`)
	}
	if (frames > 1 && (metadata.width ?? 0) * (metadata.height ?? 0) > ATTACHMENT_LIMITS.animationPixels) {
		throw new DomainError('too_large', `The animation has too many pixels (at most ${ATTACHMENT_LIMITS.animationPixels / 1_000_000} megapixels, all frames together)`)
	}
	return withEncoder(() => encode(input, format))
}

async function encode(input: () => Sharp, format: ImageFormat): Promise<ReencodedImage> {
	const side = ATTACHMENT_LIMITS.longSide
	let pipeline = input().autoOrient().resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
	pipeline =
		format === 'png' ? pipeline.png({ compressionLevel: 8 })
		: format === 'jpeg' ? pipeline.jpeg({ quality: 85 })
		: format === 'gif' ? pipeline.gif()
		: pipeline.webp({ quality: 85 })
	try {
		const { data, info } = await pipeline.toBuffer({ resolveWithObject: true })
		// An animation's height is all its frames stacked; one frame is what a reader sees.
		const height = info.pageHeight ?? info.height
		const thumbSide = ATTACHMENT_LIMITS.thumbnailSide
		const thumbnail = await sharp(data, { pages: 1 }).resize({ width: thumbSide, height: thumbSide, fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 }).toBuffer()
		return { data, ...output[format], width: info.width, height, thumbnail }
	} catch (error) {
		throw tooBigOr(error)
	}
}

/**
 * Re-encoding takes a libvips thread per image and can run for a second: at most
 * ENCODERS run at once in this process, so a burst of uploads cannot take every
 * core from the pages. The next few wait their turn for up to QUEUE_WAIT_MS; the
 * rest, and those whose wait ran out, are told to try again in a moment.
 */
const ENCODERS = 2
const QUEUE_LENGTH = 8
const QUEUE_WAIT_MS = 10_000
const BUSY = 'Many images are being processed right now. Try again in a minute.'
let running = 0
const waiting: Array<() => void> = []

export async function withEncoder<T>(work: () => Promise<T>): Promise<T> {
	if (running >= ENCODERS) {
		if (waiting.length >= QUEUE_LENGTH) throw new DomainError('unavailable', BUSY, {}, 30)
		await new Promise<void>((resolve, reject) => {
			const turn = () => {
				clearTimeout(timer)
				resolve()
			}
			const timer = setTimeout(() => {
				waiting.splice(waiting.indexOf(turn), 1)
				reject(new DomainError('unavailable', BUSY, {}, 30))
			}, QUEUE_WAIT_MS)
			waiting.push(turn)
		})
	} else running++
	try {
		return await work()
	} finally {
		// The slot passes straight to the next in line, so `running` counts it throughout.
		const next = waiting.shift()
		if (next) next()
		else running--
	}
}

function tooBigOr(error: unknown): DomainError {
	const message = error instanceof Error ? error.message : ''
	if (/pixel limit/i.test(message)) return new DomainError('too_large', 'The image has too many pixels (at most 40 megapixels, all frames together)')
	return new DomainError('invalid', UNREADABLE)
}
