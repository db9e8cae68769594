import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { FormError } from '~/components/form'
import { TutorialFields } from '~/components/tutorial-form'
import { createTutorial, readTutorialForm } from '~/knowledge/tutorials.server'
import { tutorialSchema } from '~/knowledge/validation'
import { formResponse, parseInput } from '~/utils/http.server'

export const meta: MetaFunction = () => [{ title: 'New tutorial · Kizuna' }]

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request, 'knowledge:manage')
	return null
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formResponse(async () => {
		const input = parseInput(tutorialSchema, readTutorialForm(await request.formData()))
		const tutorial = await createTutorial(context.actor, input)
		return redirect(tutorial.url)
	})
}

export default function NewTutorial() {
	const { t } = useTranslation()
	const result = useActionData<typeof action>()
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="card">
			<h1>{t('New tutorial')}</h1>
			<Form method="post" noValidate className="tutorial-form">
				<FormError message={result?.formError} />
				<TutorialFields errors={result?.fieldErrors ?? {}} />
				<div className="actions">
					<button type="submit" className="button primary" disabled={busy}>
						{t('Create tutorial')}
					</button>
					<Link to="/tutorials">{t('Cancel')}</Link>
				</div>
			</Form>
		</section>
	)
}
