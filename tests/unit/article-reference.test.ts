import { describe, expect, it } from 'vitest'
import { parseArticleReference } from '../../app/knowledge/article-reference'

describe('the article to link as a translation', () => {
	it('is read from an id or a link of the same kind', () => {
		expect(parseArticleReference(' 12 ', 'faq')).toEqual({ id: 12 })
		expect(parseArticleReference('#7', 'tutorial')).toEqual({ id: 7 })
		expect(parseArticleReference('https://help.example.com/faq/3/reset-password', 'faq')).toEqual({ id: 3 })
		expect(parseArticleReference('/tutorials/5/first-board', 'tutorial')).toEqual({ id: 5 })
	})

	it('refuses a link of the other kind, and anything else, with a reason', () => {
		expect(parseArticleReference('/tutorials/5/first-board', 'faq')).toEqual({ error: 'That is a link to a tutorial: enter an FAQ' })
		expect(parseArticleReference('https://help.example.com/faq/3', 'tutorial')).toEqual({ error: 'That is a link to an FAQ: enter a tutorial' })
		expect(parseArticleReference('/questions/4/slug', 'faq')).toEqual({ error: 'Enter the id or link of an FAQ' })
		expect(parseArticleReference('', 'tutorial')).toEqual({ error: 'Enter the id or link of a tutorial' })
		expect(parseArticleReference('0', 'faq')).toEqual({ error: 'Enter the id or link of an FAQ' })
	})
})
