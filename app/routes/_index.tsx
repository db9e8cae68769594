import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { listQuestions } from '~/community/questions.server'
import { popularTags } from '~/community/tags.server'
import { QuestionSummary } from '~/components/question-summary'

export const meta: MetaFunction = () => [
	{ title: 'Kizuna · Customer community' },
	{ name: 'description', content: 'Find answers, ask the community, and learn the product.' },
]

export async function loader(_: LoaderFunctionArgs) {
	const [frequent, unanswered, newest, tags] = await Promise.all([
		listQuestions({ sort: 'frequent', page: 1, pageSize: 5 }),
		listQuestions({ sort: 'unanswered', page: 1, pageSize: 5 }),
		listQuestions({ sort: 'newest', page: 1, pageSize: 8 }),
		popularTags(16),
	])
	return { frequent: frequent.items, unanswered: unanswered.items, newest: newest.items, tags }
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
