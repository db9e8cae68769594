import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { getFormProps } from '@conform-to/react'
import { serialize } from 'cookie'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { FormError, SelectField, TextField, useSchemaForm } from '~/components/form'
import { LOCALE_COOKIE } from '~/i18n/locales'
import { ownTrustLevel } from '~/moderation/trust.server'
import { trustLevelLabels } from '~/moderation/validation'
import { getSettings, updateProfile } from '~/people/settings.server'
import { profileSchema } from '~/people/validation'
import { parseForm } from '~/utils/form'
import { formAction } from '~/utils/http.server'

export async function loader({ context, request }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request)
	const [settings, trust] = await Promise.all([getSettings(actor), ownTrustLevel(actor)])
	return { id: actor.id, displayName: settings.displayName, handle: settings.handle, locale: settings.locale, trust }
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), profileSchema), async (input, submission) => {
		await updateProfile(context.actor, input)
		// The browser remembers the language too, for the pages it shows after signing out.
		const languageCookie = serialize(LOCALE_COOKIE, input.locale, { path: '/', sameSite: 'lax', secure: context.secure, maxAge: 60 * 60 * 24 * 365 })
		return json({ result: submission.reply(), saved: true }, { headers: { 'Set-Cookie': languageCookie } })
	})
}


export default function ProfileSettings() {
	const { t } = useTranslation()
	const person = useLoaderData<typeof loader>()
	const answer = useActionData<typeof action>()
	const [form, fields] = useSchemaForm(profileSchema, { lastResult: answer?.result, defaultValue: { displayName: person.displayName, locale: person.locale } })
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="card">
			<h2>{t('Profile')}</h2>
			<p>
				{t('Others see your name and @{{handle}} on your posts and on your public profile.', { handle: person.handle })}{' '}
				<Link to={`/users/${person.id}`}>{t('See your public profile')}</Link>
			</p>
			<Form method="post" {...getFormProps(form)}>
				{answer && 'saved' in answer ? <p role="status">{t('Your profile is saved.')}</p> : null}
				<FormError errors={form.errors} />
				<TextField field={fields.displayName} label={t('Name')} autoComplete="name" />
				<SelectField
					field={fields.locale}
					label={t('Language')}
					hint={t('The language of the site when you are signed in, and of the mail we send you.')}
					options={[
						{ value: 'en', label: 'English' },
						{ value: 'ja', label: '日本語' },
					]}
				/>
				<button type="submit" className="button primary" disabled={busy}>
					{t('Save')}
				</button>
			</Form>
			<h2>{t('Trust level')}</h2>
			<p data-testid="trust-level">
				<strong>{t(trustLevelLabels[person.trust.level])}</strong>
				{person.trust.postsPerHour === null ? null : <> · {t('Questions and answers you can post an hour: {{n}}', { n: person.trust.postsPerHour })}</>}
			</p>
			{person.trust.level === 'new' ? <p className="hint">{t('When others upvote or accept a few of your posts, you can post more; links in posts by new members wait for review.')}</p> : null}
		</section>
	)
}
