import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FaqList } from '~/components/faq-list'
import { faqCategoryPage } from '~/knowledge/faqs.server'
import { pageError } from '~/utils/http.server'
import { pageLanguageScope } from '~/utils/content-language'
import { EmptyInLanguage, LanguageSwitch } from '~/components/language-scope'
import { seoMeta } from '~/utils/seo'
import { breadcrumbs } from '~/utils/structured-data'

export const meta: MetaFunction<typeof loader> = (args) =>
	seoMeta(args, (t) => {
		const category = args.data?.category
		if (!category) return { title: t('FAQ') }
		return {
			title: `${category.name} · ${t('FAQ')}`,
			description: category.description || t('Answers to frequently asked questions about {{topic}}.', { topic: category.name }),
			canonical: category.url,
			jsonLd: (site) => [breadcrumbs(site, [{ name: t('FAQ'), path: '/faq' }, { name: category.name, path: category.url }])],
		}
	})

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	const languages = pageLanguageScope(new URL(request.url), context.locale)
	const page = await faqCategoryPage(params.slug ?? '', context.actor, { reader: context.locale, languages }).catch(pageError)
	return { ...page, languages }
}

export default function FaqCategory() {
	const { t } = useTranslation()
	const { category, faqs, permissions, languages } = useLoaderData<typeof loader>()
	return (
		<section>
			<p className="faq-breadcrumb">
				<Link to="/faq">{t('FAQ')}</Link>
			</p>
			<div className="page-heading">
				<h1>{category.name}</h1>
				{permissions.manage ? (
					<Link to="/faq/manage" className="button">
						{t('Manage')}
					</Link>
				) : null}
			</div>
			{category.description ? <p className="muted">{category.description}</p> : null}
			<LanguageSwitch scope={languages} />
			{faqs.length === 0 ? <EmptyInLanguage scope={languages} fallback={t('No FAQs in this category yet.')} /> : <FaqList faqs={faqs} />}
		</section>
	)
}
