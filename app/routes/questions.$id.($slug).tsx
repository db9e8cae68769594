import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { releaseHeldPost } from '~/community/questions.server'
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { AlsoAskedAs } from '~/components/also-asked'
import { z } from 'zod'
import { can } from '~/auth/permissions.server'
import { closeAsDuplicate, duplicateFormSchema, duplicateStatus, reopenQuestion } from '~/community/duplicates.server'
import { acceptAnswer, addMeToo, createAnswer, getQuestionThread, recordQuestionView, vote } from '~/community/questions.server'
import { answerSchema, voteSchema } from '~/community/validation'
import { FeedbackSummary, FeedbackWidget } from '~/components/feedback-widget'
import { FlagButton } from '~/components/flag-button'
import { flagStatesOnThread } from '~/moderation/flags.server'
import { FollowButton } from '~/components/follow-button'
import { followsQuestion } from '~/notifications/following.server'
import { getFormProps } from '@conform-to/react'
import { controlProps, ErrorList, FormError, useSchemaForm } from '~/components/form'
import { MarkdownEditor } from '~/components/markdown-editor'
import { OriginalPicker } from '~/components/original-picker'
import { TagList } from '~/components/question-summary'
import { RelativeTime } from '~/components/relative-time'
import { VoteButtons } from '~/components/vote-buttons'
import { faqFromQuestion, makeFaqFromQuestion } from '~/knowledge/faqs.server'
import { feedbackSummary } from '~/knowledge/feedback.server'
import { learnedPhrasingsPage } from '~/knowledge/phrasings.server'
import { readPage } from '~/utils/paging'
import { LearnedPhrasings } from '~/components/learned-phrasings'
import { parseForm, resultErrors, type FormResult } from '~/utils/form'
import { moderatePost } from '~/moderation/moderation.server'
import { moderationFormSchema } from '~/moderation/validation'
import { LockedNotice, ModerationTools, PostNotice } from '~/components/moderation-tools'
import { formAction, formResponse, idParam, pageError, parseInput, routeId } from '~/utils/http.server'
import { signInUrl } from '~/utils/urls'
import { htmlToText, seoMeta } from '~/utils/seo'
import { breadcrumbs, qaPage } from '~/utils/structured-data'

export const meta: MetaFunction<typeof loader> = (args) =>
	seoMeta(args, (t) => {
		const question = args.data?.question
		if (!question) return { title: t('Question') }
		// Staff and authors also see posts held, hidden or deleted: those never reach search engines.
		const answers = question.answers.filter((answer) => answer.notice === null)
		return {
			title: question.title,
			description: htmlToText(question.bodyHtml),
			canonical: question.url,
			type: 'article',
			noindex: question.notice !== null,
			jsonLd: (site) => [qaPage(site, { ...question, answers }), breadcrumbs(site, [{ name: t('Questions'), path: '/questions' }, { name: question.title, path: question.url }])].filter((data) => data !== null),
		}
	})

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	const id = routeId(params.id)
	const question = await getQuestionThread(id, context.actor).catch(pageError)
	// The query string (e.g. the search id behind a feedback vote) survives the move to the canonical URL.
	if (params.slug !== question.slug) throw redirect(`${question.url}${new URL(request.url).search}`, { status: 301 })
	const [, duplicates, faq, feedback, phrasings, following, flagStates] = await Promise.all([
		recordQuestionView(id, context, { fromAskForm: new URL(request.url).searchParams.get('from') === 'ask' }),
		duplicateStatus(id, context.actor),
		faqFromQuestion(id, context.actor),
		can(context.actor, 'feedback:view') ? feedbackSummary('question', id) : null,
		can(context.actor, 'knowledge:manage') ? learnedPhrasingsPage('question', id, readPage(new URL(request.url).searchParams, 'phrasings')) : null,
		followsQuestion(context.actor, id),
		flagStatesOnThread(context.actor, question),
	])
	// The page shows the stored HTML: the Markdown source would only double the data sent with it.
	const { body: _body, answers, ...shown } = question
	return {
		question: { ...shown, answers: answers.map(({ body: _answerBody, ...answer }) => answer) },
		signedIn: Boolean(context.actor),
		duplicates,
		faq,
		feedback,
		phrasings,
		following,
		flagStates,
	}
}

const buttonIntentSchema = z.object({ intent: z.enum(['vote', 'me-too', 'accept', 'reopen', 'make-faq']) })

