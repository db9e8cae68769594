import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { getFormProps } from '@conform-to/react'
import { FormError, useSchemaForm } from '~/components/form'
import { emptyStep, TutorialFields, tutorialFormSchema } from '~/components/tutorial-form'
import { createTutorial } from '~/knowledge/tutorials.server'
import { parseForm } from '~/utils/form'
import { formAction } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('New tutorial'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request, 'knowledge:manage')
	return null
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), tutorialFormSchema), async (input) => {
		const tutorial = await createTutorial(context.actor, input)
		return redirect(tutorial.url)
	})
}

export default function NewTutorial() {
	const { t } = useTranslation()
	const { i18n } = useTranslation()
	const [form, fields] = useSchemaForm(tutorialFormSchema, {
		lastResult: useActionData<typeof action>()?.result,
		defaultValue: { estimatedMinutes: 5, phase: 'onboarding', language: i18n.language === 'ja' ? 'ja' : 'en', position: 0, steps: [emptyStep] },
	})
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="card">
			<h1>{t('New tutorial')}</h1>
			<Form method="post" className="tutorial-form" {...getFormProps(form)}>
				<FormError errors={form.errors} />
				<TutorialFields form={form} fields={fields} />
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
