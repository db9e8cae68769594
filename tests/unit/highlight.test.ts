import { describe, expect, it } from 'vitest'
import { highlighter } from '../../search/highlight'

describe('highlighter', () => {
	it('marks the query words, other forms of them and typos, and escapes the rest', () => {
		const { highlight } = highlighter(['exporting invocies'])
		expect(highlight('Export <b>invoices</b> & exports')).toBe('<mark>Export</mark> &lt;b&gt;<mark>invoices</mark>&lt;/b&gt; &amp; <mark>exports</mark>')
	})

	it('marks the last word as a prefix, as people type', () => {
		expect(highlighter(['remind']).highlight('Reminders stopped')).toBe('<mark>Reminders</mark> stopped')
	})

	it('marks Japanese words and the words of synonym rewrites', () => {
		const { highlight } = highlighter(['請求書をダウンロード', 'invoiceをダウンロード'])
		expect(highlight('請求書の宛名')).toContain('<mark>請求書</mark>')
		expect(highlight('Download the invoice')).toContain('<mark>invoice</mark>')
	})

	it('crops the snippet around the matches of the first text that has any', () => {
		const filler = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ')
		const snippet = highlighter(['calendar']).snippet([`${filler} nothing here`, `${filler} the calendar shows ${filler}`])
		expect(snippet).toMatch(/^….*<mark>calendar<\/mark>.*…$/)
		expect(snippet.split(' ').length).toBeLessThanOrEqual(30)
	})

	it('starts the snippet at the beginning of the first text when nothing matches', () => {
		expect(highlighter(['']).snippet(['', 'Short body'])).toBe('Short body')
	})
})
