import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { getFormProps } from '@conform-to/react'
import { useTranslation } from 'react-i18next'
import { limit } from '~/auth/rate-limit.server'
import { startSession } from '~/auth/session.server'
import { FormError, TextField, useSchemaForm } from '~/components/form'
import { resetPassword } from '~/people/recovery.server'
import { tokenRefusal, tokenState } from '~/people/tokens.server'
import { resetPasswordSchema } from '~/people/validation'
import { welcomeCookie } from '~/people/welcome.server'
import { parseForm } from '~/utils/form'
import { formAction } from '~/utils/http.server'
import { ssoConfig } from '~/sso/config.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Choose a new password'))

export async function loader({ params }: LoaderFunctionArgs) {
	const state = await tokenState(params.token ?? '', 'password_reset')
	if (state === 'valid') return json({ problem: null })
	const refusal = tokenRefusal(state)
	return json({ problem: refusal.message }, { status: refusal.status })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), resetPasswordSchema), async (input) => {
		await limit('passwordResetAddress', context.clientIp)
		const { userId } = await resetPassword(params.token ?? '', input.password, ssoConfig().loginUrl)
		const headers = new Headers()
		headers.append('Set-Cookie', await startSession(userId, context.secure))
		headers.append('Set-Cookie', welcomeCookie('password', context.secure))
		return redirect('/', { headers })
	})
}

export default function ResetPassword() {
	const { t } = useTranslation()
	const { problem } = useLoaderData<typeof loader>()
	const [form, fields] = useSchemaForm(resetPasswordSchema, { lastResult: useActionData<typeof action>()?.result })
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="narrow card">
			<h1>{t('Choose a new password')}</h1>
			{problem ? (
				<>
					<FormError errors={[problem]} />
					<p>
						<Link to="/forgot-password">{t('Get a new link')}</Link>
					</p>
				</>
			) : (
				<Form method="post" {...getFormProps(form)}>
					<FormError errors={form.errors} />
					<TextField field={fields.password} type="password" label={t('New password')} autoComplete="new-password" hint={t('At least 8 characters')} />
					<button type="submit" className="button primary" disabled={busy}>
						{t('Save the new password')}
					</button>
				</Form>
			)}
		</section>
	)
}
