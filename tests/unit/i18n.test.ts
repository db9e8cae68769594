import { describe, expect, it } from 'vitest'
import { createI18n } from '../../app/i18n/i18n'

describe('translated refusals', () => {
	it('translates a rate-limit refusal with its wait, though the server composed it', () => {
		const ja = createI18n('ja')
		expect(ja.t('Too many sign-in attempts for this account. Try again in 15 minutes.')).toBe(
			'このアカウントへのサインインの試行が多すぎます。15 分後にもう一度お試しください。',
		)
		expect(ja.t('Too many searches from your network. Try again in 40 seconds.')).toBe('お使いのネットワークからの検索が多すぎます。40 秒後にもう一度お試しください。')
	})

	it('keeps English refusals as the server wrote them, singular included', () => {
		const en = createI18n('en')
		for (const message of ['Too many votes in a short time. Try again in 1 minute.', 'Too many previews in a short time. Try again in 1 second.', 'Too many votes in a short time. Try again in 9 minutes.']) {
			expect(en.t(message)).toBe(message)
		}
	})

	it('leaves other untranslated text alone', () => {
		expect(createI18n('ja').t('Try again in 5 minutes or so')).toBe('Try again in 5 minutes or so')
	})
})
