import { useTranslation } from 'react-i18next'

/** A date shown in the reader's language; the exact time is in the tooltip. */
export function RelativeTime({ iso }: { iso: string }) {
	const { i18n } = useTranslation()
	const date = new Date(iso)
	const locale = i18n.language === 'ja' ? 'ja-JP' : 'en-US'
	const text = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date)
	const full = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' }).format(date)
	return (
		<time dateTime={iso} title={`${full} UTC`}>
			{text}
		</time>
	)
}
