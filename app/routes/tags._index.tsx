import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { popularTags } from '~/community/tags.server'
import { FollowButton } from '~/components/follow-button'
import { followedTagNames } from '~/notifications/following.server'
import { seoMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => seoMeta(args, (t) => ({ title: t('Tags'), description: t('The topics people ask about, by how often they come up.') }))

export async function loader({ context }: LoaderFunctionArgs) {
	const [tags, followed] = await Promise.all([popularTags(200), followedTagNames(context.actor)])
	return { tags, followed, signedIn: Boolean(context.actor) }
}

export default function Tags() {
	const { t } = useTranslation()
	const { tags, followed, signedIn } = useLoaderData<typeof loader>()
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
						{signedIn ? <FollowButton target={{ kind: 'tag', tag: tag.name }} following={followed.includes(tag.name)} /> : null}
					</li>
				))}
			</ul>
		</section>
	)
}
