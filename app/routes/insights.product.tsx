import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { Age, NumberCell, PeriodForm, Rate, TableSection } from '~/components/insights'
import { TagList } from '~/components/question-summary'
import { RelativeTime } from '~/components/relative-time'
import { productPage } from '~/insights/dashboard.server'
import { feedbackReasonLabels } from '~/insights/labels'
import { pageError } from '~/utils/http.server'
import { ColumnHeads, figures } from '~/components/column-heads'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => `${t('Product')} · ${t('Insights')}`)

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request, 'insights:view')
	try {
		return await productPage(context.actor, new URL(request.url).searchParams)
	} catch (error) {
		pageError(error)
	}
}

export default function ProductInsights() {
	const { t } = useTranslation()
	const { period, previous, problem, unanswered, zeroResults, frequent, unhelpful } = useLoaderData<typeof loader>()
	return (
		<>
			<h1>{t('Product insights')}</h1>
			<PeriodForm period={period} problem={problem} />

			<TableSection
				id="unanswered-heading"
				title={t('Top unanswered topics')}
				table="unanswered-topics"
				empty={unanswered.length === 0 ? t('No question from this period is waiting for an answer.') : null}
			>
				<ColumnHeads columns={[t('Question'), figures(t('Times asked')), figures(t('Views')), t('Waiting since'), t('Tags')]} />
				<tbody>
					{unanswered.map((topic) => (
						<tr key={topic.questionId}>
							<th scope="row">
								<Link to={topic.url}>{topic.title}</Link>
							</th>
							<NumberCell value={topic.frequency} />
							<NumberCell value={topic.views} />
							<td>
								<Age hours={topic.ageHours} />
							</td>
							<td>
								<TagList tags={topic.tags} />
							</td>
						</tr>
					))}
				</tbody>
			</TableSection>

			<TableSection
				id="zero-heading"
				title={t('Searches that found nothing')}
				table="zero-result-queries"
				empty={zeroResults.length === 0 ? t('Every search in this period found something.') : null}
			>
				<ColumnHeads columns={[t('Search'), figures(t('Times searched')), t('Last searched')]} />
				<tbody>
					{zeroResults.map((query) => (
						<tr key={query.query} data-testid="zero-result-query">
							<th scope="row">{query.query}</th>
							<NumberCell value={query.count} />
							<td>
								<RelativeTime iso={query.lastSeen} />
							</td>
						</tr>
					))}
				</tbody>
			</TableSection>

			<TableSection
				id="frequent-heading"
				title={t('Most frequent questions')}
				table="most-frequent"
				hint={t('Asked, “me too” and solved by searching, compared with {{from}} to {{to}}.', previous)}
				empty={frequent.length === 0 ? t('No questions were asked in this period.') : null}
			>
				<ColumnHeads columns={[t('Question'), figures(t('This period')), figures(t('Previous period'))]} />
				<tbody>
					{frequent.map((question) => (
						<tr key={question.questionId}>
							<th scope="row">
								<Link to={question.url}>{question.title}</Link>
							</th>
							<NumberCell value={question.current} />
							<NumberCell value={question.previous} />
						</tr>
					))}
				</tbody>
			</TableSection>

			<TableSection
				id="unhelpful-heading"
				title={t('Most “not helpful” votes')}
				table="least-helpful"
				empty={unhelpful.length === 0 ? t('Nobody said an answer did not help in this period.') : null}
			>
				<ColumnHeads columns={[t('Title'), figures(t('Not helpful')), figures(t('Found helpful')), t('Reasons')]} />
				<tbody>
					{unhelpful.map((item) => (
						<tr key={`${item.targetType}-${item.targetId}`}>
							<th scope="row">
								<span className="badge">{t(`type.${item.targetType}`)}</span>
								<Link to={item.url}>{item.title}</Link>
							</th>
							<NumberCell value={item.notHelpful} />
							<td className="number">
								<Rate value={item.helpfulShare} />
							</td>
							<td>
								<ul className="reason-list">
									{item.reasons.map((reason, index) => (
										<li key={index}>
											{reason.reason ? <strong>{t(feedbackReasonLabels[reason.reason] ?? reason.reason)}</strong> : null}
											{reason.comment ? <span className="muted"> {reason.comment}</span> : null}
										</li>
									))}
								</ul>
							</td>
						</tr>
					))}
				</tbody>
			</TableSection>
		</>
	)
}
