import { useTranslation } from 'react-i18next'
import type { mailStatuses } from '#db/schema'

type MailStatus = (typeof mailStatuses)[number]

const labels = { queued: 'Queued', sent: 'Sent', failed: 'Failed' } as const
const badges = { queued: 'badge draft', sent: 'badge solved', failed: 'badge failed' } as const

/** A mail's status as a badge; a queued mail that has been tried is waiting for its retry. */
export function MailStatusBadge({ status, attempts }: { status: MailStatus; attempts: number }) {
	const { t } = useTranslation()
	return <span className={badges[status]}>{status === 'queued' && attempts > 0 ? t('Waiting to retry') : t(labels[status])}</span>
}

/** Where mail goes while no SMTP server is configured. */
export function MailFilesNotice({ folder }: { folder: string | null }) {
	const { t } = useTranslation()
	if (!folder) return null
	return (
		<p className="notice" data-testid="mail-files-notice">
			{t('SMTP_URL is not set, so no mail leaves this server: each mail is written as an .eml file to {{folder}}. Set SMTP_URL and MAIL_FROM to send mail.', { folder })}
		</p>
	)
}
