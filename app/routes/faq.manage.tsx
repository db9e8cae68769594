import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useFetcher, useLoaderData } from '@remix-run/react'
import { getFormProps } from '@conform-to/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { z } from 'zod'
import { DraftBadge } from '~/components/faq-list'
import { FormError, TextField, useSchemaForm } from '~/components/form'
import { createCategory, moveCategory, setCategoryTranslation, updateCategory } from '~/knowledge/faq-categories.server'
import { faqOverview, moveFaq } from '~/knowledge/faqs.server'
import { categorySchema, categoryTranslationSchema } from '~/knowledge/validation'
import { languageNames } from '~/utils/content-language'
import { contentLanguages, type ContentLanguage } from '~/utils/limits'
import { parseForm, resultErrors, type FormResult } from '~/utils/form'
import { formAction, formResponse, idParam, parseInput } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Manage FAQs'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request, 'knowledge:manage')
	// Staff order every FAQ, whatever its language; category names show in the UI language.
	return faqOverview(context.actor, { reader: context.locale, languages: { language: null, all: true } })
}

const moveIntentSchema = z.object({ intent: z.enum(['move-category', 'move-faq']) })
const moveSchema = z.object({ id: idParam, direction: z.enum(['up', 'down']) })

export async function action({ request, context }: ActionFunctionArgs) {
	const formData = await request.formData()
	const form = Object.fromEntries(formData)
	if (form.intent === 'create-category' || form.intent === 'update-category') {
		return formAction(parseForm(formData, categorySchema), async (category, submission) => {
			if (form.intent === 'update-category') {
				await updateCategory(context.actor, parseInput(idParam, form.id), category)
				return json({ ok: true as const })
			}
			await createCategory(context.actor, category)
			return json({ ok: true as const, result: submission.reply({ resetForm: true }) })
		})
	}
	if (form.intent === 'translate-category') {
		return formAction(parseForm(formData, categoryTranslationSchema), async (translation) => {
			await setCategoryTranslation(context.actor, parseInput(idParam, form.id), translation)
			return json({ ok: true as const })
		})
	}
	return formResponse(async () => {
		const { intent } = parseInput(moveIntentSchema, form)
		switch (intent) {
			case 'move-category': {
				const { id, direction } = parseInput(moveSchema, form)
				await moveCategory(context.actor, id, direction)
				break
			}
			case 'move-faq': {
				const { id, direction } = parseInput(moveSchema, form)
				await moveFaq(context.actor, id, direction)
				break
			}
		}
		return json({ ok: true as const })
	})
}

type ActionResult = { ok: true; result?: FormResult['result'] } | FormResult
const failure = (data: ActionResult | undefined) => (data && 'result' in data ? data.result : undefined)

export default function ManageFaqs() {
	const { t } = useTranslation()
	const { groups } = useLoaderData<typeof loader>()
	const categories = groups.flatMap((group) => (group.category ? [{ ...group.category, count: group.faqs.length }] : []))
	return (
		<section className="faq-manage">
			<p className="faq-breadcrumb">
				<Link to="/faq">{t('FAQ')}</Link>
			</p>
			{/* Without JavaScript the buttons' forms post the page, and their refusal comes back as the page's. */}
			<FormError errors={resultErrors(failure(useActionData<typeof action>()))} />
			<div className="page-heading">
				<h1>{t('Manage FAQs')}</h1>
				<Link to="/faq/new" className="button primary">
					{t('New FAQ')}
				</Link>
			</div>

			<section className="card">
				<h2>{t('Categories')}</h2>
				{categories.length === 0 ? <p className="muted">{t('No categories yet.')}</p> : null}
				<ol className="manage-list">
					{categories.map((category, index) => (
						<CategoryRow key={category.id} category={category} first={index === 0} last={index === categories.length - 1} />
					))}
				</ol>
				<NewCategoryForm />
			</section>

			<section className="card">
				<h2>{t('Order of FAQs')}</h2>
				{groups.every((group) => group.faqs.length === 0) ? <p className="muted">{t('No FAQs yet.')}</p> : null}
				{groups
					.filter((group) => group.faqs.length > 0)
					.map((group) => (
						<div key={group.category?.id ?? 'uncategorised'} className="manage-group" data-testid="manage-group">
							<h3>{group.category?.name ?? t('Uncategorised')}</h3>
							<ol className="manage-list">
								{group.faqs.map((faq, index) => (
									<li key={faq.id} className="manage-row" data-testid="manage-faq">
										<MoveButtons intent="move-faq" id={faq.id} name={faq.title} first={index === 0} last={index === group.faqs.length - 1} />
										<Link to={faq.url} lang={faq.language}>
											{faq.title}
										</Link>
										{faq.published ? null : <DraftBadge />}
										<Link to={`/faq/${faq.id}/edit`} className="manage-edit">
											{t('Edit')}
										</Link>
									</li>
								))}
							</ol>
						</div>
					))}
			</section>
		</section>
	)
}

