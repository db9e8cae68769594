import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { limit } from '~/auth/rate-limit.server'
import { startSession } from '~/auth/session.server'
import { signUpSchema } from '~/auth/validation'
import { signUpPerson } from '~/people/verification.server'
import { welcomeCookie } from '~/people/welcome.server'
import { getFormProps } from '@conform-to/react'
import { FormError, TextField, useSchemaForm } from '~/components/form'
import { parseForm } from '~/utils/form'
import { formAction } from '~/utils/http.server'
import { safeRedirect } from '~/utils/redirect'
import { productLoginUrl, ssoConfig } from '~/sso/config.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Sign up'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	const returnTo = safeRedirect(new URL(request.url).searchParams.get('redirectTo'))
	if (context.actor) throw redirect(returnTo)
	// With single sign-on, people come from the product: signing in there creates them here.
	const { loginUrl } = ssoConfig()
	if (loginUrl) throw redirect(productLoginUrl(loginUrl, returnTo))
	return null
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), signUpSchema), async (input) => {
		await limit('signUp', context.clientIp)
		const user = await signUpPerson(input, context.locale, ssoConfig().loginUrl)
		const headers = new Headers()
		headers.append('Set-Cookie', await startSession(user.id, context.secure))
		headers.append('Set-Cookie', welcomeCookie(user.role === 'admin' ? 'admin' : 'member', context.secure))
		return redirect(safeRedirect(input.redirectTo), { headers })
	})
}

export default function SignUp() {
	const { t } = useTranslation()
	const [params] = useSearchParams()
	const redirectTo = params.get('redirectTo')
	const [form, fields] = useSchemaForm(signUpSchema, { lastResult: useActionData<typeof action>()?.result })
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="narrow card">
			<h1>{t('Create your account')}</h1>
			<Form method="post" {...getFormProps(form)}>
				<FormError errors={form.errors} />
				<input type="hidden" name={fields.redirectTo.name} value={redirectTo ?? '/'} />
				<TextField field={fields.displayName} label={t('Name')} autoComplete="name" />
				<TextField field={fields.email} type="email" label={t('Email')} autoComplete="email" />
				<TextField field={fields.password} type="password" label={t('Password')} autoComplete="new-password" hint={t('At least 8 characters')} />
				<button type="submit" className="button primary" disabled={busy}>
					{t('Sign up')}
				</button>
			</Form>
			<p>
				{t('Already have an account?')} <Link to={redirectTo ? `/signin?redirectTo=${encodeURIComponent(redirectTo)}` : '/signin'}>{t('Sign in')}</Link>
			</p>
		</section>
	)
}
