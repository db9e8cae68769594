import { describe, expect, it } from 'vitest'
import { keywordQuery, terms } from '../../search/text'

describe('terms', () => {
	it('drops stop words and stems English', () => {
		expect(terms('How can I cross out my text on GitHub?')).toEqual(['cross', 'text', 'github'])
		expect(terms('Exporting boards')).toEqual(['export', 'board'])
	})

	it('drops the filler words of a colloquial question', () => {
		expect(terms('I really tried everything but somehow my invoices still never download')).toEqual(['invoic', 'download'])
	})

	it('meets British and American spellings', () => {
		expect(terms('Customise the colours of my favourites')).toEqual(terms('Customize the colors of my favorites'))
		expect(terms('analysed hours')).toEqual(['analyz', 'hour'])
	})

	it('segments Japanese and drops particles', () => {
		const words = terms('請求書の宛名を変更したい')
		expect(words).toContain('請求')
		expect(words).toContain('宛名')
		expect(words).not.toContain('の')
		expect(words).not.toContain('を')
	})
})

describe('keywordQuery', () => {
	it('keeps the words that carry the question', () => {
		expect(keywordQuery('How can I cross out my text on git hub?')).toBe('cross text git hub')
	})
	it('leaves a query made only of stop words alone', () => {
		expect(keywordQuery('how do I')).toBe('how do I')
	})
})
