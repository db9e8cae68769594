import { DomainError } from '~/utils/errors.server'

const SEND_AS = 'Send the file as multipart/form-data in a field named "file"'

/** Headers of the one part (Content-Disposition with a long name, Content-Type): a browser's take a few hundred bytes. */
const MAX_HEADER_BYTES = 2 * 1024
const HEADER_END = Buffer.from('\r\n\r\n')
/** RFC 2046: 1–70 characters from a small set; quoted or not. */
const BOUNDARY = /;\s*boundary=(?:"([0-9A-Za-z'()+_,\-./:=? ]{1,70})"|([0-9A-Za-z'()+_,\-./:=?]{1,70}))\s*(?:;|$)/i

/**
 * Reads an upload body that must be exactly what the editor sends: one part,
 * named `file`, with a file name, and nothing else. A general form parser (the
 * platform's `formData()`) builds an object per part, so a 10 MB body of 200,000
 * tiny parts cost 400 ms of CPU; this one looks at one part's headers and finds
 * the closing boundary with one `indexOf`, and refuses anything else as 400.
 */
export function parseUploadBody(contentType: string | null, body: Buffer): { filename: string; bytes: Buffer } {
	const refuse = () => new DomainError('invalid', SEND_AS)
	if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) throw refuse()
	const match = BOUNDARY.exec(contentType)
	const boundary = match?.[1] ?? match?.[2]
	if (!boundary) throw refuse()
	const opening = Buffer.from(`--${boundary}\r\n`)
	if (!body.subarray(0, opening.length).equals(opening)) throw refuse()
	const headerEnd = body.indexOf(HEADER_END, opening.length)
	if (headerEnd < 0 || headerEnd - opening.length > MAX_HEADER_BYTES) throw refuse()
	const filename = fileNameOf(body.subarray(opening.length, headerEnd).toString('utf8'))
	if (filename === null) throw refuse()
	const dataStart = headerEnd + HEADER_END.length
	const closing = Buffer.from(`\r\n--${boundary}`)
	const dataEnd = body.indexOf(closing, dataStart)
	if (dataEnd < 0) throw refuse()
	// Only the final boundary may follow (`--`, then at most a line break): a second part is refused, not skipped.
	const rest = body.subarray(dataEnd + closing.length)
	if (!(rest.equals(Buffer.from('--')) || rest.equals(Buffer.from('--\r\n')))) throw refuse()
	return { filename, bytes: body.subarray(dataStart, dataEnd) }
}

/** The file name of a part whose headers are only Content-Disposition (form-data, name "file", a filename) and optionally Content-Type; null otherwise. */
function fileNameOf(headers: string): string | null {
	let filename: string | null = null
	for (const line of headers.split('\r\n')) {
		const colon = line.indexOf(':')
		if (colon < 0) return null
		const name = line.slice(0, colon).trim().toLowerCase()
		const value = line.slice(colon + 1).trim()
		if (name === 'content-type') continue
		if (name !== 'content-disposition' || filename !== null) return null
		if (!/^form-data\s*;\s*name="file"\s*;\s*filename="[^"]*"$/i.test(value)) return null
		filename = /filename="([^"]*)"$/i.exec(value)![1]!
	}
	return filename
}
