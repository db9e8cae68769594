import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { getFormProps } from '@conform-to/react'
import { FormError, useSchemaForm } from '~/components/form'
import { emptyStep, TutorialFields, tutorialFormSchema } from '~/components/tutorial-form'
import { getTutorialForEdit, updateTutorial } from '~/knowledge/tutorials.server'
import { parseForm } from '~/utils/form'
import { formAction, idParam, pageError, parseInput, routeId } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Edit tutorial'))

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request)
	const id = routeId(params.id)
	return getTutorialForEdit(context.actor, id).catch(pageError)
}

export async function action({ request, params, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), tutorialFormSchema), async (input) => {
		const id = parseInput(idParam, params.id)
		const tutorial = await updateTutorial(context.actor, id, input)
		return redirect(tutorial.url)
	})
}

export default function EditTutorial() {
	const { t } = useTranslation()
	const tutorial = useLoaderData<typeof loader>()
	const [form, fields] = useSchemaForm(tutorialFormSchema, { lastResult: useActionData<typeof action>()?.result, defaultValue: { ...tutorial.values, published: tutorial.values.published ? 'on' : '' } })
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="card">
			<h1>{t('Edit tutorial')}</h1>
			<Form method="post" className="tutorial-form" {...getFormProps(form)}>
				<FormError errors={form.errors} />
				<TutorialFields form={form} fields={fields} />
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
