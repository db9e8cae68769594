import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { FaqFields } from '~/components/faq-fields'
import { getFormProps } from '@conform-to/react'
import { FormError, useSchemaForm } from '~/components/form'
import { categoryNames, createFaq } from '~/knowledge/faqs.server'
import { faqSchema } from '~/knowledge/validation'
import { parseForm } from '~/utils/form'
import { formAction } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('New FAQ'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request, 'knowledge:manage')
	return { categories: await categoryNames(), language: context.locale }
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), faqSchema), async (input) => {
		const faq = await createFaq(context.actor, input)
		return redirect(faq.url)
	})
}

export default function NewFaq() {
	const { t } = useTranslation()
	const { categories, language } = useLoaderData<typeof loader>()
	const [form, fields] = useSchemaForm(faqSchema, { lastResult: useActionData<typeof action>()?.result, defaultValue: { language } })
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="card">
			<h1>{t('New FAQ')}</h1>
			<p className="muted">{t('New FAQs are saved as drafts: publish them from their page when they are ready.')}</p>
			<Form method="post" {...getFormProps(form)}>
				<FormError errors={form.errors} />
				<FaqFields fields={fields} categories={categories} />
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
