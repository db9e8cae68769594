import type { LinksFunction } from '@remix-run/node'
import { Outlet } from '@remix-run/react'
import { InsightsNav } from '~/components/insights'
import stylesUrl from '~/styles/insights.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesUrl }]

/** The insights pages share their sub-navigation; each page checks who may see it. */
export default function InsightsLayout() {
	return (
		<section className="insights">
			<InsightsNav />
			<Outlet />
		</section>
	)
}
