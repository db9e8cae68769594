import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { releaseHeldPost } from '~/community/questions.server'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { getFormProps } from '@conform-to/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { controlProps, ErrorList, FormError, useSchemaForm } from '~/components/form'
import { Pager } from '~/components/pager'
import { RelativeTime } from '~/components/relative-time'
import { reviewDecision, reviewQueue, type ReviewItem } from '~/moderation/review.server'
import { shownReason } from '~/moderation/reasons'
import { flagReasonLabels, reviewDecisionSchema } from '~/moderation/validation'
import { parseForm, type FormResult } from '~/utils/form'
import { formAction } from '~/utils/http.server'
import { readPage } from '~/utils/paging'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Review'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request, 'moderation:review')
	return reviewQueue(actor, readPage(new URL(request.url).searchParams))
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), reviewDecisionSchema), async (input) => {
		const outcome = await reviewDecision(context.actor, { type: input.targetType, id: input.targetId }, input.decision, input.reason, new Date(), releaseHeldPost)
		return json({ done: input.decision, ...outcome })
	})
}

export default function ReviewQueue() {
	const { t } = useTranslation()
	const { items, page, canSuspend } = useLoaderData<typeof loader>()
	const data = useActionData<typeof action>()
	// A decision takes the post off the queue (the page reloads), so its outcome is said above the list.
	const done = data && 'done' in data ? data.done : null
	const refused = data && 'result' in data ? data.result : undefined
	const refusedKey = `${String(refused?.initialValue?.targetType)}-${String(refused?.initialValue?.targetId)}`
	// A refusal about a post no longer (or never) in the list is said above it.
	const unplaced = refused && !items.some((item) => item.key === refusedKey) ? Object.values(refused.error ?? {}).flat().filter((m): m is string => typeof m === 'string') : null
	return (
		<section className="review-queue">
			<h1>{t('Review')}</h1>
			<p className="muted">{t('Flagged posts and posts held before anyone saw them, newest first. The reason you give is shown to the author; who flagged is never shown.')}</p>
			{done ? (
				<p className="notice" role="status" data-testid="review-done">
					{t(decisionLabels[done])}
				</p>
			) : null}
			<FormError errors={unplaced} />
			{items.length === 0 ? <p className="muted card">{t('Nothing waits for review.')}</p> : null}
			{items.map((item) => (
				<ReviewCard key={item.key} item={item} canSuspend={canSuspend} lastResult={refusedKey === item.key ? refused : undefined} />
			))}
			<Pager info={page} label={t('Pages of the review queue')} />
		</section>
	)
}

const stateLabels = { visible: 'Shown to everyone', held: 'Held for review', hidden: 'Hidden from others', deleted: 'Deleted by staff' } as const
const trustLabels = { new: 'Trust: new', basic: 'Trust: basic', trusted: 'Trust: trusted', staff: 'Trust: staff' } as const
const decisionLabels = {
	approve: 'Approved: the flags are dismissed',
	restore: 'Restored: dismiss its flags or take another step',
	hide: 'Hidden: the author sees your reason',
	delete: 'Deleted: the author sees your reason',
	lock: 'Locked: the thread takes no new answers',
	suspend: 'Suspended: the author can no longer sign in',
} as const

function ReviewCard({ item, canSuspend, lastResult }: { item: ReviewItem; canSuspend: boolean; lastResult: FormResult['result'] | undefined }) {
	const { t } = useTranslation()
	const navigation = useNavigation()
	const busy = navigation.state !== 'idle'
	const [form, fields] = useSchemaForm(reviewDecisionSchema, { lastResult, id: `review-${item.key}` })
	return (
		<article className="card review-item" data-testid="review-item" aria-labelledby={`${item.key}-title`}>
			<h2 id={`${item.key}-title`}>
				{item.type === 'question' ? t('Question:') : t('Answer to:')} <Link to={item.url}>{item.question.title}</Link>
			</h2>
			<ul className="review-facts">
				<li>
					<span className="badge">{t(stateLabels[item.state])}</span>
					{item.question.locked ? <span className="badge">{t('Thread locked')}</span> : null}
				</li>
				<li>
					{t('Posted')} <RelativeTime iso={item.createdAt} />
				</li>
				{item.stateReason ? <li>{t('Reason shown to the author: {{reason}}', { reason: shownReason(t, item.stateReason) })}</li> : null}
			</ul>
			<div className="markdown" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
			{item.flags.length > 0 ? (
				<ul className="review-flags" aria-label={t('Flags')}>
					{item.flags.map((flag) => (
						<li key={flag.reason}>
							{t(flagReasonLabels[flag.reason])} × {flag.count}
							{flag.comments.map((comment, index) => (
								<q key={index} className="muted">
									{' '}
									{comment}
								</q>
							))}
						</li>
					))}
				</ul>
			) : (
				<p className="muted">{t('Held by the posting rules; nobody flagged it.')}</p>
			)}
			<ul className="review-facts" aria-label={t('Author')}>
				<li>
					<Link to={`/users/${item.author.id}`}>{item.author.displayName}</Link>
					{item.author.suspended ? <span className="badge failed">{t('Suspended')}</span> : null}
				</li>
				<li>{t(trustLabels[item.author.trust])}</li>
				<li>{t('{{count}} posts', { count: item.author.posts })}</li>
				<li>{t('{{count}} hidden or deleted', { count: item.author.removed })}</li>
				<li>
					{t('Joined')} <RelativeTime iso={item.author.joinedAt} />
				</li>
			</ul>
			<Form method="post" preventScrollReset className="review-actions" {...getFormProps(form)}>
				<input type="hidden" name="targetType" value={item.type} />
				<input type="hidden" name="targetId" value={item.id} />
				<FormError errors={form.errors} />
				<div className="field">
					<label htmlFor={fields.reason.id}>{t('Reason (shown to the author)')}</label>
					<input type="text" maxLength={500} {...controlProps(fields.reason)} />
					<ErrorList id={fields.reason.errorId} errors={fields.reason.errors} />
				</div>
				{item.state === 'hidden' || item.state === 'deleted' ? (
					<button type="submit" name="decision" value="restore" className="button small" disabled={busy}>
						{t('Restore post')}
					</button>
				) : (
					<button type="submit" name="decision" value="approve" className="button small" disabled={busy}>
						{item.state === 'held' ? t('Approve post') : t('Dismiss flags')}
					</button>
				)}
				<button type="submit" name="decision" value="hide" className="button small" disabled={busy}>
					{item.state === 'hidden' ? t('Keep hidden') : t('Hide post')}
				</button>
				<button type="submit" name="decision" value="delete" className="button small" disabled={busy}>
					{t('Delete post')}
				</button>
				{item.question.locked ? null : (
					<button type="submit" name="decision" value="lock" className="button small" disabled={busy}>
						{t('Lock thread')}
					</button>
				)}
				{canSuspend && !item.author.suspended ? (
					<button type="submit" name="decision" value="suspend" className="button small" disabled={busy}>
						{t('Suspend author')}
					</button>
				) : null}
				<Link to={item.editUrl}>{t('Edit')}</Link>
			</Form>
		</article>
	)
}
