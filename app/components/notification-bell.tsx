import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

/** The header's bell: the unread count (capped at 99+) and the way to the notifications page. */
export function NotificationBell({ unread }: { unread: number }) {
	const { t } = useTranslation()
	const shown = unread > 99 ? '99+' : String(unread)
	return (
		<Link to="/notifications" className="notification-bell" aria-label={unread > 0 ? t('Notifications, {{count}} unread', { count: unread }) : t('Notifications')} data-testid="bell">
			<span aria-hidden>🔔</span>
			{unread > 0 ? (
				<span className="bell-count" aria-hidden data-testid="bell-count">
					{shown}
				</span>
			) : null}
		</Link>
	)
}
