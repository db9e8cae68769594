import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { AccountPicker } from '~/components/account-picker'
import { ColumnHeads, figures } from '~/components/column-heads'
import { NumberCell, PeriodForm, Rate, TableSection } from '~/components/insights'
import { hostPagesPage } from '~/insights/dashboard.server'
import { pageError } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => `${t('Host pages')} · ${t('Insights')}`)

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request, 'insights:view')
	try {
		return await hostPagesPage(context.actor, new URL(request.url).searchParams)
	} catch (error) {
		pageError(error)
	}
}

export default function HostPagesInsights() {
	const { t } = useTranslation()
	const { period, problem, pages } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>{period.account ? t('Host pages for {{name}}', { name: period.account.name }) : t('Host pages')}</h1>
			<PeriodForm period={period} problem={problem}>
				<AccountPicker account={period.account} error={problem?.fieldErrors.account} />
			</PeriodForm>
			<TableSection
				id="pages-heading"
				title={t('Where people need help in the product')}
				table="pages"
				hint={t('Pages of your product where people opened the help widget, most help journeys first.')}
				empty={pages.length === 0 ? t('Nobody opened the help widget for help in this period.') : null}
			>
				<ColumnHeads columns={[t('Host page'), figures(t('Help journeys')), figures(t('Self-resolution rate')), figures(t('Escalated'))]} />
				<tbody>
					{pages.map((row) => (
						<tr key={row.page} data-testid="host-page">
							<th scope="row">
								<code className="host-page">{row.page}</code>
							</th>
							<NumberCell value={row.journeys} />
							<td className="number">
								<Rate value={row.selfResolutionRate} />
							</td>
							<NumberCell value={row.escalated} />
						</tr>
					))}
				</tbody>
			</TableSection>
		</>
	)
}
