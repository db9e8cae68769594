import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { questionRevisions } from '~/community/questions.server'
import { RevisionChanges } from '~/components/diff-text'
import { RelativeTime } from '~/components/relative-time'
import { pageError, routeId } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Revision history'))

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request)
	const id = routeId(params.id)
	try {
		return await questionRevisions(context.actor, id)
	} catch (error) {
		pageError(error)
	}
}

export default function Revisions() {
	const { t } = useTranslation()
	const { question, revisions } = useLoaderData<typeof loader>()
	return (
		<section>
			<h1>{t('Revision history')}</h1>
			<p>
				<Link to={question.url}>{question.title}</Link>
			</p>
			<ol className="revisions">
				{revisions.map((revision) => (
					<li key={revision.id} className="card" data-testid="revision">
						<p className="muted">
							{revision.postType === 'question' ? t('Question') : t('Answer')} · {revision.editor.displayName} · <RelativeTime iso={revision.createdAt} />
						</p>
						{revision.changes === null ? (
							<>
								{revision.title ? <h3>{revision.title}</h3> : null}
								<pre className="revision-body">{revision.body}</pre>
								{revision.tags.length > 0 ? <p className="muted">{revision.tags.join(', ')}</p> : null}
							</>
						) : (
							<QuestionRevisionChanges changes={revision.changes} postType={revision.postType} />
						)}
					</li>
				))}
			</ol>
		</section>
	)
}

type Changes = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['revisions'][number]['changes']>

/** What a save changed, word by word, against the save before it of the same post. */
function QuestionRevisionChanges({ changes, postType }: { changes: Changes; postType: 'question' | 'answer' }) {
	const { t } = useTranslation()
	return (
		<RevisionChanges
			rows={[
				changes.title ? { label: t('Title'), diff: changes.title, testId: 'title-diff' } : null,
				changes.body ? { label: postType === 'question' ? t('Details') : t('Answer'), diff: changes.body, body: true, testId: 'body-diff' } : null,
				changes.tags ? { label: t('Tags'), diff: changes.tags, testId: 'tags-diff' } : null,
			]}
		/>
	)
}
