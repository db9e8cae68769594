import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { createQuestion } from '~/community/questions.server'
import { questionSchema } from '~/community/validation'
import { FormError } from '~/components/form'
import { QuestionFields } from '~/components/question-fields'
import { formResponse, parseInput } from '~/utils/http.server'

export const meta: MetaFunction = () => [{ title: 'Ask a question · Kizuna' }]

export async function loader({ context, request }: LoaderFunctionArgs) {
	if (!context.actor) throw redirect(`/signin?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`)
	return null
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formResponse(async () => {
		const input = parseInput(questionSchema, Object.fromEntries(await request.formData()))
		const question = await createQuestion(context.actor, input)
		return redirect(question.url)
	})
}

export default function Ask() {
	const { t } = useTranslation()
	const result = useActionData<typeof action>()
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="card">
			<h1>{t('Ask a question')}</h1>
			<Form method="post" noValidate>
				<FormError message={result?.formError} />
				<QuestionFields errors={result?.fieldErrors ?? {}} />
				<button type="submit" className="button primary" disabled={busy}>
					{t('Post your question')}
				</button>
			</Form>
		</section>
	)
}
