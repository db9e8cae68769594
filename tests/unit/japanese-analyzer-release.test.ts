import { describe, expect, it } from 'vitest'
import { IDLE_MS, linderaLoaded, releaseIdleTokenizer } from '../../search/lindera.server'
import { terms } from '../../search/text'

describe('Japanese analyzer kept only while used', () => {
	it('is ended after a minute without Japanese text, and analyses the same when it is loaded again', () => {
		// Longer than a query: the analyses of query-sized texts are remembered, and would not reach the analyzer again.
		const text = '宛名を変えようと思っている二段階認証。'.repeat(12)
		const before = terms(text)
		expect(linderaLoaded()).toBe(true)
		const used = Date.now()
		expect(releaseIdleTokenizer(used + IDLE_MS / 2)).toBe(false)
		expect(linderaLoaded()).toBe(true)
		expect(releaseIdleTokenizer(used + IDLE_MS + 1000)).toBe(true)
		expect(linderaLoaded()).toBe(false)
		expect(terms(text)).toEqual(before)
		expect(linderaLoaded()).toBe(true)
	})

	it('is not ended while texts keep coming', () => {
		const start = Date.now()
		terms('請求書')
		expect(releaseIdleTokenizer(start + IDLE_MS - 1000)).toBe(false)
		expect(linderaLoaded()).toBe(true)
	})
})
