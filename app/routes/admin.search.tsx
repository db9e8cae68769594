import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { getVocabulary, vocabularySchema } from '#search/vocabulary.server'
import { FormError } from '~/components/form'
import { updateVocabulary } from '~/knowledge/vocabulary.server'
import { formResponse, parseInput } from '~/utils/http.server'

export const meta: MetaFunction = () => [{ title: 'Search settings · Kizuna' }]

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request, 'search:configure')
	return getVocabulary()
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formResponse(async () => {
		const input = parseInput(vocabularySchema, Object.fromEntries(await request.formData()))
		await updateVocabulary(context.actor, input)
		return json({ ok: true as const })
	})
}

export default function SearchSettings() {
	const { t } = useTranslation()
	const vocabulary = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const failure = result && !result.ok ? result : null
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="card">
			<h1>{t('Search settings')}</h1>
			<p className="muted">{t('Synonyms and stop words apply to every search as soon as you save.')}</p>
			<Form method="post">
				<FormError message={failure?.formError} />
				{result?.ok ? (
					<p className="notice" role="status">
						{t('Saved and applied to search.')}
					</p>
				) : null}
				<div className="field">
					<label htmlFor="synonyms">{t('Synonyms')}</label>
					<textarea id="synonyms" name="synonyms" rows={8} defaultValue={vocabulary.synonyms.map((group) => group.join(', ')).join('\n')} />
					<p className="hint">{t('One group per line, terms separated by commas, e.g. invoice, bill, 請求書')}</p>
					{failure?.fieldErrors.synonyms ? <p className="field-error">{t(failure.fieldErrors.synonyms)}</p> : null}
				</div>
				<div className="field">
					<label htmlFor="stopWords">{t('Stop words')}</label>
					<textarea id="stopWords" name="stopWords" rows={4} defaultValue={vocabulary.stopWords.join(' ')} />
					<p className="hint">{t('Words that search ignores, separated by spaces, e.g. the a please')}</p>
					{failure?.fieldErrors.stopWords ? <p className="field-error">{t(failure.fieldErrors.stopWords)}</p> : null}
				</div>
				<button type="submit" className="button primary" disabled={busy}>
					{t('Save')}
				</button>
			</Form>
		</section>
	)
}
