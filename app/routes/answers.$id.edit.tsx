import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { getAnswerForEdit, updateAnswer } from '~/community/questions.server'
import { answerSchema } from '~/community/validation'
import { getFormProps } from '@conform-to/react'
import { FormError, useSchemaForm } from '~/components/form'
import { MarkdownEditor } from '~/components/markdown-editor'
import { PostLanguageField } from '~/components/language-fields'
import { parseForm } from '~/utils/form'
import { formAction, idParam, pageError, parseInput, routeId } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Edit answer'))

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
	return formAction(parseForm(await request.formData(), answerSchema), async (input) => {
		const id = parseInput(idParam, params.id)
		const answer = await updateAnswer(context.actor, id, input)
		return redirect(answer.url)
	})
}

export default function EditAnswer() {
	const { t } = useTranslation()
	const { answer } = useLoaderData<typeof loader>()
	const [form, fields] = useSchemaForm(answerSchema, { lastResult: useActionData<typeof action>()?.result, defaultValue: { body: answer.body, language: answer.language } })
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="card">
			<h1>{t('Edit answer')}</h1>
			<p>
				{t('On')} <Link to={answer.question.url}>{answer.question.title}</Link>
			</p>
			<Form method="post" {...getFormProps(form)}>
				<FormError errors={form.errors} />
				<MarkdownEditor field={fields.body} label={t('Answer')} maxLength={30_000} />
				<PostLanguageField field={fields.language} />
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
