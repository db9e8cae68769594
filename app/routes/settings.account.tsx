import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { getFormProps } from '@conform-to/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { startSession } from '~/auth/session.server'
import { FormError, TextField, useSchemaForm } from '~/components/form'
import { changePassword, getSettings, requestEmailChange } from '~/people/settings.server'
import { accountSchema, changeEmailSchema, changePasswordSchema } from '~/people/validation'
import { parseForm } from '~/utils/form'
import { formAction } from '~/utils/http.server'

export async function loader({ context, request }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request)
	const { email, emailVerified, pendingEmail } = await getSettings(actor)
	return { email, emailVerified, pendingEmail }
}

export async function action({ request, context }: ActionFunctionArgs) {
	const formData = await request.formData()
	const intent = formData.get('intent') === 'email' ? 'email' : 'password'
	const answer = await formAction(parseForm(formData, accountSchema), async (input, submission) => {
		if (input.intent === 'password') {
			await changePassword(context.actor, input)
			// Every session ended with the old password; this browser gets a new one.
			return json({ intent, result: submission.reply({ resetForm: true }), done: true }, { headers: { 'Set-Cookie': await startSession(context.actor!.id, context.secure) } })
		}
		await requestEmailChange(context.actor, input)
		return json({ intent, result: submission.reply({ resetForm: true }), done: true })
	})
	return answer
}

export default function AccountSettings() {
	const { t } = useTranslation()
	const { email, emailVerified, pendingEmail } = useLoaderData<typeof loader>()
	const answer = useActionData<typeof action>()
	const sentFor = answer && 'intent' in answer ? answer.intent : (answer?.result.initialValue?.intent as string | undefined)
	const done = answer && 'done' in answer ? answer.intent : null
	const [emailForm, emailFields] = useSchemaForm(changeEmailSchema, { id: 'change-email', lastResult: sentFor === 'email' ? answer?.result : undefined })
	const [passwordForm, passwordFields] = useSchemaForm(changePasswordSchema, { id: 'change-password', lastResult: sentFor === 'email' ? undefined : answer?.result })
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="card">
			<h2>{t('Email address')}</h2>
			<p>
				{emailVerified ? t('Your address is {{email}}.', { email }) : t('Your address is {{email}}; it is not confirmed yet.', { email })}
			</p>
			{pendingEmail ? <p role="status">{t('We sent a link to {{email}}. Your address changes when you open it; until then {{current}} keeps working.', { email: pendingEmail, current: email })}</p> : null}
			<Form method="post" {...getFormProps(emailForm)}>
				<input type="hidden" name="intent" value="email" />
				{done === 'email' ? null : <FormError errors={emailForm.errors} />}
				<TextField field={emailFields.email} type="email" label={t('New email address')} autoComplete="email" />
				<TextField field={emailFields.currentPassword} type="password" label={t('Current password')} autoComplete="current-password" />
				<button type="submit" className="button" disabled={busy}>
					{t('Change email address')}
				</button>
			</Form>

			<h2>{t('Password')}</h2>
			<Form method="post" {...getFormProps(passwordForm)}>
				<input type="hidden" name="intent" value="password" />
				{done === 'password' ? <p role="status">{t('Your password is changed. You were signed out everywhere else.')}</p> : <FormError errors={passwordForm.errors} />}
				<TextField field={passwordFields.currentPassword} type="password" label={t('Current password')} autoComplete="current-password" />
				<TextField field={passwordFields.newPassword} type="password" label={t('New password')} autoComplete="new-password" hint={t('At least 8 characters')} />
				<button type="submit" className="button" disabled={busy}>
					{t('Change password')}
				</button>
			</Form>
		</section>
	)
}