export async function action({ request, params, context }: ActionFunctionArgs) {
	const id = routeId(params.id)
	const formData = await request.formData()
	const form = Object.fromEntries(formData)
	if (form.intent === 'answer') {
		return formAction(parseForm(formData, answerSchema), async ({ body }) => {
			const answer = await createAnswer(context.actor, id, body)
			// The answer's URL is this page plus "#answer-N": Remix treats that as a hash
			// change and skips the loaders when a vote's revalidation finishes meanwhile,
			// so the new answer would not show. The header makes it always reload the data.
			return redirect(answer.url, { headers: { 'X-Remix-Revalidate': 'yes' } })
		})
	}
	if (form.intent === 'moderate') {
		return formAction(parseForm(formData, moderationFormSchema), async (input) => {
			await moderatePost(context.actor, { type: input.targetType, id: input.targetId }, input.action, input.reason, new Date(), releaseHeldPost)
			return json({ ok: true as const })
		})
	}
	if (form.intent === 'close-duplicate') {
		return formAction(parseForm(formData, duplicateFormSchema), async (canonical) => {
			await closeAsDuplicate(context.actor, id, canonical)
			return json({ ok: true as const })
		})
	}
	return formResponse(async () => {
		const { intent } = parseInput(buttonIntentSchema, form)
		switch (intent) {
			case 'vote': {
				const input = parseInput(voteSchema, form)
				return json(await vote(context.actor, input.postType, input.postId, input.value))
			}
			case 'me-too':
				return json(await addMeToo(context.actor, id))
			case 'accept': {
				const { answerId } = parseInput(z.object({ answerId: idParam }), form)
				return json(await acceptAnswer(context.actor, id, answerId))
			}
			case 'reopen':
				await reopenQuestion(context.actor, id)
				return json({ ok: true as const })
			case 'make-faq': {
				const faq = await makeFaqFromQuestion(context.actor, id)
				return redirect(`/faq/${faq.id}/edit`)
			}
		}
	})
}

