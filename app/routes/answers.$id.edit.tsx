import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { getAnswerForEdit, updateAnswer } from '~/community/questions.server'
import { answerSchema } from '~/community/validation'
import { FormError } from '~/components/form'
import { MarkdownEditor } from '~/components/markdown-editor'
import { formResponse, idParam, pageError, parseInput, routeId } from '~/utils/http.server'

export const meta: MetaFunction = () => [{ title: 'Edit answer · Kizuna' }]

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request)
	const id = routeId(params.id)
	try {
		return { answer: await getAnswerForEdit(context.actor, id) }
	} catch (error) {
		pageError(error)
	}
}

export async function action({ request, params, context }: ActionFunctionArgs) {
	return formResponse(async () => {
		const id = parseInput(idParam, params.id)
		const { body } = parseInput(answerSchema, Object.fromEntries(await request.formData()))
		const answer = await updateAnswer(context.actor, id, body)
		return redirect(answer.url)
	})
}

export default function EditAnswer() {
	const { t } = useTranslation()
	const { answer } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="card">
			<h1>{t('Edit answer')}</h1>
			<p>
				{t('On')} <Link to={answer.question.url}>{answer.question.title}</Link>
			</p>
			<Form method="post" noValidate>
				<FormError message={result?.formError} />
				<MarkdownEditor name="body" label={t('Answer')} defaultValue={answer.body} error={result?.fieldErrors?.body} maxLength={30_000} />
				<div className="actions">
					<button type="submit" className="button primary" disabled={busy}>
						{t('Save changes')}
					</button>
					<Link to={answer.question.url}>{t('Cancel')}</Link>
				</div>
			</Form>
		</section>
	)
}
