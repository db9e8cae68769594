import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { FormError } from '~/components/form'
import { TutorialFields } from '~/components/tutorial-form'
import { getTutorialForEdit, readTutorialForm, updateTutorial } from '~/knowledge/tutorials.server'
import { tutorialSchema } from '~/knowledge/validation'
import { formResponse, idParam, pageError, parseInput, routeId } from '~/utils/http.server'

export const meta: MetaFunction = () => [{ title: 'Edit tutorial · Kizuna' }]

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request)
	const id = routeId(params.id)
	return getTutorialForEdit(context.actor, id).catch(pageError)
}

export async function action({ request, params, context }: ActionFunctionArgs) {
	return formResponse(async () => {
		const id = parseInput(idParam, params.id)
		const input = parseInput(tutorialSchema, readTutorialForm(await request.formData()))
		const tutorial = await updateTutorial(context.actor, id, input)
		return redirect(tutorial.url)
	})
}

export default function EditTutorial() {
	const { t } = useTranslation()
	const tutorial = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="card">
			<h1>{t('Edit tutorial')}</h1>
			<Form method="post" noValidate className="tutorial-form">
				<FormError message={result?.formError} />
				<TutorialFields defaults={tutorial.values} errors={result?.fieldErrors ?? {}} />
				<div className="actions">
					<button type="submit" className="button primary" disabled={busy}>
						{t('Save changes')}
					</button>
					<Link to={tutorial.url}>{t('Cancel')}</Link>
				</div>
			</Form>
		</section>
	)
}
