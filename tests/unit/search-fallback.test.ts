import { describe, expect, it } from 'vitest'
import { CircuitBreaker } from '../../search/breaker'
import { fallbackLexemes, fallbackQueryGroups, fallbackVector } from '../../search/fallback-text'

describe('fallback lexemes', () => {
	it('cuts Japanese into character bigrams and stems English', () => {
		expect(fallbackLexemes('請求書をPDFで')).toEqual(['請求', '求書', '書を', 'を', 'pdf', 'で'])
		expect(fallbackLexemes('Exporting boards to CSV')).toEqual(['export', 'board', 'csv'])
		expect(fallbackLexemes('ＣＳＶをエクスポート')).toEqual(['csv', 'をエ', 'エク', 'クス', 'スポ', 'ポー', 'ート', 'ト'])
	})

	it('leaves out absurdly long words', () => {
		expect(fallbackLexemes(`${'a'.repeat(5000)} invoice`)).toEqual(['invoic'])
	})

	it('weights fields and quotes lexemes for a tsvector literal', () => {
		expect(fallbackVector([
			{ weight: 'A', texts: ['Invoice PDF'] },
			{ weight: 'C', texts: ["invoice o'brien"] },
		])).toBe("'invoic':1A,3C 'pdf':2A 'obrien':4C")
	})
})

describe('fallback queries', () => {
	it('needs every bigram of a Japanese word but not the bigram across words', () => {
		expect(fallbackQueryGroups('請求書をダウンロードする方法', false)).toEqual(["('請求' & '求書')", "('ダウ' & 'ウン' & 'ンロ' & 'ロー' & 'ード')"])
	})

	it('drops stop words, stems, and lets the last word be unfinished for suggestions', () => {
		expect(fallbackQueryGroups('How do I export a board?', false)).toEqual(["('export')", "('board')"])
		expect(fallbackQueryGroups('export boa', true)).toEqual(["('export')", "('boa':*)"])
		expect(fallbackQueryGroups('export bo', true)).toEqual(["('export')", "('bo')"])
		expect(fallbackQueryGroups('how do I', false)).toEqual([])
	})
})

describe('circuit breaker', () => {
	it('skips Meilisearch during the cooldown, then lets one probe through at a time', () => {
		let now = 0
		const breaker = new CircuitBreaker({ cooldownMs: 10_000, now: () => now })
		expect(breaker.attempt()).toBe('closed')
		breaker.failed()
		now = 9_999
		expect(breaker.attempt()).toBe('open')
		now = 10_000
		expect(breaker.attempt()).toBe('probe')
		expect(breaker.attempt()).toBe('open')
		breaker.failed()
		now = 19_999
		expect(breaker.attempt()).toBe('open')
		now = 20_000
		expect(breaker.attempt()).toBe('probe')
		breaker.succeeded()
		expect(breaker.attempt()).toBe('closed')
		expect(breaker.attempt()).toBe('closed')
	})
})

describe('fallback vectors of huge content', () => {
	it('stay within what PostgreSQL accepts in a tsvector', () => {
		const words = Array.from({ length: 60_000 }, (_, i) => `w${i.toString(36).padStart(40, 'x')}`)
		const literal = fallbackVector([{ weight: 'C', texts: [words.join(' ')] }])
		const lexemes = literal.split(' ').map((entry) => entry.slice(1, entry.indexOf("'", 1)))
		expect(lexemes.reduce((sum, lexeme) => sum + Buffer.byteLength(lexeme), 0)).toBeLessThanOrEqual(512 * 1024)
		expect(literal).toContain("'wxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0':1C")
	})
})