function MoveButtons({ intent, id, name, first, last }: { intent: 'move-faq' | 'move-category'; id: number; name: string; first: boolean; last: boolean }) {
	const { t } = useTranslation()
	const fetcher = useFetcher<ActionResult>()
	const busy = fetcher.state !== 'idle'
	return (
		<fetcher.Form method="post" className="move-buttons">
			<input type="hidden" name="intent" value={intent} />
			<input type="hidden" name="id" value={id} />
			<button type="submit" name="direction" value="up" className="button small" disabled={first || busy} aria-label={t('Move {{name}} up', { name })}>
				↑
			</button>
			<button type="submit" name="direction" value="down" className="button small" disabled={last || busy} aria-label={t('Move {{name}} down', { name })}>
				↓
			</button>
			<FormError errors={resultErrors(failure(fetcher.data))} inline />
		</fetcher.Form>
	)
}

type CategoryData = {
	id: number
	name: string
	description: string
	url: string
	count: number
	own: { name: string; description: string }
	translations: Array<{ language: ContentLanguage; name: string; description: string }>
}

function CategoryRow({ category, first, last }: { category: CategoryData; first: boolean; last: boolean }) {
	const { t } = useTranslation()
	const fetcher = useFetcher<ActionResult>()
	const [form, fields] = useSchemaForm(categorySchema, { lastResult: failure(fetcher.data), defaultValue: category.own })
	return (
		<li className="manage-row category-row" data-testid="manage-category">
			<MoveButtons intent="move-category" id={category.id} name={category.name} first={first} last={last} />
			<fetcher.Form method="post" className="category-form" {...getFormProps(form)}>
				<input type="hidden" name="intent" value="update-category" />
				<input type="hidden" name="id" value={category.id} />
				<FormError errors={form.errors} />
				<TextField field={fields.name} label={t('Name')} maxLength={60} />
				<TextField field={fields.description} label={t('Description')} maxLength={300} />
				<button type="submit" className="button small" disabled={fetcher.state !== 'idle'}>
					{t('Save')}
				</button>
			</fetcher.Form>
			<span className="muted">
				<Link to={category.url}>{t('FAQs: {{n}}', { n: category.count })}</Link>
			</span>
			<details className="category-translations" data-testid="category-translations">
				<summary>{t('Names per language')}</summary>
				<p className="muted">{t('Readers see the name in their language; without one, the name above.')}</p>
				{contentLanguages.map((language) => (
					<CategoryTranslationForm key={language} categoryId={category.id} language={language} translation={category.translations.find((row) => row.language === language)} />
				))}
			</details>
		</li>
	)
}

function CategoryTranslationForm({ categoryId, language, translation }: { categoryId: number; language: ContentLanguage; translation?: { name: string; description: string } }) {
	const { t } = useTranslation()
	const fetcher = useFetcher<ActionResult>()
	const [form, fields] = useSchemaForm(categoryTranslationSchema, {
		lastResult: failure(fetcher.data),
		id: `category-${categoryId}-${language}`,
		defaultValue: { language, name: translation?.name ?? '', description: translation?.description ?? '' },
	})
	const name = languageNames[language]
	return (
		<fetcher.Form method="post" className="category-form" lang={language} {...getFormProps(form)} data-testid={`category-translation-${language}`}>
			<input type="hidden" name="intent" value="translate-category" />
			<input type="hidden" name="id" value={categoryId} />
			<input type="hidden" name="language" value={language} />
			<FormError errors={form.errors} />
			<TextField field={fields.name} label={t('Name in {{language}}', { language: name })} maxLength={60} />
			<TextField field={fields.description} label={t('Description in {{language}}', { language: name })} maxLength={300} />
			<button type="submit" className="button small" disabled={fetcher.state !== 'idle'}>
				{t('Save')}
			</button>
		</fetcher.Form>
	)
}

function NewCategoryForm() {
	const { t } = useTranslation()
	const fetcher = useFetcher<ActionResult>()
	const [form, fields] = useSchemaForm(categorySchema, { lastResult: fetcher.data?.result })
	return (
		<fetcher.Form method="post" className="category-form new-category" {...getFormProps(form)}>
			<input type="hidden" name="intent" value="create-category" />
			<FormError errors={form.errors} />
			<TextField field={fields.name} label={t('New category')} maxLength={60} />
			<TextField field={fields.description} label={t('Description')} maxLength={300} />
			<button type="submit" className="button primary" disabled={fetcher.state !== 'idle'}>
				{t('Add category')}
			</button>
		</fetcher.Form>
	)
}
