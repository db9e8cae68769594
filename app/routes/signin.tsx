import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { limit } from '~/auth/rate-limit.server'
import { startSession } from '~/auth/session.server'
import { authenticate } from '~/auth/users.server'
import { signInSchema } from '~/auth/validation'
import { FormError, TextField } from '~/components/form'
import { DomainError } from '~/utils/errors.server'
import { formResponse, parseInput } from '~/utils/http.server'
import { safeRedirect } from '~/utils/redirect'

export const meta: MetaFunction = () => [{ title: 'Sign in · Kizuna' }]

export async function loader({ context, request }: LoaderFunctionArgs) {
	if (context.actor) throw redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo')))
	return null
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formResponse(async () => {
		const input = parseInput(signInSchema, Object.fromEntries(await request.formData()))
		await limit('signInAddress', context.clientIp)
		await limit('signInAccount', input.email.toLowerCase())
		const user = await authenticate(input.email, input.password)
		if (!user) throw new DomainError('invalid', 'Email or password is incorrect')
		return redirect(safeRedirect(input.redirectTo), { headers: { 'Set-Cookie': await startSession(user.id, context.secure) } })
	})
}

export default function SignIn() {
	const { t } = useTranslation()
	const result = useActionData<typeof action>()
	const [params] = useSearchParams()
	const errors = result && 'fieldErrors' in result ? result.fieldErrors : {}
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="narrow card">
			<h1>{t('Sign in')}</h1>
			<Form method="post" noValidate>
				<FormError message={result && 'formError' in result ? result.formError : undefined} />
				<input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? '/'} />
				<TextField name="email" type="email" label={t('Email')} autoComplete="email" error={errors.email} />
				<TextField name="password" type="password" label={t('Password')} autoComplete="current-password" error={errors.password} />
				<button type="submit" className="button primary" disabled={busy}>
					{t('Sign in')}
				</button>
			</Form>
			<p>
				{t('New here?')} <Link to="/signup">{t('Create an account')}</Link>
			</p>
		</section>
	)
}
