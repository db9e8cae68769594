import sharp, { type Metadata } from 'sharp'
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

function tooBigOr(error: unknown): DomainError {
	const message = error instanceof Error ? error.message : ''
	if (/pixel limit/i.test(message)) return new DomainError('too_large', 'The image has too many pixels (at most 40 megapixels, all frames together)')
	return new DomainError('invalid', UNREADABLE)
}
