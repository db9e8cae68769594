import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { getVocabulary, vocabularySchema } from '#search/vocabulary.server'
import { getFormProps } from '@conform-to/react'
import { FormError, TextareaField, useSchemaForm } from '~/components/form'
import { updateVocabulary } from '~/knowledge/vocabulary.server'
import { parseForm } from '~/utils/form'
import { formAction } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Search settings'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request, 'search:configure')
	return getVocabulary()
}

export async function action({ request, context }: ActionFunctionArgs) {
	// The vocabulary's schema is checked on the server only: it lives with the search index settings.
	return formAction(parseForm(await request.formData(), vocabularySchema), async (input) => {
		await updateVocabulary(context.actor, input)
		return json({ ok: true as const })
	})
}

export default function SearchSettings() {
	const { t } = useTranslation()
	const vocabulary = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const [form, fields] = useSchemaForm<typeof vocabularySchema>(null, {
		lastResult: result && 'result' in result ? result.result : undefined,
		defaultValue: { synonyms: vocabulary.synonyms.map((group) => group.join(', ')).join('\n'), stopWords: vocabulary.stopWords.join(' ') },
	})
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="card">
			<h1>{t('Search settings')}</h1>
			<p className="muted">{t('Synonyms and stop words apply to every search as soon as you save.')}</p>
			<Form method="post" {...getFormProps(form)}>
				<FormError errors={form.errors} />
				{result && 'ok' in result ? (
					<p className="notice" role="status">
						{t('Saved and applied to search.')}
					</p>
				) : null}
				<TextareaField field={fields.synonyms} label={t('Synonyms')} rows={8} hint={t('One group per line, terms separated by commas, e.g. invoice, bill, 請求書')} />
				<TextareaField field={fields.stopWords} label={t('Stop words')} rows={4} hint={t('Words that search ignores, separated by spaces, e.g. the a please')} />
				<button type="submit" className="button primary" disabled={busy}>
					{t('Save')}
				</button>
			</Form>
		</section>
	)
}
