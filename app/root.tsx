import { redirect, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import {
	isRouteErrorResponse,
	Links,
	Meta,
	Outlet,
	Scripts,
	ScrollRestoration,
	useLoaderData,
	useRouteError,
	useRouteLoaderData,
} from '@remix-run/react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { can } from './auth/permissions.server'
import { unreadCount } from './notifications/notifications.server'
import { loadConfig } from './config.server'
import { readWelcome } from './people/welcome.server'
import { reviewCount } from './moderation/review.server'
import { AccountNotices } from './components/account-notices'
import { useNonce } from './components/nonce'
import { SiteHeader } from './components/site-header'
import stylesUrl from './styles/app.css?url'

export const links: LinksFunction = () => [
	{ rel: 'stylesheet', href: stylesUrl },
	{ rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export const meta: MetaFunction = () => [{ title: 'Kizuna' }]

export async function loader({ context, request }: LoaderFunctionArgs) {
	const { actor, locale } = context
	// Runs on every page and every client navigation (single fetch), so a suspended person's open browser learns why at once.
	if (context.suspended && new URL(request.url).pathname !== '/signin') throw redirect('/signin?suspended=1')
	return {
		locale,
		welcome: actor ? readWelcome(request.headers.get('cookie')) : null,
		// Without SMTP the mail is written to disk and admins read it at /admin/mail: the first admin must learn where their link went.
		mailOnSite: actor?.role === 'admin' && !actor.emailVerified && !loadConfig().SMTP_URL,
		user: actor
			? {
					id: actor.id,
					displayName: actor.displayName,
					role: actor.role,
					// For the bell; read from the partial index of unread rows, and capped.
					unread: await unreadCount(actor.id),
					// Posts waiting in the review queue: 0 for everyone who cannot review.
					reviewWaiting: await reviewCount(actor),
					email: actor.email,
					emailVerified: actor.emailVerified,
					// The header links to the staff pages the permission table lets this person open.
					can: {
						insights: can(actor, 'insights:view'),
						searchSettings: can(actor, 'search:configure'),
						accounts: can(actor, 'accounts:manage'),
						webhooks: can(actor, 'webhooks:manage'),
						mail: can(actor, 'mail:view'),
						people: can(actor, 'people:view'),
						audit: can(actor, 'audit:view'),
						sso: can(actor, 'sso:configure'),
						review: can(actor, 'moderation:review'),
						moderationSettings: can(actor, 'moderation:configure'),
					},
				}
			: null,
	}
}

export type RootData = Awaited<ReturnType<typeof loader>>
export const useRootData = () => useRouteLoaderData<typeof loader>('root')

export function Layout({ children }: { children: React.ReactNode }) {
	const data = useRouteLoaderData<typeof loader>('root')
	const locale = data?.locale ?? 'en'
	const { i18n } = useTranslation()
	const nonce = useNonce()
	// A language switch arrives as new root data; follow it without a reload.
	if (i18n.language !== locale) void i18n.changeLanguage(locale)
	return (
		<html lang={locale}>
			<head>
				<meta charSet="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<Meta />
				<Links />
			</head>
			<body>
				<SiteHeader user={data?.user ?? null} locale={locale} />
				<main className="page">
					{data ? <AccountNotices user={data.user} welcome={data.welcome} mailOnSite={data.mailOnSite} /> : null}
					{children}
				</main>
				<ScrollRestoration nonce={nonce} />
				<Scripts nonce={nonce} />
			</body>
		</html>
	)
}

export default function App() {
	const { locale } = useLoaderData<typeof loader>()
	useEffect(() => {
		document.documentElement.lang = locale
	}, [locale])
	return <Outlet />
}

export function ErrorBoundary() {
	const error = useRouteError()
	const { t } = useTranslation()
	const status = isRouteErrorResponse(error) ? error.status : 500
	const message =
		status === 404
			? t('This page does not exist.')
			: status === 403
				? t('You are not allowed to see this page.')
				: status === 401
					? t('Sign in to see this page.')
					: t('Something went wrong on our side.')
	return (
		<section className="error-page">
			<h1>{status}</h1>
			<p>{message}</p>
			<a href="/">{t('Back to the home page')}</a>
		</section>
	)
}
