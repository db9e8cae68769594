import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { FilterSelect } from '~/components/form'
import { Pager } from '~/components/pager'
import { accountInsightsUrl, AlertList, CsvLink, NumberCell, PeriodForm, Rate, TableSection } from '~/components/insights'
import { RelativeTime } from '~/components/relative-time'
import { accountsPage } from '~/insights/dashboard.server'
import { pageError } from '~/utils/http.server'
import { phaseLabels } from '~/insights/labels'
import { ColumnHeads, figures } from '~/components/column-heads'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => `${t('Accounts')} · ${t('Insights')}`)

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request, 'insights:view')
	try {
		return await accountsPage(context.actor, new URL(request.url).searchParams)
	} catch (error) {
		pageError(error)
	}
}

export default function AccountsInsights() {
	const { t } = useTranslation()
	const { period, problem, filters, rows, page, alerts, alertsPage, plans, csms } = useLoaderData<typeof loader>()
	const filtered = filters.plan !== undefined || filters.phase !== undefined || filters.csm !== undefined
	return (
		<>
			<h1>{t('Accounts')}</h1>
			<PeriodForm period={period} problem={problem}>
				<FilterSelect name="plan" label={t('Plan')} value={filters.plan} options={plans.map((plan) => ({ value: plan, label: plan }))} error={problem?.fieldErrors.plan} />
				<FilterSelect
					name="phase"
					label={t('Phase')}
					value={filters.phase}
					options={Object.entries(phaseLabels).map(([value, label]) => ({ value, label: t(label) }))}
					error={problem?.fieldErrors.phase}
				/>
				<FilterSelect name="csm" label={t('CSM')} value={filters.csm} options={csms.map((csm) => ({ value: csm.id, label: csm.displayName }))} error={problem?.fieldErrors.csm} />
			</PeriodForm>

			<section className="card insights-section" aria-labelledby="alerts-heading">
				<div className="section-heading">
					<h2 id="alerts-heading">{t('Open alerts ({{n}})', { n: alertsPage.total })}</h2>
					<CsvLink table="alerts" />
				</div>
				<AlertList alerts={alerts} showAccount />
				<Pager info={alertsPage} param="alerts" label={t('Pages of alerts')} />
			</section>

			<TableSection
				id="accounts-heading"
				title={t('Figures for {{from}} to {{to}}', { from: period.from, to: period.to })}
				table="accounts"
				page={{ info: page, label: t('Pages of accounts') }}
				empty={rows.length > 0 ? null : filtered ? t('No accounts match these filters.') : t('No accounts yet.')}
			>
				<ColumnHeads columns={[t('Account'), t('Plan'), t('Phase'), t('CSM'), figures(t('Members')), figures(t('Active (30 days)')), figures(t('Help journeys')), figures(t('Self-resolution rate')), figures(t('Questions asked')), figures(t('Unanswered')), figures(t('Onboarding completion')), t('Last activity')]} />
				<tbody>
					{rows.map((row) => (
						<tr key={row.externalId} data-testid="account-row">
							<th scope="row">
								<Link to={accountInsightsUrl(row.externalId)}>{row.name}</Link>
							</th>
							<td>{row.plan}</td>
							<td>{t(phaseLabels[row.phase as keyof typeof phaseLabels] ?? row.phase)}</td>
							<td>{row.csm ?? <span className="muted">{t('No CSM')}</span>}</td>
							<NumberCell value={row.members} />
							<NumberCell value={row.activeMembers} />
							<NumberCell value={row.journeys} />
							<td className="number">
								<Rate value={row.selfResolutionRate} />
							</td>
							<NumberCell value={row.questionsAsked} />
							<NumberCell value={row.unanswered} />
							<td className="number">
								<Rate value={row.onboardingCompletionRate} />
							</td>
							<td>{row.lastActivity ? <RelativeTime iso={row.lastActivity} /> : <span className="muted">{t('None yet')}</span>}</td>
						</tr>
					))}
				</tbody>
			</TableSection>
		</>
	)
}
