import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { FaqFields } from '~/components/faq-fields'
import { DraftBadge } from '~/components/faq-list'
import { getFormProps } from '@conform-to/react'
import { FormError, useSchemaForm } from '~/components/form'
import { categoryNames, getFaqForEdit, updateFaq } from '~/knowledge/faqs.server'
import { faqSchema } from '~/knowledge/validation'
import { parseForm } from '~/utils/form'
import { formAction, idParam, pageError, parseInput, routeId } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Edit FAQ'))

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request)
	const id = routeId(params.id)
	try {
		return { faq: await getFaqForEdit(context.actor, id), categories: await categoryNames() }
	} catch (error) {
		pageError(error)
	}
}

export async function action({ request, params, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), faqSchema), async (input) => {
		const id = parseInput(idParam, params.id)
		const faq = await updateFaq(context.actor, id, input)
		return redirect(faq.url)
	})
}

export default function EditFaq() {
	const { t } = useTranslation()
	const { faq, categories } = useLoaderData<typeof loader>()
	const [form, fields] = useSchemaForm(faqSchema, { lastResult: useActionData<typeof action>()?.result, defaultValue: faq })
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="card">
			<h1>
				{t('Edit FAQ')} {faq.published ? null : <DraftBadge />}
			</h1>
			<Form method="post" {...getFormProps(form)}>
				<FormError errors={form.errors} />
				<FaqFields fields={fields} categories={categories} />
				<div className="actions">
					<button type="submit" className="button primary" disabled={busy}>
						{t('Save changes')}
					</button>
					<Link to={faq.url}>{t('Cancel')}</Link>
					<Link to={`/faq/${faq.id}/history`}>{t('History')}</Link>
				</div>
			</Form>
		</section>
	)
}
