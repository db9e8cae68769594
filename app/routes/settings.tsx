import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { NavLink, Outlet } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Settings'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request)
	return null
}

// Email (mail preferences) and Following have their own routes under /settings.
const tabs = [
	['/settings', 'Profile'],
	['/settings/account', 'Account'],
	['/settings/email', 'Email'],
	['/settings/following', 'Following'],
	['/settings/tokens', 'API tokens'],
] as const

export default function Settings() {
	const { t } = useTranslation()
	return (
		<section className="settings">
			<h1>{t('Settings')}</h1>
			<nav className="tabs" aria-label={t('Settings')}>
				{tabs.map(([to, label]) => (
					<NavLink key={to} to={to} end className={({ isActive }) => (isActive ? 'tab active' : 'tab')}>
						{t(label)}
					</NavLink>
				))}
			</nav>
			<Outlet />
		</section>
	)
}
