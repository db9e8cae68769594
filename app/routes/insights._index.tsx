import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { AccountPicker } from '~/components/account-picker'
import { ChannelTable, FigureTiles, PeriodForm } from '~/components/insights'
import { DailyCharts } from '~/components/insights-charts'
import { overviewPage } from '~/insights/dashboard.server'
import { pageError } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Insights'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request, 'insights:view')
	try {
		return await overviewPage(context.actor, new URL(request.url).searchParams)
	} catch (error) {
		pageError(error)
	}
}

export default function InsightsOverview() {
	const { t } = useTranslation()
	const { period, problem, figures, week, daily } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>{period.account ? t('Insights for {{name}}', { name: period.account.name }) : t('Insights')}</h1>
			<PeriodForm period={period} problem={problem}>
				<AccountPicker account={period.account} error={problem?.fieldErrors.account} />
			</PeriodForm>
			<section className="card insights-section">
				<h2>{t('{{from}} to {{to}}', { from: period.from, to: period.to })}</h2>
				<p className="hint">{t('Arrows compare the last 7 days of the period with the 7 days before.')}</p>
				<FigureTiles figures={figures} week={week} />
			</section>
			<ChannelTable channels={figures.channels} />
			<DailyCharts days={daily} />
		</>
	)
}
