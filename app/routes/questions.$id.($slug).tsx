import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { acceptAnswer, addMeToo, createAnswer, getQuestionThread, recordQuestionView, vote } from '~/community/questions.server'
import { answerSchema, voteSchema } from '~/community/validation'
import { FormError } from '~/components/form'
import { MarkdownEditor } from '~/components/markdown-editor'
import { TagList } from '~/components/question-summary'
import { RelativeTime } from '~/components/relative-time'
import { VoteButtons } from '~/components/vote-buttons'
import { DomainError } from '~/utils/errors.server'
import { formResponse, idParam, parseInput } from '~/utils/http.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.question.title} · Kizuna` : 'Kizuna' }]

function questionId(params: { id?: string }) {
	const id = idParam.safeParse(params.id)
	if (!id.success) throw new Response('Not found', { status: 404 })
	return id.data
}

export async function loader({ params, context }: LoaderFunctionArgs) {
	const id = questionId(params)
	const question = await getQuestionThread(id, context.actor).catch((error) => {
		if (error instanceof DomainError && error.code === 'not_found') throw new Response('Not found', { status: 404 })
		throw error
	})
	if (params.slug !== question.slug) throw redirect(question.url, { status: 301 })
	await recordQuestionView(id, context.actor?.id ?? context.visitorId)
	return { question, signedIn: Boolean(context.actor) }
}

const intentSchema = z.object({ intent: z.enum(['answer', 'vote', 'me-too', 'accept']) })

export async function action({ request, params, context }: ActionFunctionArgs) {
	const id = questionId(params)
	const form = Object.fromEntries(await request.formData())
	return formResponse(async () => {
		const { intent } = parseInput(intentSchema, form)
		switch (intent) {
			case 'answer': {
				const { body } = parseInput(answerSchema, form)
				const answer = await createAnswer(context.actor, id, body)
				return redirect(answer.url)
			}
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
		}
	})
}

export default function QuestionPage() {
	const { t } = useTranslation()
	const { question, signedIn } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const navigation = useNavigation()
	const submittingAnswer = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'answer'
	const answerErrors = result && 'fieldErrors' in result ? result.fieldErrors : {}
	return (
		<article className="thread">
			<header className="thread-header">
				<h1>{question.title}</h1>
				<div className="thread-meta">
					{question.solved ? <span className="badge solved">{t('Solved')}</span> : null}
					<span>
						{t('Asked')} <RelativeTime iso={question.createdAt} />
					</span>
					<span>{t('{{count}} views', { count: question.views })}</span>
					{question.permissions.edit ? (
						<>
							<Link to={`/questions/${question.id}/edit`}>{t('Edit')}</Link>
							<Link to={`/questions/${question.id}/revisions`}>{t('History')}</Link>
						</>
					) : null}
				</div>
			</header>
			<section className="post question-post">
				<VoteButtons postType="question" postId={question.id} score={question.score} mine={question.votes.mine} canVote={question.permissions.vote} signedIn={signedIn} />
				<div className="post-body">
					<div className="markdown" dangerouslySetInnerHTML={{ __html: question.bodyHtml }} />
					<TagList tags={question.tags} />
					<div className="post-footer">
						<MeToo count={question.meToo} said={question.saidMeToo} canSay={question.permissions.meToo} signedIn={signedIn} />
						<span className="byline">
							{question.author.displayName}
							{question.edited ? ` · ${t('edited')}` : ''}
						</span>
					</div>
				</div>
			</section>

			<h2>{t('{{count}} answers', { count: question.answers.length })}</h2>
			{question.answers.map((answer) => (
				<section key={answer.id} id={`answer-${answer.id}`} className={answer.accepted ? 'post answer accepted' : 'post answer'} data-testid="answer">
					<VoteButtons postType="answer" postId={answer.id} score={answer.score} mine={answer.votes.mine} canVote={answer.permissions.vote} signedIn={signedIn} />
					<div className="post-body">
						{answer.accepted ? <p className="accepted-label">✓ {t('Accepted answer')}</p> : null}
						<div className="markdown" dangerouslySetInnerHTML={{ __html: answer.bodyHtml }} />
						<div className="post-footer">
							{question.permissions.accept && !answer.accepted ? (
								<Form method="post" preventScrollReset>
									<input type="hidden" name="intent" value="accept" />
									<input type="hidden" name="answerId" value={answer.id} />
									<button type="submit" className="button small">
										{t('Accept this answer')}
									</button>
								</Form>
							) : null}
							{answer.permissions.edit ? <Link to={`/answers/${answer.id}/edit`}>{t('Edit')}</Link> : null}
							<span className="byline">
								{answer.author.displayName}
								{answer.author.role === 'cs' || answer.author.role === 'admin' ? <span className="badge role">{t('Staff')}</span> : null} ·{' '}
								<RelativeTime iso={answer.createdAt} />
								{answer.edited ? ` · ${t('edited')}` : ''}
							</span>
						</div>
					</div>
				</section>
			))}

			<section className="card answer-form">
				<h2>{t('Your answer')}</h2>
				{signedIn ? (
					<Form method="post" noValidate>
						<input type="hidden" name="intent" value="answer" />
						<FormError message={result && 'formError' in result && navigation.state === 'idle' ? result.formError : undefined} />
						<MarkdownEditor key={question.answers.length} name="body" label={t('Answer')} error={answerErrors.body} rows={8} maxLength={30_000} />
						<button type="submit" className="button primary" disabled={submittingAnswer}>
							{t('Post your answer')}
						</button>
					</Form>
				) : (
					<p>
						<Link to={`/signin?redirectTo=${encodeURIComponent(question.url)}`}>{t('Sign in to answer')}</Link>
					</p>
				)}
			</section>
		</article>
	)
}

function MeToo({ count, said, canSay, signedIn }: { count: number; said: boolean; canSay: boolean; signedIn: boolean }) {
	const { t } = useTranslation()
	const fetcher = useFetcher<{ count?: number; formError?: string }>()
	const shownCount = fetcher.data?.count ?? count
	const done = said || fetcher.state !== 'idle' || fetcher.data?.count !== undefined
	return (
		<fetcher.Form method="post" className="me-too">
			<input type="hidden" name="intent" value="me-too" />
			<button type="submit" className={done ? 'button small active' : 'button small'} disabled={!canSay || done} title={!signedIn ? t('Sign in to say you have this question too') : undefined}>
				{done ? t('You have this question too') : t('I have this question too')}
			</button>
			<span className="me-too-count" data-testid="me-too-count">
				{t('{{count}} people have this question', { count: shownCount })}
			</span>
		</fetcher.Form>
	)
}
