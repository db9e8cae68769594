import { useFetcher } from '@remix-run/react'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { PostState } from '#db/schema'
import { FormError } from '~/components/form'
import { shownReason } from '~/moderation/reasons'
import { resultErrors, type FormResult } from '~/utils/form'

type Notice = { state: Exclude<PostState, 'visible'>; reason: string | null } | null

/** Shown to the author and staff on a post others cannot see: why it is gone, in the words staff gave. */
export function PostNotice({ notice }: { notice: Notice }) {
	const { t } = useTranslation()
	if (!notice) return null
	const title = { hidden: t('Hidden by staff'), deleted: t('Deleted'), held: t('Waiting for review') }[notice.state]
	return (
		<p className={`post-notice ${notice.state}`} role="status" data-testid="post-notice">
			<strong>{title}</strong>
			{notice.reason ? `: ${shownReason(t, notice.reason)}` : null}
			<span className="hint"> {t('Only you and staff see this post.')}</span>
		</p>
	)
}

/** Instead of the answer form: why this thread takes no answers. */
export function LockedNotice({ reason }: { reason: string | null }) {
	const { t } = useTranslation()
	return (
		<p className="post-notice locked" role="status" data-testid="locked-notice">
			<strong>{t('This thread is locked')}</strong>
			{reason ? `: ${reason}` : null}
			<span className="hint"> {t('It takes no new answers.')}</span>
		</p>
	)
}

type Result = { ok: true } | FormResult

/**
 * Staff's hide, delete, restore, lock and unlock on one post, each with the
 * reason its author is shown. Restoring a deleted post is for admins only.
 */
export function ModerationTools({ target, state, locked, canRestoreDeleted }: { target: { type: 'question' | 'answer'; id: number }; state: PostState; locked: boolean; canRestoreDeleted: boolean }) {
	const { t } = useTranslation()
	const fetcher = useFetcher<Result>()
	const reasonId = useId()
	const failed = fetcher.data && 'result' in fetcher.data ? fetcher.data.result : undefined
	const actions: Array<[string, string]> = []
	if (state !== 'hidden' && state !== 'deleted') actions.push(['hide', t('Hide')])
	if (state !== 'deleted') actions.push(['delete', t('Delete')])
	if (state !== 'visible' && (state !== 'deleted' || canRestoreDeleted)) actions.push(['restore', t('Restore')])
	if (target.type === 'question') actions.push(locked ? ['unlock', t('Unlock')] : ['lock', t('Lock')])
	const label = target.type === 'question' ? t('Moderate this question') : t('Moderate this answer')
	return (
		<details className="moderation-tools" data-testid={`moderate-${target.type}-${target.id}`}>
			<summary>{label}</summary>
			<fetcher.Form method="post" className="moderation-form">
				<input type="hidden" name="intent" value="moderate" />
				<input type="hidden" name="targetType" value={target.type} />
				<input type="hidden" name="targetId" value={target.id} />
				<FormError errors={resultErrors(failed)} />
				<div className="field">
					<label htmlFor={reasonId}>{t('Reason (the author sees it)')}</label>
					<input id={reasonId} type="text" name="reason" maxLength={500} />
					<FormError errors={resultErrors(failed, 'reason')} inline />
				</div>
				<div className="moderation-actions">
					{actions.map(([value, text]) => (
						<button key={value} type="submit" name="action" value={value} className="button small" disabled={fetcher.state !== 'idle'}>
							{text}
						</button>
					))}
				</div>
			</fetcher.Form>
		</details>
	)
}
