import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { limit } from '~/auth/rate-limit.server'
import { startSession } from '~/auth/session.server'
import { authenticate } from '~/auth/users.server'
import { signInSchema } from '~/auth/validation'
import { getFormProps } from '@conform-to/react'
import { FormError, TextField, useSchemaForm } from '~/components/form'
import { DomainError } from '~/utils/errors.server'
import { parseForm } from '~/utils/form'
import { formAction } from '~/utils/http.server'
import { welcomeCookie } from '~/people/welcome.server'
import { safeRedirect } from '~/utils/redirect'
import { loadConfig } from '~/config.server'
import { oidcClientFrom } from '~/sso/oidc.server'

export const meta: MetaFunction = () => [{ title: 'Sign in · Kizuna' }]

export async function loader({ context, request }: LoaderFunctionArgs) {
	if (context.actor) throw redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo')))
	const config = loadConfig()
	return { oidc: oidcClientFrom(config) ? { name: config.KIZUNA_OIDC_NAME ?? null } : null }
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), signInSchema), async (input) => {
		await limit('signInAddress', context.clientIp)
		await limit('signInAccount', input.email.toLowerCase())
		const user = await authenticate(input.email, input.password)
		if (!user) throw new DomainError('invalid', 'Email or password is incorrect')
		const headers = new Headers()
		headers.append('Set-Cookie', await startSession(user.id, context.secure))
		headers.append('Set-Cookie', welcomeCookie('back', context.secure))
		return redirect(safeRedirect(input.redirectTo), { headers })
	})
}

export default function SignIn() {
	const { t } = useTranslation()
	const [params] = useSearchParams()
	const redirectTo = params.get('redirectTo')
	const [form, fields] = useSchemaForm(signInSchema, { lastResult: useActionData<typeof action>()?.result })
	const busy = useNavigation().state === 'submitting'
	const { oidc } = useLoaderData<typeof loader>()
	return (
		<section className="narrow card">
			<h1>{t('Sign in')}</h1>
			<Form method="post" {...getFormProps(form)}>
				<FormError errors={form.errors} />
				<input type="hidden" name={fields.redirectTo.name} value={redirectTo ?? '/'} />
				<TextField field={fields.email} type="email" label={t('Email')} autoComplete="email" />
				<TextField field={fields.password} type="password" label={t('Password')} autoComplete="current-password" />
				<p className="hint">
					<Link to="/forgot-password">{t('Forgot password?')}</Link>
				</p>
				<button type="submit" className="button primary" disabled={busy}>
					{t('Sign in')}
				</button>
			</Form>
			{oidc ? (
				// A document POST: the answer is a redirect to the provider's own site.
				<Form method="post" action="/auth/oidc" reloadDocument>
					<input type="hidden" name="redirectTo" value={redirectTo ?? '/'} />
					<button type="submit" className="button wraps">
						{oidc.name ? t('Sign in with {{provider}}', { provider: oidc.name }) : t('Sign in with your company account')}
					</button>
				</Form>
			) : null}
			<p>
				{t('New here?')} <Link to={redirectTo ? `/signup?redirectTo=${encodeURIComponent(redirectTo)}` : '/signup'}>{t('Create an account')}</Link>
			</p>
		</section>
	)
}
