import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { FollowButton } from '~/components/follow-button'
import { Pager } from '~/components/pager'
import { listFollowing } from '~/notifications/following.server'
import { pageError } from '~/utils/http.server'
import { readPage } from '~/utils/paging'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Following'))

export async function loader({ request, context }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request)
	return listFollowing(actor, readPage(new URL(request.url).searchParams)).catch(pageError)
}

export default function Following() {
	const { t } = useTranslation()
	const { questions, questionPage, tags } = useLoaderData<typeof loader>()
	return (
		<section className="following-page">
			<h2>{t('Following')}</h2>
			<h3>{t('Tags')}</h3>
			{tags.length === 0 ? (
				<p className="empty">{t('You follow no tags. Follow one from its list of questions to hear of every new question in it.')}</p>
			) : (
				<ul className="following-list" data-testid="followed-tags">
					{tags.map((tag) => (
						<li key={tag}>
							<Link to={`/questions?tag=${encodeURIComponent(tag)}`} className="tag">
								{tag}
							</Link>{' '}
							<FollowButton target={{ kind: 'tag', tag }} following />
						</li>
					))}
				</ul>
			)}
			<h3>{t('Questions')}</h3>
			{questions.length === 0 ? (
				<p className="empty">{t('You follow no questions. You follow the ones you ask, answer or have too.')}</p>
			) : (
				<ul className="following-list" data-testid="followed-questions">
					{questions.map((question) => (
						<li key={question.id}>
							<Link to={question.url}>{question.title}</Link> {question.solved ? <span className="badge solved">{t('Solved')}</span> : null}{' '}
							<FollowButton target={{ kind: 'question', questionId: question.id }} following />
						</li>
					))}
				</ul>
			)}
			<Pager info={questionPage} />
		</section>
	)
}
