import type { MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { popularTags } from '~/community/tags.server'

export const meta: MetaFunction = () => [{ title: 'Tags · Kizuna' }]

export async function loader() {
	return { tags: await popularTags(200) }
}

export default function Tags() {
	const { t } = useTranslation()
	const { tags } = useLoaderData<typeof loader>()
	return (
		<section>
			<h1>{t('Tags')}</h1>
			<ul className="tag-grid">
				{tags.map((tag) => (
					<li key={tag.name} className="card">
						<Link to={`/questions?tag=${encodeURIComponent(tag.name)}`} className="tag">
							{tag.name}
						</Link>
						<span className="muted">{t('{{count}} questions', { count: tag.count })}</span>
					</li>
				))}
			</ul>
		</section>
	)
}
