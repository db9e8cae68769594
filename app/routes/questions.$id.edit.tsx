import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { authorize } from '~/auth/permissions.server'
import { getQuestionThread, updateQuestion } from '~/community/questions.server'
import { questionSchema } from '~/community/validation'
import { getFormProps } from '@conform-to/react'
import { FormError, useSchemaForm } from '~/components/form'
import { QuestionFields } from '~/components/question-fields'
import { parseForm } from '~/utils/form'
import { formAction, idParam, pageError, parseInput, routeId } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Edit question'))

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request)
	const id = routeId(params.id)
	const question = await getQuestionThread(id, context.actor).catch(pageError)
	try {
		authorize(context.actor, 'post:edit', { authorId: question.author.id })
	} catch (error) {
		pageError(error)
	}
	return { question: { id: question.id, title: question.title, body: question.body, tags: question.tags.join(', '), language: question.language, url: question.url } }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), questionSchema), async (input) => {
		const id = parseInput(idParam, params.id)
		const question = await updateQuestion(context.actor, id, input)
		return redirect(question.url)
	})
}

export default function EditQuestion() {
	const { t } = useTranslation()
	const { question } = useLoaderData<typeof loader>()
	const [form, fields] = useSchemaForm(questionSchema, { lastResult: useActionData<typeof action>()?.result, defaultValue: question })
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="card">
			<h1>{t('Edit question')}</h1>
			<Form method="post" {...getFormProps(form)}>
				<FormError errors={form.errors} />
				<QuestionFields fields={fields} />
				<div className="actions">
					<button type="submit" className="button primary" disabled={busy}>
						{t('Save changes')}
					</button>
					<Link to={question.url}>{t('Cancel')}</Link>
				</div>
			</Form>
		</section>
	)
}
