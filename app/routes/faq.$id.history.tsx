import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { z } from 'zod'
import { RevisionChanges } from '~/components/diff-text'
import { FormError } from '~/components/form'
import { resultErrors } from '~/utils/form'
import { RelativeTime } from '~/components/relative-time'
import { faqHistory } from '~/knowledge/faq-revisions.server'
import { restoreFaqRevision } from '~/knowledge/faqs.server'
import { formResponse, idParam, pageError, parseInput, routeId } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('FAQ history'))

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request)
	const id = routeId(params.id)
	try {
		return await faqHistory(context.actor, id)
	} catch (error) {
		pageError(error)
	}
}

export async function action({ request, params, context }: ActionFunctionArgs) {
	const form = Object.fromEntries(await request.formData())
	return formResponse(async () => {
		const id = parseInput(idParam, params.id)
		const { revisionId } = parseInput(z.object({ revisionId: idParam }), form)
		const faq = await restoreFaqRevision(context.actor, id, revisionId)
		return redirect(faq.url)
	})
}

const languageName = (language: string) => (language === 'ja' ? '日本語' : 'English')

export default function FaqHistory() {
	const { t } = useTranslation()
	const { faq, revisions } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const busy = useNavigation().state !== 'idle'
	return (
		<section>
			<h1>{t('Revision history')}</h1>
			<p>
				<Link to={faq.url}>{faq.title}</Link>
			</p>
			<FormError errors={resultErrors(result?.result)} />
			<ol className="revisions faq-revisions">
				{revisions.map((revision) => (
					<li key={revision.id} className="card" data-testid="revision">
						<div className="faq-revision-heading">
							<p className="muted">
								{t('Revision {{number}}', { number: revision.number })} · {revision.editor ?? t('Support team')} · <RelativeTime iso={revision.createdAt} />
								{revision.current ? <span className="badge solved">{t('Current')}</span> : null}
								{revision.published ? null : <span className="badge draft">{t('Draft')}</span>}
							</p>
							{revision.current ? null : (
								<Form method="post" className="inline-form">
									<input type="hidden" name="revisionId" value={revision.id} />
									<button type="submit" className="button small" disabled={busy}>
										{t('Restore this version')}
									</button>
								</Form>
							)}
						</div>
						{revision.changes === null ? (
							<>
								<h3>{revision.title}</h3>
								<pre className="revision-body">{revision.body}</pre>
							</>
						) : (
							<FaqRevisionChanges changes={revision.changes} />
						)}
					</li>
				))}
			</ol>
		</section>
	)
}

type Changes = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['revisions'][number]['changes']>

function FaqRevisionChanges({ changes }: { changes: Changes }) {
	const { t } = useTranslation()
	const uncategorised = t('Uncategorised')
	return (
		<RevisionChanges
			rows={[
				changes.published !== null ? { label: t('Status'), content: changes.published ? t('Published') : t('Unpublished') } : null,
				changes.title ? { label: t('Question'), diff: changes.title, testId: 'title-diff' } : null,
				changes.body ? { label: t('Answer'), diff: changes.body, body: true, testId: 'body-diff' } : null,
				changes.category
					? {
							label: t('Category'),
							content: (
								<>
									<del>{changes.category.from ?? uncategorised}</del> → <ins>{changes.category.to ?? uncategorised}</ins>
								</>
							),
						}
					: null,
				changes.tags ? { label: t('Tags'), diff: changes.tags } : null,
				changes.language
					? {
							label: t('Language'),
							content: (
								<>
									<del>{languageName(changes.language.from)}</del> → <ins>{languageName(changes.language.to)}</ins>
								</>
							),
						}
					: null,
			]}
		/>
	)
}
