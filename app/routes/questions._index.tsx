import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { listQuestions } from '~/community/questions.server'
import { listSortSchema } from '~/community/validation'
import { TAG_PATTERN } from '~/utils/limits'
import { QuestionSummary } from '~/components/question-summary'
import { FollowButton } from '~/components/follow-button'
import { followsTag } from '~/notifications/following.server'
import { pageLanguageScope } from '~/utils/content-language'
import { EmptyInLanguage, LanguageSwitch } from '~/components/language-scope'
import { seoMeta } from '~/utils/seo'

export const meta: MetaFunction<typeof loader> = (args) =>
	seoMeta(args, (t) => {
		const tag = args.data?.tag
		const page = args.data && args.data.page > 1 ? args.data.page : null
		const query = new URLSearchParams([...(tag ? [['tag', tag]] : []), ...(page ? [['page', String(page)]] : [])]).toString()
		return {
			title: tag ? t('Questions tagged {{tag}}', { tag }) : t('Questions'),
			description: tag ? t('Questions about {{tag}} asked in the community, with their answers.', { tag }) : t('Questions asked in the community, with their answers.'),
			canonical: query ? `/questions?${query}` : '/questions',
			feeds: tag ? [{ title: t('New questions tagged {{tag}}', { tag }), url: `/feeds/tags/${encodeURIComponent(tag)}.atom` }] : [],
		}
	})

const querySchema = z.object({
	sort: listSortSchema,
	tag: z.string().regex(TAG_PATTERN).optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(10_000).catch(1),
})

export async function loader({ request, context }: LoaderFunctionArgs) {
	const url = new URL(request.url)
	const params = querySchema.parse(Object.fromEntries(url.searchParams))
	const languages = pageLanguageScope(url, context.locale)
	const [list, followingTag] = await Promise.all([listQuestions({ ...params, languages }), params.tag ? followsTag(context.actor, params.tag) : null])
	return { ...list, sort: params.sort, tag: params.tag ?? null, followingTag, languages }
}

const sorts = [
	['newest', 'Newest'],
	['active', 'Active'],
	['unanswered', 'Unanswered'],
	['solved', 'Solved'],
	['frequent', 'Most frequent'],
] as const

export default function Questions() {
	const { t } = useTranslation()
	const data = useLoaderData<typeof loader>()
	const [params] = useSearchParams()
	const withParams = (changes: Record<string, string | null>) => {
		const next = new URLSearchParams(params)
		for (const [key, value] of Object.entries(changes)) {
			if (value === null) next.delete(key)
			else next.set(key, value)
		}
		return `?${next.toString()}`
	}
	return (
		<section>
			<div className="page-heading">
				<h1>{data.tag ? t('Questions tagged {{tag}}', { tag: data.tag }) : t('All questions')}</h1>
				{data.tag && data.followingTag !== null && data.total > 0 ? <FollowButton target={{ kind: 'tag', tag: data.tag }} following={data.followingTag} /> : null}
				<Link to="/questions/ask" className="button primary">
					{t('Ask a question')}
				</Link>
			</div>
			<p className="muted">{t('{{count}} questions', { count: data.total })}</p>
			<LanguageSwitch scope={data.languages} />
			<nav className="tabs" aria-label={t('Sort questions')}>
				{sorts.map(([value, label]) => (
					<Link key={value} to={withParams({ sort: value, page: null })} className={data.sort === value ? 'tab active' : 'tab'} aria-current={data.sort === value ? 'page' : undefined}>
						{t(label)}
					</Link>
				))}
				{data.tag ? (
					<Link to={withParams({ tag: null, page: null })} className="tab clear-tag">
						✕ {data.tag}
					</Link>
				) : null}
			</nav>
			{data.items.length === 0 ? (
				<EmptyInLanguage scope={data.languages} fallback={t('No questions here yet.')} />
			) : (
				<ul className="question-list">
					{data.items.map((question) => (
						<QuestionSummary key={question.id} question={question} />
					))}
				</ul>
			)}
			{data.pageCount > 1 ? (
				<nav className="pagination" aria-label={t('Pages')}>
					{data.page > 1 ? <Link to={withParams({ page: String(data.page - 1) })}>{t('Previous')}</Link> : null}
					<span>{t('Page {{page}} of {{count}}', { page: data.page, count: data.pageCount })}</span>
					{data.page < data.pageCount ? <Link to={withParams({ page: String(data.page + 1) })}>{t('Next')}</Link> : null}
				</nav>
			) : null}
		</section>
	)
}
