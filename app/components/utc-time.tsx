import { useTranslation } from 'react-i18next'
import { dateTimeFormat } from '~/utils/intl'

/** Date and time to the second in UTC: logs are read for exact times, and UTC renders the same on server and client. */
export function UtcTime({ at }: { at: Date | string }) {
	const date = new Date(at)
	const { i18n } = useTranslation()
	const locale = i18n.language === 'ja' ? 'ja-JP' : 'en-US'
	const text = dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(date)
	return <time dateTime={date.toISOString()}>{text} UTC</time>
}
