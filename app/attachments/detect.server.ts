/**
 * What a file is, decided from its bytes alone: never from its name or the type
 * the browser claims, both of which the sender chooses.
 */
export type Detected =
	| { kind: 'image'; format: 'png' | 'jpeg' | 'gif' | 'webp' }
	| { kind: 'file'; contentType: 'application/pdf' }
	| { kind: 'file'; contentType: 'text/plain; charset=utf-8' }

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) => signature.every((byte, i) => bytes[at + i] === byte)
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0))

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Text that a browser could take for markup (HTML, SVG, XML) is refused even as
 * plain text: SVG can carry scripts, and nobody attaches a log that starts with `<`.
 */
const MARKUP = /^\uFEFF?\s*</

export function detectContent(bytes: Uint8Array): Detected | null {
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image', format: 'png' }
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { kind: 'image', format: 'jpeg' }
	if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return { kind: 'image', format: 'gif' }
	if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return { kind: 'image', format: 'webp' }
	if (startsWith(bytes, ascii('%PDF-'))) return { kind: 'file', contentType: 'application/pdf' }
	if (bytes.length === 0 || bytes.includes(0)) return null
	let text: string
	try {
		text = utf8.decode(bytes)
	} catch {
		return null
	}
	return MARKUP.test(text.slice(0, 1024)) ? null : { kind: 'file', contentType: 'text/plain; charset=utf-8' }
}
