import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useFetchers, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { can } from '~/auth/permissions.server'
import { FeedbackSummary, FeedbackWidget } from '~/components/feedback-widget'
import { TutorialMeta, TutorialProgressBar } from '~/components/tutorial-meta'
import { feedbackSummary } from '~/knowledge/feedback.server'
import { recordContentView } from '~/insights/events.server'
import { learnedPhrasingsPage } from '~/knowledge/phrasings.server'
import { readPage } from '~/utils/paging'
import { LearnedPhrasings } from '~/components/learned-phrasings'
import { getTutorial, setStepDone, setTutorialPublished, type TutorialPage } from '~/knowledge/tutorials.server'
import { formResponse, idParam, pageError, parseInput, routeId } from '~/utils/http.server'
import { FormError } from '~/components/form'
import { resultErrors, type FormResult } from '~/utils/form'
import { phaseLabels } from '~/insights/labels'
import { LanguageSwitchLinks, TranslationTools } from '~/components/article-languages'
import { isTranslationIntent, runTranslationIntent, translationIntentSchema } from '~/knowledge/article-translations.server'
import { htmlToText, seoMeta } from '~/utils/seo'
import { breadcrumbs, howTo } from '~/utils/structured-data'

export const meta: MetaFunction<typeof loader> = (args) =>
	seoMeta(args, (t) => {
		if (!args.data) return { title: t('Tutorials') }
		const { tutorial } = args.data
		return {
			title: tutorial.title,
			description: tutorial.summary || htmlToText(tutorial.steps[0]?.html ?? ''),
			canonical: tutorial.url,
			type: 'article',
			// An unpublished tutorial is for staff only.
			noindex: !tutorial.published,
			alternates: tutorial.published ? [{ language: tutorial.language, url: tutorial.url }, ...tutorial.translations] : [],
			jsonLd: (site) => [howTo(site, tutorial), breadcrumbs(site, [{ name: t('Tutorials'), path: '/tutorials' }, { name: tutorial.title, path: tutorial.url }])],
		}
	})

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	const id = routeId(params.id)
	const tutorial = await getTutorial(id, context.actor).catch(pageError)
	// Keep the query: a visitor arriving from search carries the search id in it.
	if (params.slug !== tutorial.slug) throw redirect(`${tutorial.url}${new URL(request.url).search}`, { status: 301 })
	if (tutorial.published) await recordContentView(context, { type: 'tutorial', id }, { fromAskForm: new URL(request.url).searchParams.get('from') === 'ask' })
	const feedback = can(context.actor, 'feedback:view') ? await feedbackSummary('tutorial', id) : null
	const phrasings = can(context.actor, 'knowledge:manage') ? await learnedPhrasingsPage('tutorial', id, readPage(new URL(request.url).searchParams, 'phrasings')) : null
	return { tutorial, feedback, phrasings }
}

const boolean = z.enum(['true', 'false']).transform((value) => value === 'true')
const intentSchema = z.object({ intent: z.enum(['progress', 'publish']) })
const progressSchema = z.object({ stepId: idParam, done: boolean })
const publishSchema = z.object({ published: boolean })

export async function action({ request, params, context }: ActionFunctionArgs) {
	const id = routeId(params.id)
	const form = Object.fromEntries(await request.formData())
	return formResponse(async () => {
		if (isTranslationIntent(form.intent)) {
			const next = await runTranslationIntent(context.actor, 'tutorial', id, parseInput(translationIntentSchema, form))
			return redirect(next ?? `/tutorials/${id}`)
		}
		const { intent } = parseInput(intentSchema, form)
		switch (intent) {
			case 'progress': {
				const input = parseInput(progressSchema, form)
				return json(await setStepDone(context.actor, id, input.stepId, input.done))
			}
			case 'publish': {
				const input = parseInput(publishSchema, form)
				return json(await setTutorialPublished(context.actor, id, input.published))
			}
		}
	})
}

/** Step states as the person sees them: checks still on their way to the server count already. */
function useOptimisticSteps(steps: TutorialPage['steps']) {
	const fetchers = useFetchers()
	const pending = new Map<number, boolean>()
	for (const fetcher of fetchers) {
		if (fetcher.formData?.get('intent') !== 'progress') continue
		pending.set(Number(fetcher.formData.get('stepId')), fetcher.formData.get('done') === 'true')
	}
	return steps.map((step) => ({ ...step, done: pending.get(step.id) ?? step.done }))
}

