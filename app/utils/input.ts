import { z, ZodError, type ZodIssue, type ZodTypeAny } from 'zod'

/**
 * The input boundary: every text that arrives (form fields, JSON bodies, URL
 * parameters, CLI imports) passes through cleanInput before its schema sees it.
 * PostgreSQL refuses NUL in text (a 500 before this existed), other control
 * characters are invisible yet change what is stored, and text made only of
 * spaces or zero-width characters looks empty to readers.
 */

// C0/C1 controls except tab and line feed, lone surrogates and the non-characters U+FFFE/U+FFFF.
const FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uFFFE\uFFFF]|\p{Cs}/u
// Whitespace, format characters (zero-width space/joiners, BOM, bidi marks) and the
// Hangul/Braille fillers that render as blanks.
const INVISIBLE = /^[\s\p{Cf}\p{Zs}\u115F\u1160\u3164\uFFA0\u2800]*$/u

/** NFC and LF line ends, so equal-looking texts are equal and lengths count what people see. */
export const normalizeText = (value: string) => value.replace(/\r\n?/g, '\n').normalize('NFC')

export function controlCharacterIn(value: string): string | null {
	const found = FORBIDDEN.exec(value)?.[0]
	return found === undefined ? null : `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
}

export const hasVisibleText = (value: string) => !INVISIBLE.test(value)

export const CONTROL_CHARACTER_MESSAGE = 'Contains an invisible control character; remove it and try again'

/**
 * Normalises every string in the input and lists those with control characters.
 * Text with nothing visible becomes '' so each field's own "required" rule refuses
 * it with its own message (and optional fields read as blank).
 */
export function cleanInput(input: unknown): { value: unknown; issues: ZodIssue[] } {
	const issues: ZodIssue[] = []
	const walk = (value: unknown, path: (string | number)[]): unknown => {
		if (typeof value === 'string') {
			const text = normalizeText(value)
			const code = controlCharacterIn(text)
			if (code) issues.push({ code: 'custom', path, message: CONTROL_CHARACTER_MESSAGE, params: { character: code } })
			return hasVisibleText(text) ? text : ''
		}
		if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index]))
		if (value && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
			return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key])]))
		}
		return value
	}
	const value = walk(input, [])
	return { value, issues }
}

/** Like schema.safeParse, but behind the boundary: every entry point parses input through this. */
export function safeParseInput<S extends ZodTypeAny>(schema: S, input: unknown): z.SafeParseReturnType<unknown, z.infer<S>> {
	const cleaned = cleanInput(input)
	if (cleaned.issues.length > 0) return { success: false, error: new ZodError(cleaned.issues) }
	return schema.safeParse(cleaned.value)
}

/** One-line text such as a search query: control characters (tabs and line breaks too) mean nothing there, so each run becomes a space instead of a refusal. */
export const oneLineText = (value: string) => normalizeText(value).replace(/[\p{Cc}\p{Cs}\uFFFE\uFFFF]+/gu, ' ')

export const MAX_ID = 2_147_483_647

/** Ids are PostgreSQL integers: anything else cannot name a row. */
export const idSchema = z.coerce
	.number({ invalid_type_error: 'Not found' })
	.int('Not found')
	.positive('Not found')
	.max(MAX_ID, 'Not found')

export const FIRST_DAY = '2000-01-01'
export const LAST_DAY = '2100-12-31'

/** A calendar day as YYYY-MM-DD between 2000 and 2100: further out is a typo or a probe, and overflows date arithmetic. */
export const isoDaySchema = (label: string) =>
	z
		.string()
		.regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date as YYYY-MM-DD`)
		.refine((value) => {
			const date = new Date(`${value}T00:00:00Z`)
			return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
		}, `${label} is not a real date`)
		.refine((value) => value >= FIRST_DAY && value <= LAST_DAY, `${label} must be between ${FIRST_DAY} and ${LAST_DAY}`)

/** A point in time (ISO 8601) in the same 2000–2100 range. */
export const isoTimeSchema = (label: string) =>
	z
		.string()
		.datetime({ offset: true, message: `${label} must be an ISO 8601 date-time, e.g. 2024-01-31T10:00:00Z` })
		.refine((value) => {
			const time = Date.parse(value)
			return time >= Date.parse(`${FIRST_DAY}T00:00:00Z`) && time < Date.parse(`${LAST_DAY}T23:59:59Z`)
		}, `${label} must be between ${FIRST_DAY} and ${LAST_DAY}`)
