import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { limit } from '~/auth/rate-limit.server'
import { startSession } from '~/auth/session.server'
import { signUp } from '~/auth/users.server'
import { signUpSchema } from '~/auth/validation'
import { getFormProps } from '@conform-to/react'
import { FormError, TextField, useSchemaForm } from '~/components/form'
import { parseForm } from '~/utils/form'
import { formAction } from '~/utils/http.server'

export const meta: MetaFunction = () => [{ title: 'Sign up · Kizuna' }]

export async function loader({ context }: LoaderFunctionArgs) {
	if (context.actor) throw redirect('/')
	return null
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), signUpSchema), async (input) => {
		await limit('signUp', context.clientIp)
		const user = await signUp(input)
		return redirect('/', { headers: { 'Set-Cookie': await startSession(user.id, context.secure) } })
	})
}

export default function SignUp() {
	const { t } = useTranslation()
	const [form, fields] = useSchemaForm(signUpSchema, { lastResult: useActionData<typeof action>()?.result })
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="narrow card">
			<h1>{t('Create your account')}</h1>
			<Form method="post" {...getFormProps(form)}>
				<FormError errors={form.errors} />
				<TextField field={fields.displayName} label={t('Name')} autoComplete="name" />
				<TextField field={fields.email} type="email" label={t('Email')} autoComplete="email" />
				<TextField field={fields.password} type="password" label={t('Password')} autoComplete="new-password" hint={t('At least 8 characters')} />
				<button type="submit" className="button primary" disabled={busy}>
					{t('Sign up')}
				</button>
			</Form>
			<p>
				{t('Already have an account?')} <Link to="/signin">{t('Sign in')}</Link>
			</p>
		</section>
	)
}
