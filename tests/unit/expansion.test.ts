import { describe, expect, it } from 'vitest'
import { expandQuery } from '../../search/expansion'

describe('expandQuery', () => {
	const groups = [
		['invoice', 'receipt', '請求書'],
		['sso', 'single sign-on', 'シングルサインオン'],
	]

	it('rewrites a query with each synonym of a term it contains', () => {
		expect(expandQuery('where is my Invoice?', groups)).toEqual(['where is my receipt?', 'where is my 請求書?'])
	})

	it('finds Japanese terms inside unsegmented text', () => {
		expect(expandQuery('請求書をダウンロードしたい', groups)).toEqual(['invoiceをダウンロードしたい', 'receiptをダウンロードしたい'])
	})

	it('matches whole words only for Latin terms', () => {
		expect(expandQuery('invoices list', groups)).toEqual([])
		expect(expandQuery('lasso tool', groups)).toEqual([])
	})

	it('leaves queries without synonyms alone', () => {
		expect(expandQuery('export board', groups)).toEqual([])
	})
})
