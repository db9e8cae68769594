import { describe, expect, it } from 'vitest'
import { safeRedirect } from '../../app/utils/redirect'

describe('safeRedirect', () => {
	it('keeps paths on this site, with their query and fragment', () => {
		expect(safeRedirect('/questions?sort=active#top')).toBe('/questions?sort=active#top')
		expect(safeRedirect('/faq/3/billing')).toBe('/faq/3/billing')
	})

	it('refuses anything a browser would resolve to another site', () => {
		for (const target of [
			'//evil.example/x',
			'/\\evil.example/x',
			'/\t/evil.example/x',
			'/\n/evil.example',
			'/%09/evil.example/x',
			'/%5C/evil.example',
			'/%2F/evil.example',
			'https://evil.example/',
			'evil.example',
			'/ok\r\nSet-Cookie: x=1',
			'/\u0000',
		]) {
			expect(safeRedirect(target), target).toBe('/')
		}
		// Whatever is returned must resolve to this origin, as a browser would read it.
		for (const target of ['/%09/evil.example/x', '/./\\evil.example', '/..//evil.example']) {
			expect(new URL(safeRedirect(target), 'https://kizuna.example').origin).toBe('https://kizuna.example')
		}
	})

	it('falls back for values that are not text', () => {
		expect(safeRedirect(null, '/home')).toBe('/home')
		expect(safeRedirect(undefined)).toBe('/')
	})
})
