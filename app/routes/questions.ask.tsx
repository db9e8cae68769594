import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useNavigation } from '@remix-run/react'
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { createQuestion } from '~/community/questions.server'
import { recordActivity } from '~/insights/events.server'
import { placeFrom } from '~/utils/event-place'
import { questionSchema } from '~/community/validation'
import { getFormProps } from '@conform-to/react'
import { FormError, useSchemaForm } from '~/components/form'
import { QuestionFields } from '~/components/question-fields'
import { DegradedSearchNotice } from '~/components/search-notice'
import type { SearchHit } from '#search/request'
import { parseForm } from '~/utils/form'
import { formAction } from '~/utils/http.server'
import { detectLanguage } from '~/utils/limits'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Ask a question'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request)
	// `?channel=widget&page=…` when the help widget opened it: the form posts back to this address.
	await recordActivity({ actor: context.actor, visitorId: context.visitorId, place: placeFrom(new URL(request.url).searchParams) }, { type: 'ask_form_opened' })
	return null
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), questionSchema), async (input) => {
		const question = await createQuestion(context.actor, input, undefined, placeFrom(new URL(request.url).searchParams))
		return redirect(question.url)
	})
}

export default function Ask() {
	const { t } = useTranslation()
	const [form, fields] = useSchemaForm(questionSchema, { lastResult: useActionData<typeof action>()?.result })
	const busy = useNavigation().state === 'submitting'
	const suggestions = useFetcher<{ hits: SearchHit[]; degraded: boolean }>()
	const timer = useRef<ReturnType<typeof setTimeout>>()
	const [detected, setDetected] = useState<ReturnType<typeof detectLanguage> | null>(null)
	function onTitleChange(title: string) {
		setDetected(title.trim() === '' ? null : detectLanguage(title))
		clearTimeout(timer.current)
		timer.current = setTimeout(() => {
			if (title.trim().length >= 3) suggestions.load(`/resources/search-suggest?scope=answers&q=${encodeURIComponent(title.trim())}`)
		}, 250)
	}
	const hits = suggestions.data?.hits ?? []
	return (
		<section className="card">
			<h1>{t('Ask a question')}</h1>
			<Form method="post" {...getFormProps(form)}>
				<FormError errors={form.errors} />
				<QuestionFields
					fields={fields}
					onTitleChange={onTitleChange}
					detectedLanguage={detected}
					afterTitle={
						hits.length > 0 ? (
					<aside className="deflection" aria-label={t('Similar questions and articles')} data-testid="ask-suggestions">
						<p>{t('These may already answer your question:')}</p>
						{suggestions.data?.degraded ? <DegradedSearchNotice /> : null}
						<ul>
							{hits.map((hit) => (
								<li key={`${hit.type}-${hit.id}`}>
									<span className="badge type">{t(`type.${hit.type}`)}</span>
									<Link to={`${hit.url}?from=ask`} target="_blank" dangerouslySetInnerHTML={{ __html: hit.highlightedTitle }} />
								</li>
							))}
						</ul>
					</aside>
						) : null
					}
				/>
				<button type="submit" className="button primary" disabled={busy}>
					{t('Post your question')}
				</button>
			</Form>
		</section>
	)
}
