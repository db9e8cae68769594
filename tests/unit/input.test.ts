import { describe, expect, it } from 'vitest'
import { answerSchema, questionSchema } from '../../app/community/validation'
import { signUpSchema } from '../../app/auth/validation'
import { insightsQuerySchema } from '../../app/insights/range.server'
import { cleanInput, idSchema, isoTimeSchema, safeParseInput } from '../../app/utils/input'
import { parseInput } from '../../app/utils/http.server'
import { DomainError } from '../../app/utils/errors.server'

const refusalOf = (run: () => unknown) => {
	try {
		run()
	} catch (error) {
		if (error instanceof DomainError) return error
		throw error
	}
	throw new Error('was accepted')
}

describe('the input boundary', () => {
	it('refuses a NUL or another control character in any field, naming the field', () => {
		for (const [field, value] of [
			['title', 'How do I\u0000 export?'],
			['body', 'Steps:\u001b[31m red'],
			['title', 'A C1 control \u0085 here'],
			['body', 'A lone surrogate \ud800 from a broken paste'],
		] as const) {
			const input = { title: 'How do I export a board?', body: 'I need the CSV for my team.', [field]: value }
			const error = refusalOf(() => parseInput(questionSchema, input))
			expect(error.status).toBe(400)
			expect(error.message).toBe(`${field}: Contains an invisible control character; remove it and try again`)
			expect(error.fieldErrors[field]).toMatch(/control character/)
		}
	})

	it('finds control characters in nested lists and objects (JSON bodies, imports)', () => {
		const { issues } = cleanInput({ steps: [{ title: 'ok' }, { title: 'bad\u0007' }] })
		expect(issues.map((issue) => issue.path)).toEqual([['steps', 1, 'title']])
	})

	it('keeps tabs and new lines, turns CRLF into LF and composes to NFC', () => {
		const body = 'Line one\r\n\tindented\rline three: Ame\u0301lie が'
		const parsed = parseInput(answerSchema, { body })
		expect(parsed.body).toBe('Line one\n\tindented\nline three: Am\u00e9lie が')
	})

	it('treats text with nothing visible as empty, so required fields refuse it', () => {
		for (const blank of ['\u200b\u200b\u200b\u200b\u200b\u200b', '\u3000\u3000\u3000', '\u2060\ufeff\u200d', '\u3164\u3164\u3164']) {
			const error = refusalOf(() => parseInput(signUpSchema, { email: 'a@example.com', password: 'correct horse', displayName: blank }))
			expect(error.fieldErrors.displayName).toBe('Enter your name')
		}
		expect(parseInput(signUpSchema, { email: 'a@example.com', password: 'correct horse', displayName: '\u200bAoi' }).displayName).toBe('\u200bAoi')
	})

	it('range-checks ids as PostgreSQL integers', () => {
		expect(idSchema.safeParse('2147483647').success).toBe(true)
		for (const bad of ['99999999999', '0', '-1', '1.5', '1e3x', 'abc']) expect(idSchema.safeParse(bad).success).toBe(false)
	})

	it('refuses dates outside 2000–2100 and dates that do not exist', () => {
		const messageFor = (from: string) => {
			const result = safeParseInput(insightsQuerySchema, { from })
			return result.success ? null : result.error.issues[0]?.message
		}
		expect(messageFor('2024-02-29')).toBeNull()
		expect(messageFor('9999-12-31')).toBe('from must be between 2000-01-01 and 2100-12-31')
		expect(messageFor('1999-12-31')).toBe('from must be between 2000-01-01 and 2100-12-31')
		expect(messageFor('2023-02-29')).toBe('from is not a real date')
		expect(isoTimeSchema('createdAt').safeParse('9999-12-31T00:00:00Z').success).toBe(false)
		expect(isoTimeSchema('createdAt').safeParse('2024-01-31T10:00:00+09:00').success).toBe(true)
	})
})

describe('search text', () => {
	it('turns control characters into spaces instead of refusing them', async () => {
		const { searchParamsSchema } = await import('../../search/request')
		expect(searchParamsSchema.parse({ q: 'export\u0000boards\t\tnow\r\n' }).q).toBe('export boards now')
	})
})
