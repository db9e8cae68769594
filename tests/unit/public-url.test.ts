import { describe, expect, it } from 'vitest'
import { linkFromOutside, loadConfig } from '../../app/config.server'
import { mailLink } from '../../app/mail/links.server'

describe('links for webhook receivers', () => {
	it('are absolute under KIZUNA_PUBLIC_URL, with or without a trailing slash or a base path', () => {
		expect(linkFromOutside('/questions/12/slug', {})).toBe('/questions/12/slug')
		expect(linkFromOutside('/questions/12/slug', { KIZUNA_PUBLIC_URL: 'https://help.example.com' })).toBe('https://help.example.com/questions/12/slug')
		expect(linkFromOutside('/questions/12/slug', { KIZUNA_PUBLIC_URL: 'https://example.com/community/' })).toBe('https://example.com/community/questions/12/slug')
	})
})

describe('links in mail', () => {
	it('are absolute even without KIZUNA_PUBLIC_URL, and real mail (SMTP_URL) cannot be configured without it', () => {
		expect(mailLink('/reset-password/abc', { PORT: '4100' })).toBe('http://localhost:4100/reset-password/abc')
		expect(mailLink('/notifications', { KIZUNA_PUBLIC_URL: 'https://help.example.com' })).toBe('https://help.example.com/notifications')
		const smtp = { SMTP_URL: 'smtp://mail.example.com:587', MAIL_FROM: 'Kizuna <help@example.com>' }
		expect(() => loadConfig(smtp)).toThrow('KIZUNA_PUBLIC_URL: KIZUNA_PUBLIC_URL is required when SMTP_URL is set')
		expect(loadConfig({ ...smtp, KIZUNA_PUBLIC_URL: 'https://help.example.com' }).SMTP_URL).toBe(smtp.SMTP_URL)
	})
})
