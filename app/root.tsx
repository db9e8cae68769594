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
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { can } from './auth/permissions.server'
import { unreadCount } from './notifications/notifications.server'
import { loadConfig } from './config.server'
import { readWelcome } from './people/welcome.server'
import { reviewCount } from './moderation/review.server'
import { AccountNotices } from './components/account-notices'
import { useNonce } from './components/nonce'
import { SiteHeader } from './components/site-header'
import { defaultLocale, isLocale } from './i18n/locales'
import { siteBase } from './seo/site.server'
import { seoMeta } from './utils/seo'
import stylesUrl from './styles/app.css?url'

export const links: LinksFunction = () => [
	{ rel: 'stylesheet', href: stylesUrl },
	{ rel: 'icon', href: '/favicon.ico', sizes: '32x32' },
	{ rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
	{ rel: 'apple-touch-icon', href: '/apple-touch-icon.png' },
	{ rel: 'manifest', href: '/site.webmanifest' },
	{ rel: 'alternate', type: 'application/atom+xml', title: 'Kizuna: new questions', href: '/feeds/questions.atom' },
	{ rel: 'alternate', type: 'application/atom+xml', title: 'Kizuna: new FAQs', href: '/feeds/faqs.atom' },
]

/** Pages without a `meta` of their own, and the error pages (whose title says what went wrong, in the reader's language). */
export const meta: MetaFunction<typeof loader> = (args) =>
	seoMeta(args, (t) => {
		if (!args.error) return { title: t('Customer community'), home: true }
		const status = isRouteErrorResponse(args.error) ? args.error.status : 500
		return { title: status === 404 ? t('Page not found') : errorMessage(t, status), noindex: true }
	})

export async function loader({ context, request }: LoaderFunctionArgs) {
	const { actor, locale } = context
	// Runs on every page and every client navigation (single fetch), so a suspended person's open browser learns why at once.
	if (context.suspended && new URL(request.url).pathname !== '/signin') throw redirect('/signin?suspended=1')
	// Both counts are read side by side, while the page's own loader runs too.
	const [unread, reviewWaiting] = actor ? await Promise.all([unreadCount(actor.id), reviewCount(actor)]) : [0, 0]
	return {
		locale,
		site: siteBase(request.url),
		welcome: actor ? readWelcome(request.headers.get('cookie')) : null,
		// Without SMTP the mail is written to disk and admins read it at /admin/mail: the first admin must learn where their link went.
		mailOnSite: actor?.role === 'admin' && !actor.emailVerified && !loadConfig().SMTP_URL,
		user: actor
			? {
					id: actor.id,
					displayName: actor.displayName,
					role: actor.role,
					// For the bell; read from the partial index of unread rows, and capped.
					unread,
					// Posts waiting in the review queue: 0 for everyone who cannot review.
					reviewWaiting,
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
						widget: can(actor, 'widget:view'),
					},
				}
			: null,
	}
}

export type RootData = Awaited<ReturnType<typeof loader>>
export const useRootData = () => useRouteLoaderData<typeof loader>('root')

export function Layout({ children }: { children: React.ReactNode }) {
	const data = useRouteLoaderData<typeof loader>('root')
	const { i18n } = useTranslation()
	// Without root data (a failure before the root loader ran), the request's language is the one i18n was made with.
	const locale = data?.locale ?? (isLocale(i18n.language) ? i18n.language : defaultLocale)
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

function errorMessage(t: TFunction, status: number): string {
	return status === 404
		? t('This page does not exist.')
		: status === 403
			? t('You are not allowed to see this page.')
			: status === 401
				? t('Sign in to see this page.')
				: status === 503
					? t('The database is unavailable; please try again in a minute')
					: status < 500
						? t('This request could not be answered.')
						: t('Something went wrong on our side.')
}

export function ErrorBoundary() {
	const error = useRouteError()
	const { t } = useTranslation()
	const status = isRouteErrorResponse(error) ? error.status : 500
	return (
		<section className="error-page">
			<h1>{status === 404 ? t('Page not found') : status}</h1>
			<p>{errorMessage(t, status)}</p>
			<p>
				<a href="/">{t('Back to the home page')}</a> · <a href="/search">{t('Search')}</a>
			</p>
		</section>
	)
}
