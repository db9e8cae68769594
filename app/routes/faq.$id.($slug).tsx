import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { AlsoAskedAs } from '~/components/also-asked'
import { z } from 'zod'
import { can } from '~/auth/permissions.server'
import { DraftBadge } from '~/components/faq-list'
import { FormError } from '~/components/form'
import { resultErrors } from '~/utils/form'
import { FeedbackSummary, FeedbackWidget } from '~/components/feedback-widget'
import { TagList } from '~/components/question-summary'
import { RelativeTime } from '~/components/relative-time'
import { feedbackSummary } from '~/knowledge/feedback.server'
import { learnedPhrasingsPage } from '~/knowledge/phrasings.server'
import { readPage } from '~/utils/paging'
import { LearnedPhrasings } from '~/components/learned-phrasings'
import { getFaqPage, recordFaqView, setFaqPublished } from '~/knowledge/faqs.server'
import { formResponse, pageError, parseInput, routeId } from '~/utils/http.server'
import { LanguageSwitchLinks, TranslationTools } from '~/components/article-languages'
import { isTranslationIntent, runTranslationIntent, translationIntentSchema } from '~/knowledge/article-translations.server'
import { htmlToText, seoMeta } from '~/utils/seo'
import { breadcrumbs, faqPage } from '~/utils/structured-data'

export const meta: MetaFunction<typeof loader> = (args) =>
	seoMeta(args, (t) => {
		if (!args.data) return { title: t('FAQ') }
		const { faq } = args.data
		const crumbs = [{ name: t('FAQ'), path: '/faq' }, ...(faq.category ? [{ name: faq.category.name, path: faq.category.url }] : []), { name: faq.title, path: faq.url }]
		return {
			title: faq.title,
			description: htmlToText(faq.bodyHtml),
			canonical: faq.url,
			type: 'article',
			// A draft is for staff only.
			noindex: !faq.published,
			alternates: faq.published ? [{ language: faq.language, url: faq.url }, ...faq.translations] : [],
			jsonLd: (site) => [faqPage(site, faq), breadcrumbs(site, crumbs)],
		}
	})

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	const id = routeId(params.id)
	const faq = await getFaqPage(id, context.actor, context.locale).catch(pageError)
	// The query string (e.g. the search id behind a feedback vote) survives the move to the canonical URL.
	if (params.slug !== faq.slug) throw redirect(`${faq.url}${new URL(request.url).search}`, { status: 301 })
	// Views measure readers of the published answer, not staff drafting it.
	if (faq.published) await recordFaqView(id, context, { fromAskForm: new URL(request.url).searchParams.get('from') === 'ask' })
	const feedback = can(context.actor, 'feedback:view') ? await feedbackSummary('faq', id) : null
	const phrasings = can(context.actor, 'knowledge:manage') ? await learnedPhrasingsPage('faq', id, readPage(new URL(request.url).searchParams, 'phrasings')) : null
	return { faq, feedback, phrasings }
}

const intentSchema = z.object({ intent: z.enum(['publish', 'unpublish']) })

export async function action({ request, params, context }: ActionFunctionArgs) {
	const id = routeId(params.id)
	const form = Object.fromEntries(await request.formData())
	return formResponse(async () => {
		if (isTranslationIntent(form.intent)) {
			const next = await runTranslationIntent(context.actor, 'faq', id, parseInput(translationIntentSchema, form))
			return redirect(next ?? `/faq/${id}`)
		}
		const { intent } = parseInput(intentSchema, form)
		const faq = await setFaqPublished(context.actor, id, intent === 'publish')
		return redirect(faq.url)
	})
}

export default function FaqPage() {
	const { t } = useTranslation()
	const { faq, feedback, phrasings } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const busy = useNavigation().state !== 'idle'
	return (
		<article className="faq-page">
			<header className="thread-header">
				<p className="faq-breadcrumb">
					<Link to="/faq">{t('FAQ')}</Link>
					{faq.category ? (
						<>
							{' › '}
							<Link to={faq.category.url}>{faq.category.name}</Link>
						</>
					) : null}
				</p>
				<h1 lang={faq.language}>{faq.title}</h1>
				<LanguageSwitchLinks translations={faq.translations} />
				<div className="thread-meta">
					{faq.published ? null : <DraftBadge />}
					<span data-testid="frequency">{t('Times asked: {{n}}', { n: faq.frequency })}</span>
					<span>
						{t('{{count}} views', { count: faq.views })}
						{faq.duplicates.length > 0 ? ` ${t('(including duplicates)')}` : ''}
					</span>
					<span>
						{t('Updated')} <RelativeTime iso={faq.updatedAt} />
					</span>
					{faq.permissions.manage ? (
						<>
							<Link to={`/faq/${faq.id}/edit`}>{t('Edit')}</Link>
							<Link to={`/faq/${faq.id}/history`}>{t('History')}</Link>
							<Form method="post" className="inline-form">
								<input type="hidden" name="intent" value={faq.published ? 'unpublish' : 'publish'} />
								<button type="submit" className={faq.published ? 'button small' : 'button small primary'} disabled={busy}>
									{faq.published ? t('Unpublish') : t('Publish')}
								</button>
							</Form>
						</>
					) : null}
				</div>
			</header>
			<FormError errors={resultErrors(result?.result)} />
			{faq.published ? null : <p className="notice faq-draft-notice">{t('This FAQ is a draft: only staff can see it until it is published.')}</p>}
			<div className="markdown faq-answer" lang={faq.language} dangerouslySetInnerHTML={{ __html: faq.bodyHtml }} />
			<TagList tags={faq.tags} />
			<AlsoAskedAs duplicates={faq.duplicates} />
			{faq.source ? (
				<p className="muted">
					{t('Made from the community thread')} <Link to={faq.source.url}>{faq.source.title}</Link>
				</p>
			) : null}
			{faq.published ? <FeedbackWidget targetType="faq" targetId={faq.id} /> : null}
			{feedback ? <FeedbackSummary summary={feedback} /> : null}
			{faq.permissions.manage ? <TranslationTools id={faq.id} language={faq.language} group={faq.group} busy={busy} /> : null}
			{phrasings ? <LearnedPhrasings phrasings={phrasings} /> : null}
		</article>
	)
}
