import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FaqList } from '~/components/faq-list'
import { faqOverview } from '~/knowledge/faqs.server'
import { pageLanguageScope } from '~/utils/content-language'
import { EmptyInLanguage, LanguageSwitch } from '~/components/language-scope'
import { seoMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => seoMeta(args, (t) => ({ title: t('FAQ'), description: t('Answers to frequently asked questions, by topic.') }))

export async function loader({ context, request }: LoaderFunctionArgs) {
	const languages = pageLanguageScope(new URL(request.url), context.locale)
	return { ...(await faqOverview(context.actor, { reader: context.locale, languages })), languages }
}

export default function FaqHome() {
	const { t } = useTranslation()
	const { groups, permissions, languages } = useLoaderData<typeof loader>()
	return (
		<section>
			<div className="page-heading">
				<h1>{t('Frequently asked questions')}</h1>
				{permissions.manage ? (
					<div className="actions">
						<Link to="/faq/new" className="button primary">
							{t('New FAQ')}
						</Link>
						<Link to="/faq/manage" className="button">
							{t('Manage')}
						</Link>
					</div>
				) : null}
			</div>
			<LanguageSwitch scope={languages} />
			{groups.every((group) => group.faqs.length === 0) ? <EmptyInLanguage scope={languages} fallback={t('No FAQs yet.')} /> : null}
			<div className="faq-groups">
				{groups.map((group) => (
					<section key={group.category?.id ?? 'uncategorised'} className="card faq-group" data-testid="faq-group">
						<h2>{group.category ? <Link to={`${group.category.url}${languages.all ? '?lang=all' : ''}`}>{group.category.name}</Link> : t('Uncategorised')}</h2>
						{group.faqs.length === 0 ? <p className="muted">{t('No FAQs in this category yet.')}</p> : <FaqList faqs={group.faqs} />}
					</section>
				))}
			</div>
		</section>
	)
}