export default function TutorialPageRoute() {
	const { t } = useTranslation()
	const { tutorial, feedback, phrasings } = useLoaderData<typeof loader>()
	const steps = useOptimisticSteps(tutorial.steps)
	const done = steps.filter((step) => step.done).length
	const nextStep = steps.findIndex((step) => !step.done)
	const result = useActionData<typeof action>()
	const busy = useNavigation().state !== 'idle'
	return (
		<article className="tutorial">
			<header className="thread-header">
				<p className="tutorial-phase">{t(phaseLabels[tutorial.phase])}</p>
				<h1 lang={tutorial.language}>{tutorial.title}</h1>
				<LanguageSwitchLinks translations={tutorial.translations} />
				<div className="thread-meta">
					<TutorialMeta tutorial={tutorial} />
					{tutorial.permissions.manage ? <StaffActions id={tutorial.id} published={tutorial.published} /> : null}
				</div>
			</header>
			<p className="tutorial-lead" lang={tutorial.language}>
				{tutorial.summary}
			</p>

			{tutorial.permissions.progress ? (
				<section className="card tutorial-status" aria-label={t('Your progress')}>
					<TutorialProgressBar done={done} total={steps.length} />
					{nextStep >= 0 ? (
						<a href={`#step-${nextStep + 1}`} className="button primary">
							{done === 0 ? t('Start tutorial') : t('Continue with step {{number}}', { number: nextStep + 1 })}
						</a>
					) : null}
				</section>
			) : (
				<p className="tutorial-status">
					<Link to={`/signin?redirectTo=${encodeURIComponent(tutorial.url)}`}>{t('Sign in to track your progress')}</Link>
				</p>
			)}

			<ol className="tutorial-steps">
				{steps.map((step, i) => (
					<li key={step.id} id={`step-${i + 1}`} className={step.done ? 'tutorial-step done' : 'tutorial-step'} data-testid="tutorial-step">
						<div className="tutorial-step-number" aria-hidden>
							{step.done ? '✓' : i + 1}
						</div>
						<div className="tutorial-step-body">
							<h2 lang={tutorial.language}>
								<span className="visually-hidden">{t('Step {{number}}', { number: i + 1 })}: </span>
								{step.title}
							</h2>
							<div className="markdown" lang={tutorial.language} dangerouslySetInnerHTML={{ __html: step.html }} />
							{tutorial.permissions.progress ? <StepToggle stepId={step.id} done={step.done} /> : null}
						</div>
					</li>
				))}
			</ol>

			<FeedbackWidget targetType="tutorial" targetId={tutorial.id} />
			{feedback ? <FeedbackSummary summary={feedback} /> : null}
			{tutorial.permissions.manage ? (
				<>
					<FormError errors={resultErrors(result && 'result' in result ? result.result : undefined)} />
					<TranslationTools id={tutorial.id} language={tutorial.language} group={tutorial.group} busy={busy} />
				</>
			) : null}
			{phrasings ? <LearnedPhrasings phrasings={phrasings} /> : null}
		</article>
	)
}

function StepToggle({ stepId, done }: { stepId: number; done: boolean }) {
	const { t } = useTranslation()
	const fetcher = useFetcher<Partial<FormResult>>()
	return (
		<fetcher.Form method="post" className="step-toggle">
			<input type="hidden" name="intent" value="progress" />
			<input type="hidden" name="stepId" value={stepId} />
			<button type="submit" name="done" value={done ? 'false' : 'true'} className={done ? 'button small active' : 'button small'} aria-pressed={done}>
				<span aria-hidden>{done ? '☑' : '☐'}</span> {t('Done')}
			</button>
			{fetcher.state === 'idle' ? <FormError errors={resultErrors(fetcher.data?.result)} inline /> : null}
		</fetcher.Form>
	)
}

function StaffActions({ id, published }: { id: number; published: boolean }) {
	const { t } = useTranslation()
	const busy = useNavigation().formData?.get('intent') === 'publish'
	return (
		<>
			<Link to={`/tutorials/${id}/edit`}>{t('Edit')}</Link>
			<Form method="post" className="inline-form" preventScrollReset>
				<input type="hidden" name="intent" value="publish" />
				<button type="submit" name="published" value={published ? 'false' : 'true'} className="button small" disabled={busy}>
					{published ? t('Unpublish') : t('Publish')}
				</button>
			</Form>
		</>
	)
}