export default function QuestionPage() {
	const { t } = useTranslation()
	const { question, signedIn, duplicates, faq, feedback, phrasings, following, flagStates } = useLoaderData<typeof loader>()
	// "Did this solve your problem?" sits under the accepted answer, or under the top answer of a thread answered but never accepted.
	const feedbackAnswerId = question.acceptedAnswerId ?? question.answers.find((answer) => answer.notice === null)?.id ?? null
	const flag = (targetType: 'question' | 'answer', targetId: number) => {
		const state = flagStates[`${targetType}-${targetId}`]
		return state ? <FlagButton targetType={targetType} targetId={targetId} flagged={state === 'flagged'} /> : null
	}
	return (
		<article className="thread">
			<header className="thread-header">
				<h1>{question.title}</h1>
				<div className="thread-meta">
					{question.solved ? <span className="badge solved">{t('Solved')}</span> : null}
					<span>
						{t('Asked')} <RelativeTime iso={question.createdAt} />
					</span>
					<span data-testid="frequency">{t('Times asked: {{n}}', { n: duplicates.frequency })}</span>
					<span>
						{t('{{count}} views', { count: duplicates.views })}
						{duplicates.duplicates.length > 0 ? ` ${t('(including duplicates)')}` : ''}
					</span>
					{following === null ? null : <FollowButton target={{ kind: 'question', questionId: question.id }} following={following} />}
					{question.permissions.edit ? (
						<>
							<Link to={`/questions/${question.id}/edit`}>{t('Edit')}</Link>
							<Link to={`/questions/${question.id}/revisions`}>{t('History')}</Link>
						</>
					) : null}
				</div>
			</header>
			{duplicates.original ? (
				<div className="duplicate-banner" role="status" data-testid="duplicate-banner">
					<p className="duplicate-banner-title">
						{t('This question has an answer:')}{' '}
						{duplicates.original.url ? <Link to={duplicates.original.url}>{duplicates.original.title}</Link> : (duplicates.original.title ?? (duplicates.original.type === 'faq' ? t('an FAQ that is being revised') : t('a question that is no longer shown')))}
					</p>
					<p className="muted">{t('It was closed as a duplicate, so new answers go to the original.')}</p>
					{duplicates.permissions.moderate ? <ReopenButton /> : null}
				</div>
			) : null}
			<PostNotice notice={question.notice} />
			{question.locked ? <LockedNotice reason={question.locked.reason} /> : null}
			{faq ? (
				<p className={faq.published ? 'faq-link' : 'faq-link draft'} data-testid="faq-link">
					{faq.published ? t('Answered in the FAQ:') : t('Draft FAQ made from this thread:')} <Link to={faq.published ? faq.url : `/faq/${faq.id}/edit`}>{faq.title}</Link>
				</p>
			) : null}
			<section className="post question-post">
				<VoteButtons postType="question" postId={question.id} score={question.score} mine={question.votes.mine} canVote={question.permissions.vote} signedIn={signedIn} />
				<div className="post-body">
					<div className="markdown" dangerouslySetInnerHTML={{ __html: question.bodyHtml }} />
					<TagList tags={question.tags} />
					<div className="post-footer">
						<MeToo count={question.meToo} said={question.saidMeToo} canSay={question.permissions.meToo} signIn={signedIn ? null : signInUrl(question.url)} />
						{flag('question', question.id)}
						<span className="byline">
							<Link to={`/users/${question.author.id}`}>{question.author.displayName}</Link>
							{question.edited ? ` · ${t('edited')}` : ''}
						</span>
					</div>
				</div>
			</section>

			{question.permissions.moderate ? (
				<ModerationTools target={{ type: 'question', id: question.id }} state={question.notice?.state ?? 'visible'} locked={question.locked !== null} canRestoreDeleted={question.permissions.restoreDeleted} />
			) : null}
			<AlsoAskedAs duplicates={duplicates.duplicates} />
			<StaffTools questionId={question.id} closed={duplicates.closed} canModerate={duplicates.permissions.moderate} canMakeFaq={question.permissions.makeFaq && !faq} />

			<h2>{t('{{count}} answers', { count: question.answers.length })}</h2>
			{question.answers.map((answer) => (
				<section key={answer.id} id={`answer-${answer.id}`} className={answer.accepted ? 'post answer accepted' : 'post answer'} data-testid="answer">
					<VoteButtons postType="answer" postId={answer.id} score={answer.score} mine={answer.votes.mine} canVote={answer.permissions.vote} signedIn={signedIn} />
					<div className="post-body">
						<PostNotice notice={answer.notice} />
						{answer.accepted ? <p className="accepted-label">✓ {t('Accepted answer')}</p> : null}
						<div className="markdown" dangerouslySetInnerHTML={{ __html: answer.bodyHtml }} />
						<div className="post-footer">
							{question.permissions.accept && !answer.accepted && answer.notice === null ? (
								<Form method="post" preventScrollReset>
									<input type="hidden" name="intent" value="accept" />
									<input type="hidden" name="answerId" value={answer.id} />
									<button type="submit" className="button small">
										{t('Accept this answer')}
									</button>
								</Form>
							) : null}
							{answer.permissions.edit ? <Link to={`/answers/${answer.id}/edit`}>{t('Edit')}</Link> : null}
							{flag('answer', answer.id)}
							<span className="byline">
								<Link to={`/users/${answer.author.id}`}>{answer.author.displayName}</Link>
								{answer.author.role === 'cs' || answer.author.role === 'admin' ? <span className="badge role">{t('Staff')}</span> : null} ·{' '}
								<RelativeTime iso={answer.createdAt} />
								{answer.edited ? ` · ${t('edited')}` : ''}
							</span>
						</div>
						{question.permissions.moderate ? (
							<ModerationTools target={{ type: 'answer', id: answer.id }} state={answer.notice?.state ?? 'visible'} locked={false} canRestoreDeleted={question.permissions.restoreDeleted} />
						) : null}
						{answer.id === feedbackAnswerId ? (
							<>
								<FeedbackWidget targetType="question" targetId={question.id} />
								{feedback ? <FeedbackSummary summary={feedback} /> : null}
								{phrasings ? <LearnedPhrasings phrasings={phrasings} /> : null}
							</>
						) : null}
					</div>
				</section>
			))}

			{question.permissions.answer === 'refused' ? null : (
				<section className="card answer-form">
					<h2>{t('Your answer')}</h2>
					{question.permissions.answer === 'allowed' ? (
						<AnswerForm key={question.answers.length} />
					) : (
						<p>
							<Link to={signInUrl(question.url)}>{t('Sign in to answer')}</Link>
						</p>
					)}
				</section>
			)}
		</article>
	)
}

