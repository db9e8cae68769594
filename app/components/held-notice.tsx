import { useTranslation } from 'react-i18next'

/** Tells the author (and staff) that a post waits for review, and why; nobody else sees a held post. */
export function HeldNotice({ reason }: { reason: string | null }) {
	const { t } = useTranslation()
	return (
		<p className="notice held-notice" role="status" data-testid="held-notice">
			<strong>{t('Waiting for review by staff')}</strong>
			{reason ? `: ${t(reason)}` : null}
		</p>
	)
}
