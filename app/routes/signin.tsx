import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
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
import { ssoConfig } from '~/sso/config.server'
import { oidcClientFrom } from '~/sso/oidc.server'
import { checkPasswordSignIn } from '~/settings/password-sign-in.server'
import { signInPage } from '~/sso/settings.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Sign in'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	const params = new URL(request.url).searchParams
	if (context.actor) throw redirect(safeRedirect(params.get('redirectTo')))
	// A suspended person's browser is sent here (app/server/main.ts): they are told why, not sent on to the product.
	const suspended = params.has('suspended')
	// With single sign-on from the product, customers sign in there; `?staff` is the staff's way in.
	const page = await signInPage(ssoConfig(), { staff: params.has('staff') || suspended, returnTo: safeRedirect(params.get('redirectTo')) })
	if ('redirect' in page) throw redirect(page.redirect)
	const config = loadConfig()
	return json({ ...page, suspended, oidc: oidcClientFrom(config) ? { name: config.KIZUNA_OIDC_NAME ?? null } : null })
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), signInSchema), async (input) => {
		await limit('signInAddress', context.clientIp)
		await limit('signInAccount', input.email.toLowerCase())
		const user = await authenticate(input.email, input.password)
		if (!user) throw new DomainError('invalid', 'Email or password is incorrect')
		// After the password, so the refusal tells nothing to someone who does not know it.
		await checkPasswordSignIn(user.role, ssoConfig().loginUrl)
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
	const { form: audience, oidc, suspended } = useLoaderData<typeof loader>()
	const suspendedNotice = suspended ? (
		<p role="alert" className="form-error">
			{t('This account is suspended: ask an administrator of this community')}
		</p>
	) : null
	const oidcButton = oidc ? (
		// A document POST: the answer is a redirect to the provider's own site.
		<Form method="post" action="/auth/oidc" reloadDocument>
			<input type="hidden" name="redirectTo" value={redirectTo ?? '/'} />
			<button type="submit" className="button wraps">
				{oidc.name ? t('Sign in with {{provider}}', { provider: oidc.name }) : t('Sign in with your company account')}
			</button>
		</Form>
	) : null
	if (audience === 'closed') {
		return (
			<section className="narrow card">
				<h1>{t('Staff sign in')}</h1>
				{suspendedNotice}
				<p>{t('Password sign-in is turned off for staff: use the staff sign-in of your company')}</p>
				{oidcButton}
			</section>
		)
	}
	return (
		<section className="narrow card">
			<h1>{audience === 'staff' ? t('Staff sign in') : t('Sign in')}</h1>
			{audience === 'staff' ? <p className="hint">{t('This form is for staff. Customers sign in through the product.')}</p> : null}
			{suspendedNotice}
			{params.get('signedOut') === 'everywhere' ? <p role="status">{t('You are signed out everywhere.')}</p> : null}
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
			{oidcButton}
			{audience === 'staff' ? null : (
				<p>
					{t('New here?')} <Link to={redirectTo ? `/signup?redirectTo=${encodeURIComponent(redirectTo)}` : '/signup'}>{t('Create an account')}</Link>
				</p>
			)}
		</section>
	)
}
