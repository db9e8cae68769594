import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { accountUrl } from '~/accounts/validation'
import { requireSignedIn } from '~/auth/pages.server'
import { Age, AlertList, ChannelTable, FigureTiles, PeriodForm, TableSection } from '~/components/insights'
import { DailyCharts } from '~/components/insights-charts'
import { RelativeTime } from '~/components/relative-time'
import { accountPage } from '~/insights/dashboard.server'
import { phaseLabels, questionStatusLabels } from '~/insights/labels'
import { pageError } from '~/utils/http.server'
import { ColumnHeads } from '~/components/column-heads'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction<typeof loader> = (args) => privateMeta(args, (t) => `${args.data?.account.name ?? t('Account')} · ${t('Insights')}`)

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request, 'insights:view')
	try {
		return await accountPage(context.actor, params.externalId ?? '', new URL(request.url).searchParams)
	} catch (error) {
		pageError(error)
	}
}

export default function AccountInsights() {
	const { t } = useTranslation()
	const { period, problem, account, figures, week, daily, alerts, questions, questionsPage } = useLoaderData<typeof loader>()
	return (
		<>
			<p className="faq-breadcrumb">
				<Link to="/insights/accounts">{t('Accounts')}</Link>
			</p>
			<div className="page-heading">
				<h1>{account.name}</h1>
				{account.canManage ? (
					<Link to={accountUrl(account.externalId)} className="button">
						{t('Manage account')}
					</Link>
				) : null}
			</div>
			<dl className="account-facts">
				<div>
					<dt>{t('Plan')}</dt>
					<dd>{account.plan || <span className="muted">{t('None')}</span>}</dd>
				</div>
				<div>
					<dt>{t('Phase')}</dt>
					<dd>{t(phaseLabels[account.phase])}</dd>
				</div>
				<div>
					<dt>{t('CSM')}</dt>
					<dd>{account.csm ?? <span className="muted">{t('No CSM')}</span>}</dd>
				</div>
				<div>
					<dt>{t('CRM id')}</dt>
					<dd>
						<code>{account.externalId}</code>
					</dd>
				</div>
			</dl>

			<section className="card insights-section" aria-labelledby="alerts-heading">
				<h2 id="alerts-heading">{t('Open alerts ({{n}})', { n: alerts.length })}</h2>
				<AlertList alerts={alerts} showAccount={false} />
			</section>

			<PeriodForm period={period} problem={problem} />
			<section className="card insights-section">
				<h2>{t('{{from}} to {{to}}', { from: period.from, to: period.to })}</h2>
				<p className="hint">{t('Arrows compare the last 7 days of the period with the 7 days before.')}</p>
				<FigureTiles figures={figures} week={week} />
			</section>
			<ChannelTable channels={figures.channels} />
			<DailyCharts days={daily} account={account.externalId} />

			<TableSection
				id="questions-heading"
				title={t('Questions from its people')}
				table="account-questions"
				page={{ info: questionsPage, label: t('Pages of questions') }}
				account={account.externalId}
				empty={questions.length === 0 ? t('Nobody at this account asked a question in this period.') : null}
			>
				<ColumnHeads columns={[t('Question'), t('Asked by'), t('Asked'), t('Status')]} />
				<tbody>
					{questions.map((question) => (
						<tr key={question.id} data-testid="account-question">
							<th scope="row">
								<Link to={question.url}>{question.title}</Link>
							</th>
							<td>{question.author}</td>
							<td>
								<Age hours={question.ageHours} />{' '}
								<span className="muted">
									(<RelativeTime iso={question.askedAt} />)
								</span>
							</td>
							<td>
								<span className={`badge status-${question.status}`}>{t(questionStatusLabels[question.status])}</span>
							</td>
						</tr>
					))}
				</tbody>
			</TableSection>
		</>
	)
}
