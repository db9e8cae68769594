import { describe, expect, it } from 'vitest'
import { rarestTerms } from '../../search/query.server'
import { queryTerms } from '../../search/text'

describe('Japanese candidates', () => {
	it('searches an FAQ by the kana guesses of a word the dictionary could not read', () => {
		// しょうたいをとりけしたい: only the guess しょうたい meets the reading of the FAQ's 招待.
		const weights = queryTerms('しょうたいをとりけしたい')
		const df = new Map([...weights.keys()].map((term) => [term, term === 'しょうたい' ? 1 : 0]))
		expect(rarestTerms(weights, { documents: 1800, df })).toEqual(['しょうたい'])
	})

	it('does not search by the reading of a word written in kanji', () => {
		const weights = queryTerms('招待を取り消したい')
		const df = new Map([...weights.keys()].map((term) => [term, 3]))
		expect(rarestTerms(weights, { documents: 1800, df })).not.toContain('しょうたい')
		expect(rarestTerms(weights, { documents: 1800, df })).toContain('招待')
	})
})
