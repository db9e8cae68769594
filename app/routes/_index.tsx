import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { listQuestions } from '~/community/questions.server'
import { popularTags } from '~/community/tags.server'
import { QuestionSummary } from '~/components/question-summary'
import { onboardingChecklist } from '~/knowledge/tutorials.server'
import { seoMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => seoMeta(args, (t) => ({ title: t('Customer community'), home: true }))

export async function loader({ context }: LoaderFunctionArgs) {
	const [frequent, unanswered, newest, tags, checklist] = await Promise.all([
		listQuestions({ sort: 'frequent', page: 1, pageSize: 5 }),
		listQuestions({ sort: 'unanswered', page: 1, pageSize: 5 }),
		listQuestions({ sort: 'newest', page: 1, pageSize: 8 }),
		popularTags(16),
		context.actor ? onboardingChecklist(context.actor.id) : null,
	])
	return { frequent: frequent.items, unanswered: unanswered.items, newest: newest.items, tags, checklist }
}

export default function Home() {
	const { t } = useTranslation()
	const data = useLoaderData<typeof loader>()
	return (
		<>
			<section className="hero">
				<h1>{t('How can we help?')}</h1>
				<p>{t('Search answers from the community and the support team, or ask your own question.')}</p>
				<Form method="get" action="/search" className="hero-search" role="search">
					<input type="search" name="q" placeholder={t('Describe your problem, e.g. “invoice address”')} aria-label={t('Search')} maxLength={200} />
					<button type="submit" className="button primary">
						{t('Search')}
					</button>
				</Form>
				<ul className="tags hero-tags">
					{data.tags.map((tag) => (
						<li key={tag.name}>
							<Link to={`/questions?tag=${encodeURIComponent(tag.name)}`} className="tag">
								{tag.name}
							</Link>
						</li>
					))}
				</ul>
			</section>
			{data.checklist && data.checklist.length > 0 ? <OnboardingChecklist items={data.checklist} /> : null}
			<div className="home-columns">
				<section>
					<h2>{t('Most frequent questions')}</h2>
					<ul className="question-list compact">
						{data.frequent.map((q) => (
							<QuestionSummary key={q.id} question={q} />
						))}
					</ul>
					<h2>{t('Recently asked')}</h2>
					<ul className="question-list compact">
						{data.newest.map((q) => (
							<QuestionSummary key={q.id} question={q} />
						))}
					</ul>
					<Link to="/questions">{t('All questions')} →</Link>
				</section>
				<aside>
					<h2>{t('Waiting for an answer')}</h2>
					{data.unanswered.length === 0 ? <p className="muted">{t('Every question has an answer.')}</p> : null}
					<ul className="plain-list">
						{data.unanswered.map((q) => (
							<li key={q.id}>
								<Link to={q.url}>{q.title}</Link>
							</li>
						))}
					</ul>
					<Link to="/questions?sort=unanswered">{t('Help answer questions')} →</Link>
				</aside>
			</div>
		</>
	)
}

type ChecklistItem = { id: number; title: string; url: string; language: string; progress: { done: number; total: number; complete: boolean } }

function OnboardingChecklist({ items }: { items: ChecklistItem[] }) {
	const { t } = useTranslation()
	const completed = items.filter((item) => item.progress.complete).length
	return (
		<section className="card onboarding-checklist" data-testid="onboarding-checklist" aria-labelledby="onboarding-checklist-heading">
			<div className="page-heading">
				<h2 id="onboarding-checklist-heading">{t('Your onboarding checklist')}</h2>
				<span className="muted">{t('{{done}} of {{total}} complete', { done: completed, total: items.length })}</span>
			</div>
			<ul className="checklist">
				{items.map((item) => (
					<li key={item.id} className={item.progress.complete ? 'checklist-item done' : 'checklist-item'} data-testid="checklist-item">
						<span className="checklist-mark" aria-hidden>
							{item.progress.complete ? '✓' : ''}
						</span>
						<span className="visually-hidden">{item.progress.complete ? t('Done') : t('Not done')}: </span>
						<Link to={item.url} lang={item.language}>
							{item.title}
						</Link>
						<span className="checklist-count">
							{item.progress.done}/{item.progress.total}
						</span>
					</li>
				))}
			</ul>
		</section>
	)
}
