import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams, useSubmit } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { searchContent } from '#search/query.server'
import { searchParamsFrom } from '#search/request'
import { TagList } from '~/components/question-summary'
import { limit } from '~/auth/rate-limit.server'
import { DegradedSearchNotice } from '~/components/search-notice'
import { recordActivity } from '~/insights/events.server'
import { DomainError } from '~/utils/errors.server'
import { refusalHeaders } from '~/utils/http.server'
import { pageLanguageScope } from '~/utils/content-language'
import { categoryNamesIn } from '~/knowledge/faq-categories.server'
import { EmptyInLanguage, LanguageSwitch } from '~/components/language-scope'
import { seoMeta, truncate } from '~/utils/seo'

/** A question pasted whole (up to 500 characters) filled a phone's first screen as the heading: the box above keeps all of it. */
const HEADING_QUERY = 80

export const meta: MetaFunction<typeof loader> = (args) =>
	seoMeta(args, (t) => {
		const q = new URLSearchParams(args.location.search).get('q')?.trim() ?? ''
		return {
			title: q ? t('Results for “{{q}}”', { q: truncate(q, HEADING_QUERY) }) : t('Search'),
			description: t('Search questions, FAQs and tutorials.'),
			canonical: q ? `/search?${new URLSearchParams({ q })}` : '/search',
		}
	})

const PAGE_SIZE = 20

export async function loader({ request, context }: LoaderFunctionArgs) {
	try {
		await limit('search', context.clientIp)
	} catch (error) {
		if (!(error instanceof DomainError)) throw error
		return json({ error: error.message, result: null }, { status: error.status, headers: refusalHeaders(error) })
	}
	const url = new URL(request.url)
	// `lang` is read as every list reads it (pageLanguageScope): an unknown one is the reader's language, not an error.
	const withoutLang = new URL(url)
	withoutLang.searchParams.delete('lang')
	const parsed = searchParamsFrom(withoutLang)
	if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? 'Invalid search', result: null }
	const { q, type, tag, category, status, page } = parsed.data
	const languages = pageLanguageScope(url, context.locale)
	const language = languages.all ? { preferLanguage: languages.language ?? undefined } : { language: languages.language ?? undefined }
	const result = await searchContent(
		{ q, type, tag, category, status, ...language, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
		{ userId: context.actor?.id ?? null, visitorId: context.visitorId, record: q.length > 0 },
	)
	if (result.searchId) await recordActivity(context, { type: 'search', searchId: result.searchId, query: q, resultCount: result.total })
	return { error: null, result: { ...result, page, pageCount: Math.max(1, Math.ceil(result.total / PAGE_SIZE)), languages, categoryNames: await categoryNamesIn(context.locale) } }
}

/** Tells search analytics which hit was opened; keepalive lets it finish during navigation. */
function recordClick(searchId: string, hit: { id: number; type: string }) {
	void fetch(`/api/v1/searches/${searchId}/clicks`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ hitId: hit.id, hitType: hit.type }),
		keepalive: true,
	}).catch(() => {})
}

