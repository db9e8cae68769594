import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { can } from '~/auth/permissions.server'
import { phaseDescriptions, TutorialMeta } from '~/components/tutorial-meta'
import { listTutorials } from '~/knowledge/tutorials.server'
import { phaseLabels } from '~/insights/labels'
import { pageLanguageScope } from '~/utils/content-language'
import { EmptyInLanguage, LanguageSwitch } from '~/components/language-scope'
import { seoMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => seoMeta(args, (t) => ({ title: t('Tutorials'), description: t('Step-by-step tutorials for getting started and getting more out of the product.') }))

export async function loader({ context, request }: LoaderFunctionArgs) {
	const languages = pageLanguageScope(new URL(request.url), context.locale)
	return {
		languages,
		groups: await listTutorials(context.actor, languages),
		signedIn: Boolean(context.actor),
		canManage: can(context.actor, 'knowledge:manage'),
	}
}

export default function Tutorials() {
	const { t } = useTranslation()
	const { groups, signedIn, canManage, languages } = useLoaderData<typeof loader>()
	return (
		<section>
			<div className="page-heading">
				<h1>{t('Tutorials')}</h1>
				{canManage ? (
					<Link to="/tutorials/new" className="button primary">
						{t('New tutorial')}
					</Link>
				) : null}
			</div>
			<p className="muted">{t('Step-by-step guides, from your first day to advanced use.')}</p>
			{!signedIn && groups.length > 0 ? (
				<p>
					<Link to={`/signin?redirectTo=${encodeURIComponent('/tutorials')}`}>{t('Sign in to track your progress')}</Link>
				</p>
			) : null}
			<LanguageSwitch scope={languages} />
			{groups.length === 0 ? <EmptyInLanguage scope={languages} fallback={t('No tutorials yet.')} /> : null}
			{groups.map((group) => (
				<section key={group.phase} className="tutorial-group" aria-labelledby={`phase-${group.phase}`}>
					<h2 id={`phase-${group.phase}`}>{t(phaseLabels[group.phase])}</h2>
					<p className="muted">{t(phaseDescriptions[group.phase])}</p>
					<ul className="tutorial-list">
						{group.tutorials.map((tutorial) => (
							<li key={tutorial.id} className="tutorial-card card" data-testid="tutorial-card">
								<h3 lang={tutorial.language}>
									<Link to={tutorial.url}>{tutorial.title}</Link>
								</h3>
								<p className="tutorial-summary" lang={tutorial.language}>{tutorial.summary}</p>
								<div className="tutorial-card-footer">
									<TutorialMeta tutorial={tutorial} />
									{signedIn ? (
										tutorial.progress.complete ? (
											<span className="badge solved">✓ {t('Completed')}</span>
										) : (
											<span className="tutorial-card-progress">
												{t('{{done}} of {{total}} steps', { done: tutorial.progress.done, total: tutorial.progress.total })}
											</span>
										)
									) : null}
								</div>
							</li>
						))}
					</ul>
				</section>
			))}
		</section>
	)
}
