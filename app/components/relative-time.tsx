import { useTranslation } from 'react-i18next'
import { dateTimeFormat } from '~/utils/intl'

/** A date shown in the reader's language; the exact time is in the tooltip. */
export function RelativeTime({ iso }: { iso: string }) {
	const { i18n } = useTranslation()
	const date = new Date(iso)
	const locale = i18n.language === 'ja' ? 'ja-JP' : 'en-US'
	const text = dateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date)
	const full = dateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' }).format(date)
	return (
		<time dateTime={iso} title={`${full} UTC`}>
			{text}
		</time>
	)
}
