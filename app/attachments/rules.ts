/**
 * What may be attached to a post, shared by the server (which enforces it) and the
 * editor (which says it). Changing a number here changes both; the README lists them.
 */
const MB = 1024 * 1024

export const ATTACHMENT_LIMITS = {
	/** Bytes of an uploaded image, before re-encoding (a phone photo is 3–8 MB). */
	imageBytes: 10 * MB,
	/** Bytes of a PDF or text/log file, stored as uploaded. */
	fileBytes: 5 * MB,
	/** Uploads per person in any 24 hours (staff are not limited). */
	perDay: 50,
	/** Stored bytes per person in any 24 hours. */
	bytesPerDay: 100 * MB,
	/** The longest side of a stored image; larger ones are scaled down. */
	longSide: 2_000,
	/** The longest side of the thumbnail shown in lists. */
	thumbnailSide: 320,
	/** Pixels decoded at most (all frames of an animation together): a small file can claim a huge image. */
	inputPixels: 40_000_000,
	/** Frames of an animated GIF or WebP: each is decoded, scaled and encoded again, however small. */
	animationFrames: 100,
	/** Pixels of an animation, all frames together: scaling frames costs more CPU than one still image of the same pixels. */
	animationPixels: 10_000_000,
	/** Hours an upload may stay unused by any post before it is deleted. */
	unusedHours: 24,
} as const

/** Where the editor sends a file (multipart/form-data, field `file`). */
export const ATTACHMENT_UPLOAD_PATH = '/resources/attachments'

/** The body the upload endpoint reads at most: the largest file plus the multipart framing. */
export const ATTACHMENT_BODY_LIMIT = ATTACHMENT_LIMITS.imageBytes + 64 * 1024

/** The file picker's suggestion; the server decides from the bytes whatever is chosen. */
export const ATTACHMENT_ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,.log,.txt,.csv,.json'
