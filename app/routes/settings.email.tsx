import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { getFormProps } from '@conform-to/react'
import { useTranslation } from 'react-i18next'
import { mailDeliveries, notificationTypes, type MailDelivery, type NotificationType } from '#db/schema'
import { requireSignedIn } from '~/auth/pages.server'
import { ErrorList, FormError, useSchemaForm } from '~/components/form'
import { emailPreferencesOf, preferencesSchema, saveEmailPreferences } from '~/mail/preferences.server'
import { defaultDelivery, deliveryLabels, notificationTypeLabels } from '~/mail/types'
import { parseForm, type FormResult } from '~/utils/form'
import { formAction, pageError } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Email settings'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request)
	try {
		return { email: actor.email, deliveries: await emailPreferencesOf(actor, actor.id), types: notificationTypes as readonly NotificationType[], choices: mailDeliveries as readonly MailDelivery[] }
	} catch (error) {
		pageError(error)
	}
}

export async function action({ request, context }: ActionFunctionArgs) {
	const actor = requireSignedIn(context, request)
	return formAction(parseForm(await request.formData(), preferencesSchema), async (input, submission) => {
		const deliveries = await saveEmailPreferences(actor, actor.id, input)
		return json({ saved: true as const, deliveries, result: submission.reply() })
	})
}

type ActionResult = { saved: true; result: FormResult['result'] } | FormResult

export default function EmailSettings() {
	const { t } = useTranslation()
	const { email, deliveries, types, choices } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>() as ActionResult | undefined
	const busy = useNavigation().state === 'submitting'
	// Checked on the server only: the choices are radio buttons, and the schema's module is the server's.
	const [form, fields] = useSchemaForm<typeof preferencesSchema>(null, { lastResult: result?.result, defaultValue: deliveries })
	return (
		<section className="narrow card email-settings">
			<h2>{t('Email settings')}</h2>
			<p className="muted">{t('Kizuna mails {{email}} about what happens on the questions you asked, answered or follow. Choose for each kind of notification.', { email })}</p>
			<Form method="post" {...getFormProps(form)}>
				<FormError errors={form.errors} />
				{types.map((type) => {
					const field = fields[type]
					return (
						<fieldset key={type} className="field preference" aria-describedby={field.errors?.length ? field.errorId : undefined}>
							<legend>{t(notificationTypeLabels[type])}</legend>
							<div className="choices">
								{choices.map((delivery) => (
									<label key={delivery} className="choice">
										<input type="radio" name={field.name} value={delivery} defaultChecked={(field.initialValue ?? deliveries[type]) === delivery} key={`${field.key}-${delivery}`} />{' '}
										{t(deliveryLabels[delivery])}
										{defaultDelivery[type] === delivery ? <span className="muted"> {t('(default)')}</span> : null}
									</label>
								))}
							</div>
							<ErrorList id={field.errorId} errors={field.errors} />
						</fieldset>
					)
				})}
				<p className="muted">{t('The daily digest is one mail a day with everything set to “In the daily digest” that you have not read yet.')}</p>
				<button type="submit" className="button primary" disabled={busy}>
					{t('Save email settings')}
				</button>
				{result && 'saved' in result && !busy ? (
					<span className="muted" role="status">
						{' '}
						{t('Saved.')}
					</span>
				) : null}
			</Form>
		</section>
	)
}
