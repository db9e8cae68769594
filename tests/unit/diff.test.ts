import { describe, expect, it } from 'vitest'
import { wordDiff } from '../../app/utils/diff'

describe('wordDiff', () => {
	it('shows the words that changed', () => {
		expect(wordDiff('export the board', 'export a board')).toEqual([
			{ text: 'export ', change: 'same' },
			{ text: 'the', change: 'removed' },
			{ text: 'a', change: 'added' },
			{ text: ' board', change: 'same' },
		])
	})

	it('gives up quickly on two long, wholly different texts and shows the text replaced', () => {
		const before = 'x '.repeat(15000)
		const after = 'y '.repeat(15000)
		const started = Date.now()
		const parts = wordDiff(before, after)
		expect(Date.now() - started).toBeLessThan(2000)
		expect(parts).toEqual([
			{ text: before, change: 'removed' },
			{ text: after, change: 'added' },
		])
	})
})
