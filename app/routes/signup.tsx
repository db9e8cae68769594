import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { limit } from '~/auth/rate-limit.server'
import { startSession } from '~/auth/session.server'
import { signUp } from '~/auth/users.server'
import { signUpSchema } from '~/auth/validation'
import { FormError, TextField } from '~/components/form'
import { formResponse, parseInput } from '~/utils/http.server'

export const meta: MetaFunction = () => [{ title: 'Sign up · Kizuna' }]

export async function loader({ context }: LoaderFunctionArgs) {
	if (context.actor) throw redirect('/')
	return null
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formResponse(async () => {
		const input = parseInput(signUpSchema, Object.fromEntries(await request.formData()))
		await limit('signUp', context.clientIp)
		const user = await signUp(input)
		return redirect('/', { headers: { 'Set-Cookie': await startSession(user.id, context.secure) } })
	})
}

export default function SignUp() {
	const { t } = useTranslation()
	const result = useActionData<typeof action>()
	const errors = result && 'fieldErrors' in result ? result.fieldErrors : {}
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="narrow card">
			<h1>{t('Create your account')}</h1>
			<Form method="post" noValidate>
				<FormError message={result && 'formError' in result ? result.formError : undefined} />
				<TextField name="displayName" label={t('Name')} autoComplete="name" error={errors.displayName} />
				<TextField name="email" type="email" label={t('Email')} autoComplete="email" error={errors.email} />
				<TextField name="password" type="password" label={t('Password')} autoComplete="new-password" error={errors.password} hint={t('At least 8 characters')} />
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
