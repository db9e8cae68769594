import { useFetcher, useSearchParams } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { feedbackReasonLabels, feedbackReasonOptions } from '~/insights/labels'
import type { FeedbackSummaryData } from '~/knowledge/feedback.server'
import { FormError } from './form'
import { resultErrors, type FormResult } from '~/utils/form'

type TargetType = 'question' | 'faq' | 'tutorial'
type Vote = { helpful: boolean; reason: string | null } | null

/**
 * "Did this solve your problem?" A visitor arriving from search carries `sid`
 * (the search id) in the URL, which ties the vote to that search.
 */
export function FeedbackWidget({ targetType, targetId, searchId }: { targetType: TargetType; targetId: number; searchId?: string | null }) {
	const { t } = useTranslation()
	const [params] = useSearchParams()
	const sid = searchId ?? params.get('sid')
	const current = useFetcher<{ vote: Vote }>()
	const vote = useFetcher<{ ok?: true; vote?: Vote; result?: FormResult['result'] }>()
	const [askingWhy, setAskingWhy] = useState(false)
	const [changing, setChanging] = useState(false)

	useEffect(() => {
		current.load(`/resources/feedback?targetType=${targetType}&targetId=${targetId}`)
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [targetType, targetId])

	const saved: Vote = vote.data?.vote ?? current.data?.vote ?? null
	const hidden = (
		<>
			<input type="hidden" name="targetType" value={targetType} />
			<input type="hidden" name="targetId" value={targetId} />
			{sid ? <input type="hidden" name="searchId" value={sid} /> : null}
		</>
	)

	if (saved && !changing && vote.state === 'idle') {
		return (
			<section className="feedback card" aria-label={t('Feedback')} data-testid="feedback">
				<p role="status">
					{saved.helpful ? t('Glad it helped. Thanks for letting us know!') : t('Thanks. Your feedback helps us improve this answer.')}
				</p>
				<button type="button" className="link-button" onClick={() => { setChanging(true); setAskingWhy(false) }}>
					{t('Change my answer')}
				</button>
			</section>
		)
	}

	return (
		<section className="feedback card" aria-label={t('Feedback')} data-testid="feedback">
			<vote.Form method="post" action="/resources/feedback" onSubmit={() => setChanging(false)}>
				{hidden}
				<p className="feedback-question">{t('Did this solve your problem?')}</p>
				<FormError errors={resultErrors(vote.data?.result)} />
				{!askingWhy ? (
					<div className="actions">
						<button type="submit" name="helpful" value="true" className="button">
							{t('Yes')}
						</button>
						<button type="button" className="button" onClick={() => setAskingWhy(true)}>
							{t('No')}
						</button>
					</div>
				) : (
					<fieldset className="feedback-reasons">
						<legend>{t('What was missing?')}</legend>
						<input type="hidden" name="helpful" value="false" />
						{feedbackReasonOptions.map(([value, label], i) => (
							<label key={value} className="radio">
								<input type="radio" name="reason" value={value} defaultChecked={i === 0} /> {t(label)}
							</label>
						))}
						<label htmlFor={`feedback-comment-${targetType}-${targetId}`}>{t('Tell us more (optional)')}</label>
						<textarea id={`feedback-comment-${targetType}-${targetId}`} name="comment" rows={3} maxLength={1000} />
						<div className="actions">
							<button type="submit" className="button primary">
								{t('Send feedback')}
							</button>
							<button type="button" className="link-button" onClick={() => setAskingWhy(false)}>
								{t('Cancel')}
							</button>
						</div>
					</fieldset>
				)}
			</vote.Form>
		</section>
	)
}

/** Staff view of an item's feedback: helpful share and the reasons behind "no". */
export function FeedbackSummary({ summary }: { summary: FeedbackSummaryData }) {
	const { t } = useTranslation()
	const reasonLabel = (value: string) => t(feedbackReasonLabels[value] ?? 'Something else')
	return (
		<section className="feedback-summary card" data-testid="feedback-summary">
			<h3>{t('Feedback from readers')}</h3>
			<p>
				{summary.helpfulShare === null
					? t('No votes yet.')
					: t('{{share}}% found this helpful ({{yes}} yes, {{no}} no)', {
							share: Math.round(summary.helpfulShare * 100),
							yes: summary.helpful,
							no: summary.notHelpful,
						})}
			</p>
			{summary.reasons.length > 0 ? (
				<ul className="plain-list">
					{summary.reasons.map((reason, i) => (
						<li key={i}>
							<strong>{reasonLabel(reason.reason)}</strong>
							{reason.comment ? `: ${reason.comment}` : ''}
						</li>
					))}
				</ul>
			) : null}
		</section>
	)
}
