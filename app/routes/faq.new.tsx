import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { FaqFields } from '~/components/faq-fields'
import { FormError } from '~/components/form'
import { categoryNames, createFaq } from '~/knowledge/faqs.server'
import { faqSchema } from '~/knowledge/validation'
import { formResponse, parseInput } from '~/utils/http.server'

export const meta: MetaFunction = () => [{ title: 'New FAQ · Kizuna' }]

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request, 'knowledge:manage')
	return { categories: await categoryNames(), language: context.locale }
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formResponse(async () => {
		const input = parseInput(faqSchema, Object.fromEntries(await request.formData()))
		const faq = await createFaq(context.actor, input)
		return redirect(faq.url)
	})
}

export default function NewFaq() {
	const { t } = useTranslation()
	const { categories, language } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="card">
			<h1>{t('New FAQ')}</h1>
			<p className="muted">{t('New FAQs are saved as drafts: publish them from their page when they are ready.')}</p>
			<Form method="post" noValidate>
				<FormError message={result?.formError} />
				<FaqFields defaults={{ title: '', body: '', category: '', tags: '', language }} errors={result?.fieldErrors ?? {}} categories={categories} />
				<div className="actions">
					<button type="submit" className="button primary" disabled={busy}>
						{t('Save draft')}
					</button>
					<Link to="/faq">{t('Cancel')}</Link>
				</div>
			</Form>
		</section>
	)
}