function AnswerForm() {
	const { t } = useTranslation()
	const navigation = useNavigation()
	const submitting = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'answer'
	const result = useActionData<typeof action>()
	const [form, fields] = useSchemaForm(answerSchema, { lastResult: result && 'result' in result ? result.result : undefined })
	return (
		<Form method="post" {...getFormProps(form)}>
			<input type="hidden" name="intent" value="answer" />
			<FormError errors={navigation.state === 'idle' ? form.errors : undefined} />
			<MarkdownEditor field={fields.body} label={t('Answer')} rows={8} maxLength={30_000} />
			<button type="submit" className="button primary" disabled={submitting}>
				{t('Post your answer')}
			</button>
		</Form>
	)
}

type StaffResult = { ok: true } | FormResult
const failure = (data: StaffResult | undefined) => (data && 'result' in data ? data.result : undefined)

function StaffTools({ questionId, closed, canModerate, canMakeFaq }: { questionId: number; closed: boolean; canModerate: boolean; canMakeFaq: boolean }) {
	const { t } = useTranslation()
	const makeFaq = useFetcher<StaffResult>()
	const close = useFetcher<StaffResult>()
	const [closeForm, closeFields] = useSchemaForm<typeof duplicateFormSchema>(null, { lastResult: failure(close.data) })
	const showCloseForm = canModerate && !closed
	if (!canMakeFaq && !showCloseForm) return null
	return (
		<section className="staff-tools card" aria-label={t('Staff tools')}>
			{canMakeFaq ? (
				<makeFaq.Form method="post" className="inline-form">
					<input type="hidden" name="intent" value="make-faq" />
					<button type="submit" className="button" disabled={makeFaq.state !== 'idle'}>
						{t('Make FAQ')}
					</button>
					<span className="hint"> {t('Starts a draft FAQ with this question and the answer that solved it.')}</span>
					<FormError errors={resultErrors(failure(makeFaq.data))} />
				</makeFaq.Form>
			) : null}
			{showCloseForm ? (
				<details className="close-duplicate">
					<summary>{t('Close as duplicate')}</summary>
					<close.Form method="post" {...getFormProps(closeForm)}>
						<input type="hidden" name="intent" value="close-duplicate" />
						<FormError errors={closeForm.errors} />
						<div className="duplicate-fields">
							<div className="field">
								<label htmlFor={closeFields.targetType.id}>{t('Duplicate of')}</label>
								<select defaultValue="question" {...controlProps(closeFields.targetType)}>
									<option value="question">{t('Question')}</option>
									<option value="faq">{t('FAQ')}</option>
								</select>
								<ErrorList id={closeFields.targetType.errorId} errors={closeFields.targetType.errors} />
							</div>
							<OriginalPicker field={closeFields.target} questionId={questionId} />
						</div>
						<button type="submit" className="button" disabled={close.state !== 'idle'}>
							{t('Close as duplicate')}
						</button>
					</close.Form>
				</details>
			) : null}
		</section>
	)
}

function ReopenButton() {
	const { t } = useTranslation()
	const fetcher = useFetcher<StaffResult>()
	return (
		<fetcher.Form method="post" className="inline-form">
			<input type="hidden" name="intent" value="reopen" />
			<button type="submit" className="button small" disabled={fetcher.state !== 'idle'}>
				{t('Reopen')}
			</button>
			<FormError errors={resultErrors(failure(fetcher.data))} />
		</fetcher.Form>
	)
}

/** `signIn`: for visitors, the sign-in link that brings them back here. */
function MeToo({ count, said, canSay, signIn }: { count: number; said: boolean; canSay: boolean; signIn: string | null }) {
	const { t } = useTranslation()
	const fetcher = useFetcher<{ count?: number }>()
	const shownCount = fetcher.data?.count ?? count
	const counted = (
		<span className="me-too-count" data-testid="me-too-count">
			{t('{{count}} people have this question', { count: shownCount })}
		</span>
	)
	if (signIn) {
		return (
			<div className="me-too">
				{/* The visible words stay the link's name (speech input says them); that it signs in first is its description. */}
				<Link to={signIn} className="button small" aria-describedby="me-too-sign-in">
					{t('I have this question too')}
				</Link>
				<span id="me-too-sign-in" className="visually-hidden">
					{t('Sign in to say you have this question too')}
				</span>
				{counted}
			</div>
		)
	}
	const done = said || fetcher.state !== 'idle' || fetcher.data?.count !== undefined
	return (
		<fetcher.Form method="post" className="me-too">
			<input type="hidden" name="intent" value="me-too" />
			<button type="submit" className={done ? 'button small active' : 'button small'} disabled={!canSay || done}>
				{done ? t('You have this question too') : t('I have this question too')}
			</button>
			{counted}
		</fetcher.Form>
	)
}
