import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { questionRevisions } from '~/community/questions.server'
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
						{revision.title ? <h3>{revision.title}</h3> : null}
						<pre className="revision-body">{revision.body}</pre>
						{revision.tags.length > 0 ? <p className="muted">{revision.tags.join(' ')}</p> : null}
					</li>
				))}
			</ol>
		</section>
	)
}
