import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

export type FaqListItem = { id: number; title: string; url: string; published: boolean; language: string }

export function DraftBadge() {
	const { t } = useTranslation()
	return <span className="badge draft">{t('Draft')}</span>
}

export function FaqList({ faqs }: { faqs: FaqListItem[] }) {
	return (
		<ul className="faq-list">
			{faqs.map((faq) => (
				<li key={faq.id} data-testid="faq-item">
					<Link to={faq.url} lang={faq.language}>
						{faq.title}
					</Link>
					{faq.published ? null : <DraftBadge />}
				</li>
			))}
		</ul>
	)
}
