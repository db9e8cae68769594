import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

/** The questions closed as duplicates of a question or FAQ: other ways people asked the same thing. */
export function AlsoAskedAs({ duplicates }: { duplicates: Array<{ id: number; title: string; url: string }> }) {
	const { t } = useTranslation()
	if (duplicates.length === 0) return null
	return (
		<section className="also-asked">
			<h2>{t('Also asked as')}</h2>
			<ul className="plain-list">
				{duplicates.map((duplicate) => (
					<li key={duplicate.id}>
						<Link to={duplicate.url}>{duplicate.title}</Link>
					</li>
				))}
			</ul>
		</section>
	)
}
