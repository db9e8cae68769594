import { Form, Link, NavLink, useLocation, useSearchParams } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { Role } from '#db/schema'
import type { Locale } from '~/i18n/locales'
import { NotificationBell } from './notification-bell'
import { SearchBox } from './search-box'

type HeaderUser = {
	id: string
	displayName: string
	role: Role
	unread: number
	reviewWaiting: number
	can: { insights: boolean; searchSettings: boolean; accounts: boolean; webhooks: boolean; mail: boolean; people: boolean; audit: boolean; sso: boolean; review: boolean; moderationSettings: boolean; widget: boolean }
} | null

type Can = NonNullable<HeaderUser>['can']

/** The staff pages this person may open, in one menu that closes on every navigation (the key remounts it). */
function AdminMenu({ can, reviewWaiting }: { can: Can; reviewWaiting: number }) {
	const { t } = useTranslation()
	const location = useLocation()
	const links = [
		[can.review, '/admin/review', 'Review'],
		[can.people, '/admin/people', 'People'],
		[can.accounts, '/admin/accounts', 'Accounts'],
		[can.searchSettings, '/admin/search', 'Search settings'],
		[can.webhooks, '/admin/webhooks', 'Webhooks'],
		[can.mail, '/admin/mail', 'Mail'],
		[can.audit, '/admin/audit', 'Audit log'],
		[can.sso, '/admin/sso', 'Single sign-on'],
		[can.moderationSettings, '/admin/moderation', 'Moderation settings'],
		[can.widget, '/admin/widget', 'Help widget'],
	] as const
	const menu = useRef<HTMLDetailsElement>(null)
	// Like any menu, it closes on Escape or a click elsewhere.
	useEffect(() => {
		const close = (event: Event) => {
			const details = menu.current
			if (!details?.open) return
			if (event instanceof KeyboardEvent ? event.key === 'Escape' : !details.contains(event.target as Node)) details.open = false
		}
		document.addEventListener('click', close)
		document.addEventListener('keydown', close)
		return () => {
			document.removeEventListener('click', close)
			document.removeEventListener('keydown', close)
		}
	}, [])
	const shown = links.filter(([allowed]) => allowed)
	if (shown.length === 0) return null
	return (
		<details className="admin-menu" key={location.key} ref={menu}>
			<summary>
				{t('Admin')}
				{can.review && reviewWaiting > 0 ? (
					<span className="admin-count" data-testid="review-count" title={t('{{count}} posts wait for review', { count: reviewWaiting })}>
						{reviewWaiting}
					</span>
				) : null}
			</summary>
			<ul className="admin-menu-links">
				{shown.map(([, to, label]) => (
					<li key={to}>
						<Link to={to}>
							{t(label)}
							{to === '/admin/review' && reviewWaiting > 0 ? ` (${reviewWaiting})` : null}
						</Link>
					</li>
				))}
			</ul>
		</details>
	)
}

/**
 * On a phone the header is one row (brand, search, menu button) and everything else
 * opens below it from the menu button. The button is a checkbox's label, so the menu
 * works before (or without) JavaScript; on a wide screen both are hidden and the
 * menu's parts sit in the row as before (app/styles/app.css, "Phone header").
 */
export function SiteHeader({ user, locale }: { user: HeaderUser; locale: Locale }) {
	const { t } = useTranslation()
	const location = useLocation()
	const [params] = useSearchParams()
	const here = `${location.pathname}${location.search}`
	// From the account pages themselves there is nothing to come back to.
	const accountPage = /^\/(signin|signup|forgot-password|reset-password|verify-email)(\/|$)/.test(location.pathname)
	const back = accountPage ? '' : `?redirectTo=${encodeURIComponent(here)}`
	return (
		<header className="site-header">
			<div className="site-header-inner">
				<Link to="/" className="brand">
					<span className="brand-mark" aria-hidden>絆</span> Kizuna
				</Link>
				{/* A new page closes the menu: the key remounts the checkbox unchecked. */}
				<input type="checkbox" id="site-menu-toggle" className="menu-toggle" key={location.key} />
				<label htmlFor="site-menu-toggle" className="menu-button">
					<span aria-hidden>☰</span>
					<span className="visually-hidden">{t('Menu')}</span>
					{user && user.unread > 0 ? (
						<span className="bell-count" aria-hidden>
							{user.unread > 99 ? '99+' : user.unread}
						</span>
					) : null}
				</label>
				<nav className="main-nav site-menu" aria-label={t('Main')}>
					<NavLink to="/faq">{t('FAQ')}</NavLink>
					<NavLink to="/tutorials">{t('Tutorials')}</NavLink>
					<NavLink to="/questions">{t('Questions')}</NavLink>
					<NavLink to="/tags">{t('Tags')}</NavLink>
				</nav>
				<SearchBox initialQuery={location.pathname === '/search' ? (params.get('q') ?? '') : ''} />
				<div className="site-menu site-menu-actions">
					<Link to={user ? '/questions/ask' : `/signin?redirectTo=${encodeURIComponent('/questions/ask')}`} className="button primary">
						{t('Ask a question')}
					</Link>
					<Form method="post" action="/settings/language" className="language-switch">
						<input type="hidden" name="redirectTo" value={here} />
						<button type="submit" name="locale" value={locale === 'ja' ? 'en' : 'ja'} className="link-button" lang={locale === 'ja' ? 'en' : 'ja'}>
							{locale === 'ja' ? 'English' : '日本語'}
						</button>
					</Form>
					{user ? (
						<div className="user-menu">
							<NotificationBell unread={user.unread} />
							<Link to="/settings" className="user-name" title={t('Settings')}>
								{user.displayName}
							</Link>
							<Link to={`/users/${user.id}`}>{t('My profile')}</Link>
							{user.role !== 'member' ? <span className="badge role">{t(`role.${user.role}`)}</span> : null}
							{user.can.insights ? <Link to="/insights">{t('Insights')}</Link> : null}
							<AdminMenu can={user.can} reviewWaiting={user.reviewWaiting} />
							<Form method="post" action="/signout">
								<button type="submit" className="link-button">
									{t('Sign out')}
								</button>
							</Form>
						</div>
					) : (
						<div className="user-menu">
							<Link to={`/signin${back}`}>{t('Sign in')}</Link>
							<Link to={`/signup${back}`} className="button">
								{t('Sign up')}
							</Link>
						</div>
					)}
				</div>
			</div>
		</header>
	)
}
