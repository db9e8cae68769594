import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { getFormProps } from '@conform-to/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { FormError, TextareaField, TextField, useSchemaForm } from '~/components/form'
import { moderationSettings, saveModerationSettings } from '~/moderation/settings.server'
import { HELD_WORDS_MAX, moderationSettingsSchema } from '~/moderation/validation'
import { parseForm } from '~/utils/form'
import { formAction, pageError } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Moderation settings'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request, 'moderation:configure')
	return { settings: await moderationSettings(context.actor).catch(pageError) }
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), moderationSettingsSchema), async (input, submission) => {
		await saveModerationSettings(context.actor, input)
		return json({ result: submission.reply(), saved: true as const })
	})
}

export default function ModerationSettings() {
	const { t } = useTranslation()
	const { settings } = useLoaderData<typeof loader>()
	const answer = useActionData<typeof action>()
	const [form, fields] = useSchemaForm(moderationSettingsSchema, {
		lastResult: answer?.result,
		defaultValue: {
			flagsToHide: String(settings.flagsToHide),
			newPersonPosts: String(settings.newPersonPosts),
			newPersonHours: String(settings.newPersonHours),
			maxLinks: String(settings.maxLinks),
			postsPerHourNew: String(settings.postsPerHour.new),
			postsPerHourBasic: String(settings.postsPerHour.basic),
			postsPerHourTrusted: String(settings.postsPerHour.trusted),
			heldWords: settings.heldWords.join('\n'),
		},
	})
	const busy = useNavigation().state === 'submitting'
	const number = { inputMode: 'numeric' as const, autoComplete: 'off' }
	return (
		<section className="card moderation-settings">
			<h1>{t('Moderation settings')}</h1>
			<Form method="post" {...getFormProps(form)}>
				{answer && 'saved' in answer ? (
					<p className="notice" role="status">
						{t('Saved.')}
					</p>
				) : null}
				<FormError errors={form.errors} />
				<h2>{t('Flags')}</h2>
				<TextField field={fields.flagsToHide} label={t('Spam or offensive flags that hide a post until reviewed')} hint={t('Flags from distinct people; trusted members weigh more.')} {...number} />
				<h2>{t('New members')}</h2>
				<p className="hint">{t('Someone is new until both are reached: their posts with links wait for review.')}</p>
				<TextField field={fields.newPersonPosts} label={t('Visible posts')} {...number} />
				<TextField field={fields.newPersonHours} label={t('Hours since joining')} {...number} />
				<TextField field={fields.maxLinks} label={t('Most links in anyone’s post before it waits for review')} {...number} />
				<h2>{t('Questions and answers per hour')}</h2>
				<TextField field={fields.postsPerHourNew} label={t('New members')} {...number} />
				<TextField field={fields.postsPerHourBasic} label={t('Members')} hint={t('After a few of their posts were upvoted or accepted.')} {...number} />
				<TextField field={fields.postsPerHourTrusted} label={t('Trusted members')} {...number} />
				<h2>{t('Held words')}</h2>
				<TextareaField
					field={fields.heldWords}
					label={t('Posts containing any of these wait for review')}
					hint={t('One per line, at most {{n}}. Case and full- or half-width letters do not matter; Japanese entries match inside longer text.', { n: HELD_WORDS_MAX })}
					rows={8}
				/>
				<button type="submit" className="button primary" disabled={busy}>
					{t('Save')}
				</button>
			</Form>
		</section>
	)
}