export default function Search() {
	const { t } = useTranslation()
	const { result, error } = useLoaderData<typeof loader>()
	const [params] = useSearchParams()
	const submit = useSubmit()
	const q = params.get('q') ?? ''
	const tagOptions = Object.entries(result?.facets.tags ?? {}).sort((a, b) => b[1] - a[1])
	const pageLink = (page: number) => {
		const next = new URLSearchParams(params)
		next.set('page', String(page))
		return `?${next.toString()}`
	}
	return (
		<section>
			<h1>{q ? t('Results for “{{q}}”', { q: truncate(q, HEADING_QUERY) }) : t('Search')}</h1>
			<Form method="get" className="search-filters" onChange={(e) => submit(e.currentTarget)}>
				<input type="hidden" name="q" value={q} />
				{params.get('lang') ? <input type="hidden" name="lang" value={params.get('lang')!} /> : null}
				<label>
					{t('Type')}
					<select name="type" defaultValue={params.get('type') ?? ''}>
						<option value="">{t('Any')}</option>
						{(['faq', 'tutorial', 'question'] as const).map((type) => (
							<option key={type} value={type}>
								{t(`type.${type}`)} ({result?.facets.type[type] ?? 0})
							</option>
						))}
					</select>
				</label>
				<label>
					{t('Status')}
					<select name="status" defaultValue={params.get('status') ?? ''}>
						<option value="">{t('Any')}</option>
						<option value="solved">{t('Solved')}</option>
						<option value="answered">{t('Answered')}</option>
						<option value="unanswered">{t('Unanswered')}</option>
					</select>
				</label>
				<label>
					{t('Tag')}
					<select name="tag" defaultValue={params.get('tag') ?? ''}>
						<option value="">{t('Any')}</option>
						{params.get('tag') && !result?.facets.tags[params.get('tag')!] ? <option value={params.get('tag')!}>{params.get('tag')}</option> : null}
						{tagOptions.map(([tag, count]) => (
							<option key={tag} value={tag}>
								{tag} ({count})
							</option>
						))}
					</select>
				</label>
				{Object.keys(result?.facets.category ?? {}).length > 0 || params.get('category') ? (
					<label>
						{t('Category')}
						<select name="category" defaultValue={params.get('category') ?? ''}>
							<option value="">{t('Any')}</option>
							{params.get('category') && !result?.facets.category[params.get('category')!] ? (
								<option value={params.get('category')!}>{params.get('category')}</option>
							) : null}
							{Object.entries(result?.facets.category ?? {}).map(([category, count]) => (
								<option key={category} value={category}>
									{result?.categoryNames[category] ?? category} ({count})
								</option>
							))}
						</select>
					</label>
				) : null}
				<noscript>
					<button type="submit">{t('Apply')}</button>
				</noscript>
			</Form>
			{error ? <p className="form-error">{t(error)}</p> : null}
			{result ? (
				<>
					{result.degraded ? <DegradedSearchNotice /> : null}
					<LanguageSwitch scope={result.languages} />
					<p className="muted" data-testid="search-total">
						{t('{{count}} results', { count: result.total })}
						{Object.entries(result.facets.type).map(([type, count]) => (
							<span key={type} className="facet">
								{' '}
								· {t(`type.${type}`)} {count}
							</span>
						))}
					</p>
					{result.hits.length === 0 ? (
						<div className="empty">
							<p>{t('Nothing matches your search yet.')}</p>
							{result.languages.all ? null : <EmptyInLanguage scope={result.languages} fallback="" />}
							<Link to="/questions/ask" className="button primary">
								{t('Ask the community')}
							</Link>
						</div>
					) : (
						<ul className="search-results">
							{result.hits.map((hit) => (
								<li key={`${hit.type}-${hit.id}`} className="search-hit" data-testid="search-hit" data-language={hit.language}>
									<h2>
										<span className="badge type">{t(`type.${hit.type}`)}</span>
										{hit.type === 'question' && hit.solved ? <span className="badge solved">{t('Solved')}</span> : null}
										<Link
											to={`${hit.url}?sid=${result.searchId}`}
											onClick={() => recordClick(result.searchId, hit)}
											lang={hit.language}
											dangerouslySetInnerHTML={{ __html: hit.highlightedTitle }}
										/>
									</h2>
									<p className="snippet" lang={hit.language} dangerouslySetInnerHTML={{ __html: hit.snippet }} />
									{hit.category ? <p className="muted">{result.categoryNames[hit.category] ?? hit.category}</p> : null}
									<TagList tags={hit.tags} />
								</li>
							))}
						</ul>
					)}
					{result.pageCount > 1 ? (
						<nav className="pagination" aria-label={t('Pages')}>
							{result.page > 1 ? <Link to={pageLink(result.page - 1)}>{t('Previous')}</Link> : null}
							<span>{t('Page {{page}} of {{count}}', { page: result.page, count: result.pageCount })}</span>
							{result.page < result.pageCount ? <Link to={pageLink(result.page + 1)}>{t('Next')}</Link> : null}
						</nav>
					) : null}
				</>
			) : null}
		</section>
	)
}
