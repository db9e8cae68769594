import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { getFormProps } from '@conform-to/react'
import { useTranslation } from 'react-i18next'
import { limit } from '~/auth/rate-limit.server'
import { FormError, TextField, useSchemaForm } from '~/components/form'
import { requestPasswordReset } from '~/people/recovery.server'
import { forgotPasswordSchema } from '~/people/validation'
import { parseForm } from '~/utils/form'
import { formAction } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Forgot password'))

/**
 * Every answer takes at least this long, whether or not an account uses the
 * address (a mail is queued only for one that does), so timing does not tell them apart.
 */
const ANSWER_AFTER_MS = 400

export async function loader({ context }: LoaderFunctionArgs) {
	if (context.actor) throw redirect('/settings/account')
	return null
}

export async function action({ request, context }: ActionFunctionArgs) {
	const started = performance.now()
	return formAction(parseForm(await request.formData(), forgotPasswordSchema), async (input) => {
		await limit('passwordResetAddress', context.clientIp)
		await limit('passwordResetEmail', input.email)
		await requestPasswordReset(input.email)
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, ANSWER_AFTER_MS - (performance.now() - started))))
		return json({ sent: input.email })
	})
}

export default function ForgotPassword() {
	const { t } = useTranslation()
	const answer = useActionData<typeof action>()
	const [form, fields] = useSchemaForm(forgotPasswordSchema, { lastResult: answer && 'result' in answer ? answer.result : undefined })
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="narrow card">
			<h1>{t('Forgot your password?')}</h1>
			{answer && 'sent' in answer ? (
				<p role="status">{t('If an account uses {{email}}, we sent a link to it. The link works once, for one hour.', { email: answer.sent })}</p>
			) : (
				<Form method="post" {...getFormProps(form)}>
					<p>{t('Enter the email address of your account and we will send you a link to choose a new password.')}</p>
					<FormError errors={form.errors} />
					<TextField field={fields.email} type="email" label={t('Email')} autoComplete="email" />
					<button type="submit" className="button primary" disabled={busy}>
						{t('Send the link')}
					</button>
				</Form>
			)}
			<p>
				<Link to="/signin">{t('Back to sign in')}</Link>
			</p>
		</section>
	)
}
