import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { getFormProps } from '@conform-to/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { FormError, useSchemaForm } from '~/components/form'
import { loadConfig } from '~/config.server'
import { ssoConfig } from '~/sso/config.server'
import { saveSsoSettings, ssoOverview } from '~/sso/settings.server'
import { ssoSettingsSchema } from '~/sso/validation'
import { parseForm } from '~/utils/form'
import { formAction, pageError } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Single sign-on'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request, 'sso:configure')
	return ssoOverview(context.actor, ssoConfig()).catch(pageError)
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), ssoSettingsSchema), async (input) => {
		await saveSsoSettings(context.actor, input, { staffSignInElsewhere: Boolean(loadConfig().KIZUNA_OIDC_ISSUER) })
		return json({ ok: true as const })
	})
}

export default function SsoSettings() {
	const { t } = useTranslation()
	const overview = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const [form, fields] = useSchemaForm(ssoSettingsSchema, { lastResult: result && 'result' in result ? result.result : undefined })
	const busy = useNavigation().state === 'submitting'
	const notSet = <span className="muted">{t('Not set')}</span>
	return (
		<section className="card">
			<h1>{t('Single sign-on')}</h1>
			<p className="muted">{t('Customers sign in from your product with a signed token; these settings come from the server environment (KIZUNA_SSO_*).')}</p>
			<dl className="sso-config">
				<dt>{t('Shared secret (HS256)')}</dt>
				<dd>{overview.secretSet ? t('Set') : notSet}</dd>
				<dt>{t('Public keys (JWKS URL, RS256 and ES256)')}</dt>
				<dd className="sso-url">{overview.jwksUrl ?? notSet}</dd>
				<dt>{t("Product's login page")}</dt>
				<dd className="sso-url">{overview.loginUrl ?? notSet}</dd>
			</dl>
			<h2>{t('Staff passwords')}</h2>
			<Form method="post" {...getFormProps(form)}>
				<FormError errors={form.errors} />
				{result && 'ok' in result ? (
					<p className="notice" role="status">
						{t('Saved.')}
					</p>
				) : null}
				<div className="field checkbox-field">
					<label>
						<input type="checkbox" name={fields.staffPasswords.name} defaultChecked={overview.settings.staffPasswords} key={String(overview.settings.staffPasswords)} /> {t('Staff may also sign in with a password')}
					</label>
					<p className="hint">{t('With the product\'s login page set, customers always sign in through the product; staff use "Staff sign in" (/signin?staff=1).')}</p>
				</div>
				<button type="submit" className="button primary" disabled={busy}>
					{t('Save')}
				</button>
			</Form>
		</section>
	)
}
