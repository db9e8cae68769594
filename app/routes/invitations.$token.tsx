import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { getFormProps } from '@conform-to/react'
import { useTranslation } from 'react-i18next'
import { limit } from '~/auth/rate-limit.server'
import { startSession } from '~/auth/session.server'
import { FormError, SelectField, TextField, useSchemaForm } from '~/components/form'
import { acceptInvitation, invitationFor } from '~/people/invitations.server'
import { acceptInvitationSchema } from '~/people/validation'
import { welcomeCookie } from '~/people/welcome.server'
import { asDomainError } from '~/utils/errors.server'
import { parseForm } from '~/utils/form'
import { formAction } from '~/utils/http.server'
import { ssoConfig } from '~/sso/config.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Accept the invitation'))

export async function loader({ params }: LoaderFunctionArgs) {
	try {
		return json({ invited: await invitationFor(params.token ?? ''), problem: null })
	} catch (error) {
		const refusal = asDomainError(error)
		if (!refusal) throw error
		return json({ invited: null, problem: refusal.message }, { status: refusal.status })
	}
}

export async function action({ request, context, params }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), acceptInvitationSchema), async (input) => {
		// Choosing a password hashes it: counted with the other passwords set through a link.
		await limit('passwordResetAddress', context.clientIp)
		const { userId } = await acceptInvitation(params.token ?? '', input, ssoConfig().loginUrl)
		const headers = new Headers()
		headers.append('Set-Cookie', await startSession(userId, context.secure))
		headers.append('Set-Cookie', welcomeCookie('member', context.secure))
		return redirect('/', { headers })
	})
}

export default function AcceptInvitation() {
	const { t } = useTranslation()
	const { invited, problem } = useLoaderData<typeof loader>()
	const [form, fields] = useSchemaForm(acceptInvitationSchema, { lastResult: useActionData<typeof action>()?.result })
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="narrow card">
			<h1>{t('Accept the invitation')}</h1>
			{invited ? (
				<Form method="post" {...getFormProps(form)}>
					<p>{t('You join this community as {{email}}. Choose how you are named and your password.', { email: invited.email })}</p>
					<FormError errors={form.errors} />
					<TextField field={fields.displayName} label={t('Name')} defaultValue={invited.displayName} autoComplete="name" maxLength={60} />
					<TextField field={fields.password} type="password" label={t('Password')} autoComplete="new-password" hint={t('At least 8 characters')} />
					<SelectField field={fields.locale} label={t('Language')} defaultValue={invited.locale} options={[{ value: 'en', label: 'English' }, { value: 'ja', label: '日本語' }]} />
					<button type="submit" className="button primary" disabled={busy}>
						{t('Join')}
					</button>
				</Form>
			) : (
				<>
					<FormError errors={problem ? [problem] : null} />
					<p>{t('Ask the admin who invited you for a new invitation.')}</p>
				</>
			)}
		</section>
	)
}
