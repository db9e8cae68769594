import { describe, expect, it } from 'vitest'
import { linkFromOutside } from '../../app/config.server'

describe('links for webhook receivers', () => {
	it('are absolute under KIZUNA_PUBLIC_URL, with or without a trailing slash or a base path', () => {
		expect(linkFromOutside('/questions/12/slug', {})).toBe('/questions/12/slug')
		expect(linkFromOutside('/questions/12/slug', { KIZUNA_PUBLIC_URL: 'https://help.example.com' })).toBe('https://help.example.com/questions/12/slug')
		expect(linkFromOutside('/questions/12/slug', { KIZUNA_PUBLIC_URL: 'https://example.com/community/' })).toBe('https://example.com/community/questions/12/slug')
	})
})
