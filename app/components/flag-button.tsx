import { getFormProps } from '@conform-to/react'
import { useFetcher, useLocation, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { flagReasons, type FlagTargetType } from '#db/schema'
import { FLAG_COMMENT_MAX, flagReasonLabels, flagSchema } from '~/moderation/validation'
import type { FormResult } from '~/utils/form'
import { controlProps, ErrorList, FormError, useSchemaForm } from './form'

type Result = { flagged: true } | FormResult

/**
 * "Flag" on someone else's question or answer: a small form with the reasons and a
 * note, sent to /resources/flag. Once sent (now or before) it says so instead; the
 * author never learns who flagged.
 */
export function FlagButton({ targetType, targetId, flagged }: { targetType: FlagTargetType; targetId: number; flagged: boolean }) {
	const { t } = useTranslation()
	const fetcher = useFetcher<Result>()
	const result = fetcher.data && 'result' in fetcher.data ? fetcher.data.result : undefined
	const [form, fields] = useSchemaForm(flagSchema, { lastResult: result, id: `flag-${targetType}-${targetId}` })
	const location = useLocation()
	const [params] = useSearchParams()
	// Without JavaScript the form posts itself and comes back here saying how it went (resources.flag.ts).
	const key = `${targetType}-${targetId}`
	const justFlagged = (fetcher.data !== undefined && 'flagged' in fetcher.data) || params.get('flagged') === key
	const refusedPlain = params.get('flagRefused') === key
	if (flagged || justFlagged) {
		return (
			<span className="flag-done" role="status" data-testid="flagged">
				{justFlagged ? t('Thanks, staff will review it') : t('Flagged by you')}
			</span>
		)
	}
	return (
		<details className="flag-menu" open={refusedPlain || undefined}>
			<summary>{t('Flag')}</summary>
			<fetcher.Form method="post" action="/resources/flag" className="flag-form" {...getFormProps(form)}>
				<input type="hidden" name="targetType" value={targetType} />
				<input type="hidden" name="targetId" value={targetId} />
				<input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
				<FormError errors={refusedPlain ? [t('Your flag was not sent: choose a reason, and for “Other” say what is wrong.')] : form.errors} />
				<fieldset aria-invalid={fields.reason.errors ? true : undefined} aria-describedby={fields.reason.errors ? fields.reason.errorId : undefined}>
					<legend>{t('What is wrong with this post?')}</legend>
					{flagReasons.map((reason) => (
						<label key={reason} className="flag-reason">
							<input type="radio" name={fields.reason.name} value={reason} />
							{t(flagReasonLabels[reason])}
						</label>
					))}
					<ErrorList id={fields.reason.errorId} errors={fields.reason.errors} />
				</fieldset>
				<div className="field">
					<label htmlFor={fields.comment.id}>{t('Note for staff (required for "Other")')}</label>
					<textarea rows={2} maxLength={FLAG_COMMENT_MAX} {...controlProps(fields.comment)} />
					<ErrorList id={fields.comment.errorId} errors={fields.comment.errors} />
				</div>
				<p className="hint">{t('Staff will review it. The author is not told who flagged.')}</p>
				<button type="submit" className="button small" disabled={fetcher.state !== 'idle'}>
					{t('Send flag')}
				</button>
			</fetcher.Form>
		</details>
	)
}
