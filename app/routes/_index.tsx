import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { topQuestions } from '~/community/questions.server'
import { popularTags } from '~/community/tags.server'
import { QuestionSummary } from '~/components/question-summary'
import { onboardingChecklist } from '~/knowledge/tutorials.server'
import { faqHighlights } from '~/knowledge/faqs.server'
import { FaqList } from '~/components/faq-list'
import { EmptyInLanguage, LanguageSwitch } from '~/components/language-scope'
import { pageLanguageScope } from '~/utils/content-language'
import { seoMeta } from '~/utils/seo'
import { SEARCH_QUERY_MAX } from '~/utils/limits'

export const meta: MetaFunction = (args) => seoMeta(args, (t) => ({ title: t('Customer community'), home: true }))

export async function loader({ context, request }: LoaderFunctionArgs) {
	const languages = pageLanguageScope(new URL(request.url), context.locale)
	const [knowledge, onboarding, frequent, unanswered, tags] = await Promise.all([
		faqHighlights({ reader: context.locale, languages, limit: 5 }),
		onboardingChecklist(context.actor?.id ?? null, languages),
		topQuestions({ sort: 'frequent', limit: 5, languages }),
		topQuestions({ sort: 'unanswered', limit: 5, languages }),
		popularTags(16),
	])
	return { languages, knowledge, onboarding, signedIn: Boolean(context.actor), frequent, unanswered, tags }
}

/** Keeps "all languages" on the links into the lists. */
const scoped = (url: string, all: boolean) => (all ? `${url}${url.includes('?') ? '&' : '?'}lang=all` : url)

export default function Home() {
	const { t } = useTranslation()
	const data = useLoaderData<typeof loader>()
	const all = data.languages.all
	const empty = data.knowledge.categories.length === 0 && data.onboarding.length === 0 && data.frequent.length === 0 && data.unanswered.length === 0
	return (
		<>
			<section className="hero">
				<h1>{t('How can we help?')}</h1>
				<p>{t('Search answers from the community and the support team, or ask your own question.')}</p>
				<Form method="get" action="/search" className="hero-search" role="search">
					<input type="search" name="q" placeholder={t('Describe your problem, e.g. “invoice address”')} aria-label={t('Search')} maxLength={SEARCH_QUERY_MAX} />
					{all ? <input type="hidden" name="lang" value="all" /> : null}
					<button type="submit" className="button primary">
						{t('Search')}
					</button>
				</Form>
				<ul className="tags hero-tags">
					{data.tags.map((tag) => (
						<li key={tag.name}>
							<Link to={scoped(`/questions?tag=${encodeURIComponent(tag.name)}`, all)} className="tag">
								{tag.name}
							</Link>
						</li>
					))}
				</ul>
				<LanguageSwitch scope={data.languages} />
			</section>
			{empty ? <EmptyInLanguage scope={data.languages} fallback={t('Nothing here yet.')} /> : null}
			{data.knowledge.categories.length > 0 ? (
				<section className="home-section" aria-labelledby="home-categories">
					<h2 id="home-categories">{t('Browse the FAQ')}</h2>
					<ul className="category-cards" data-testid="home-categories">
						{data.knowledge.categories.map((category) => (
							<li key={category.id} className="card category-card">
								<Link to={scoped(category.url, all)}>{category.name}</Link>
								{category.description ? <p className="muted">{category.description}</p> : null}
								<span className="muted">{t('FAQs: {{n}}', { n: category.count })}</span>
							</li>
						))}
					</ul>
				</section>
			) : null}
			{data.knowledge.popular.length > 0 ? (
				<div className="home-columns">
					<section aria-labelledby="home-popular">
						<h2 id="home-popular">{t('Popular articles')}</h2>
						<div data-testid="home-popular-faqs">
							<FaqList faqs={data.knowledge.popular} />
						</div>
					</section>
					<section aria-labelledby="home-newest">
						<h2 id="home-newest">{t('New articles')}</h2>
						<div data-testid="home-newest-faqs">
							<FaqList faqs={data.knowledge.newest} />
						</div>
						<Link to={scoped('/faq', all)}>{t('All FAQs')} →</Link>
					</section>
				</div>
			) : null}
			{data.onboarding.length > 0 ? <OnboardingChecklist items={data.onboarding} signedIn={data.signedIn} /> : null}
			<div className="home-columns">
				<section aria-labelledby="home-frequent">
					<h2 id="home-frequent">{t('Most frequent questions')}</h2>
					<ul className="question-list compact" data-testid="home-frequent">
						{data.frequent.map((q) => (
							<QuestionSummary key={q.id} question={q} />
						))}
					</ul>
					<Link to={scoped('/questions', all)}>{t('All questions')} →</Link>
				</section>
				<aside aria-labelledby="home-unanswered">
					<h2 id="home-unanswered">{t('Waiting for an answer')}</h2>
					{data.unanswered.length === 0 ? <p className="muted">{t('Every question has an answer.')}</p> : null}
					<ul className="plain-list" data-testid="home-unanswered">
						{data.unanswered.map((q) => (
							<li key={q.id}>
								<Link to={q.url} lang={q.language}>
									{q.title}
								</Link>
							</li>
						))}
					</ul>
					<Link to={scoped('/questions?sort=unanswered', all)}>{t('Help answer questions')} →</Link>
				</aside>
			</div>
		</>
	)
}

type ChecklistItem = { id: number; title: string; url: string; language: string; progress: { done: number; total: number; complete: boolean } }

function OnboardingChecklist({ items, signedIn }: { items: ChecklistItem[]; signedIn: boolean }) {
	const { t } = useTranslation()
	const completed = items.filter((item) => item.progress.complete).length
	return (
		<section className="card onboarding-checklist" data-testid="onboarding-checklist" aria-labelledby="onboarding-checklist-heading">
			<div className="page-heading">
				<h2 id="onboarding-checklist-heading">{signedIn ? t('Your onboarding checklist') : t('Getting started')}</h2>
				{signedIn ? (
					<span className="muted">{t('{{done}} of {{total}} complete', { done: completed, total: items.length })}</span>
				) : (
					<Link to={`/signin?redirectTo=${encodeURIComponent('/')}`}>{t('Sign in to track your progress')}</Link>
				)}
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
						{signedIn ? (
							<span className="checklist-count">
								{item.progress.done}/{item.progress.total}
							</span>
						) : null}
					</li>
				))}
			</ul>
		</section>
	)
}
