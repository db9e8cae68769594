import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { getFormProps } from '@conform-to/react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireSignedIn } from '~/auth/pages.server'
import { FormError, SelectField, TextareaField, TextField, useSchemaForm } from '~/components/form'
import { loadConfig } from '~/config.server'
import { communityOrigin } from '~/sso/config.server'
import { parseForm } from '~/utils/form'
import { formAction, idParam, pageError } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'
import { widgetAssets } from '~/widget/assets.server'
import { addPageRule, removePageRule, saveWidgetSettings, widgetAdminOverview } from '~/widget/settings.server'
import { pageRuleSchema, widgetSettingsSchema } from '~/widget/validation'

/** Defines `Kizuna` until widget.js loads: the commands wait in `Kizuna.q`, which widget.js runs first. */
const QUEUE_STUB = 'window.Kizuna=window.Kizuna||function(){(Kizuna.q=Kizuna.q||[]).push(arguments)};'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Help widget'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	requireSignedIn(context, request, 'widget:view')
	const overview = await widgetAdminOverview(context.actor).catch(pageError)
	return { ...overview, origin: communityOrigin(loadConfig().KIZUNA_PUBLIC_URL, request.url), version: widgetAssets.loader.version }
}

const removeSchema = z.object({ id: idParam })

export async function action({ request, context }: ActionFunctionArgs) {
	const formData = await request.formData()
	const intent = formData.get('intent')
	if (intent === 'add-rule') {
		return formAction(parseForm(formData, pageRuleSchema), async (input, submission) => {
			await addPageRule(context.actor, input)
			return json({ result: submission.reply({ resetForm: true }), intent: 'add-rule' as const, saved: true as const })
		})
	}
	if (intent === 'remove-rule') {
		return formAction(parseForm(formData, removeSchema), async (input, submission) => {
			await removePageRule(context.actor, input.id)
			return json({ result: submission.reply(), intent: 'remove-rule' as const, saved: true as const })
		})
	}
	return formAction(parseForm(formData, widgetSettingsSchema), async (input, submission) => {
		await saveWidgetSettings(context.actor, input)
		return json({ result: submission.reply(), intent: 'settings' as const, saved: true as const })
	})
}

export default function WidgetSettings() {
	const { t } = useTranslation()
	const overview = useLoaderData<typeof loader>()
	const answer = useActionData<typeof action>()
	const intent = answer && 'intent' in answer ? answer.intent : 'settings'
	const [form, fields] = useSchemaForm(widgetSettingsSchema, {
		id: 'widget-settings',
		lastResult: intent === 'settings' ? answer?.result : undefined,
		defaultValue: { allowedOrigins: overview.settings.allowedOrigins.join('\n'), supportLink: overview.settings.supportLink ?? '' },
	})
	const [ruleForm, ruleFields] = useSchemaForm(pageRuleSchema, { id: 'widget-rule', lastResult: intent === 'add-rule' ? answer?.result : undefined, defaultValue: { targetType: 'faq' } })
	const busy = useNavigation().state === 'submitting'
	const readOnly = !overview.canConfigure
	const snippet = `<script src="${overview.origin}/widget.js" defer></script>`
	const targetLabels = { faq: t('FAQ'), tutorial: t('Tutorial'), tag: t('Tag') }
	const learnedLabels = { faq: t('FAQ'), tutorial: t('Tutorial'), question: t('Solved thread') }
	return (
		<section className="card widget-settings">
			<h1>{t('Help widget')}</h1>
			<p className="muted">
				{t("One script tag adds a help launcher to your product's pages: search, suggestions for the page, the onboarding checklist, asking the community and contacting support.")}
			</p>
			<h2 id="widget-snippet-heading">{t('Embed snippet')}</h2>
			{/* Focusable: its long lines scroll sideways, which keyboard users must be able to do too. */}
			<pre className="widget-snippet" data-testid="widget-snippet" tabIndex={0} aria-labelledby="widget-snippet-heading">
				<code>{`${snippet}\n<script nonce="…">\n  // ${t(
					'Runs before the deferred widget.js: the first line queues the commands until it loads. Then a fresh single sign-on token for the person.'
				)}\n  ${QUEUE_STUB}\n  Kizuna('identify', () => fetch('/community-token').then((r) => r.text()))\n</script>`}</code>
			</pre>
			<p className="hint">{t("Your product's Content-Security-Policy must allow this community in script-src and frame-src; no style-src or connect-src change is needed.")}</p>
			<h2>{t('Settings')}</h2>
			<Form method="post" {...getFormProps(form)}>
				<input type="hidden" name="intent" value="settings" />
				{intent === 'settings' && answer && 'saved' in answer ? (
					<p className="notice" role="status">
						{t('Saved.')}
					</p>
				) : null}
				<FormError errors={form.errors} />
				<fieldset disabled={readOnly}>
					<TextareaField
						field={fields.allowedOrigins}
						label={t('Origins allowed to embed the panel')}
						hint={t('One a line, e.g. https://app.example.com (at most 20). Every other site is refused.')}
						rows={4}
					/>
					<TextField field={fields.supportLink} label={t('Contact support link')} hint={t('An https:// address or a mailto: link. Empty: no "Contact support" button.')} />
					{readOnly ? null : (
						<button type="submit" className="button primary" disabled={busy}>
							{t('Save')}
						</button>
					)}
				</fieldset>
			</Form>
			<h2>{t('Page rules')}</h2>
			<p className="hint">{t('On host pages whose path matches (* stands for anything), the panel suggests these first, then what people on those pages found helpful.')}</p>
			{overview.rules.length === 0 ? (
				<p className="muted">{t('No page rules yet.')}</p>
			) : (
				<div className="table-scroll">
					<table className="data-table widget-rules">
						<thead>
							<tr>
								<th scope="col">{t('Page')}</th>
								<th scope="col">{t('Suggests')}</th>
								{readOnly ? null : <th scope="col">{t('Actions')}</th>}
							</tr>
						</thead>
						<tbody>
							{overview.rules.map((rule) => (
								<tr key={rule.id}>
									<td>
										<code>{rule.pattern}</code>
									</td>
									<td>
										{targetLabels[rule.targetType]}: {rule.targetType === 'tag' ? rule.tag : rule.title ?? `#${rule.targetId}`}
									</td>
									{readOnly ? null : (
										<td>
											<Form method="post">
												<input type="hidden" name="intent" value="remove-rule" />
												<input type="hidden" name="id" value={rule.id} />
												<button type="submit" className="button" disabled={busy}>
													{t('Remove')}
												</button>
											</Form>
										</td>
									)}
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			{overview.rules.length === 0 ? null : (
				<section className="widget-learned" aria-labelledby="widget-learned">
					<h3 id="widget-learned">{t('Found helpful on these pages')}</h3>
					<p className="hint">{t('What people on pages of each pattern found helpful in the widget, most often first: the panel suggests it after the rules.')}</p>
					<dl>
						{Object.entries(overview.learned).map(([pattern, learned]) => (
							<div key={pattern}>
								<dt>
									<code>{pattern}</code>
								</dt>
								<dd>
									{learned.length === 0 ? (
										<span className="muted">{t('Nothing learned yet.')}</span>
									) : (
										<ul>
											{learned.map((item) => (
												<li key={`${item.type}:${item.id}`}>
													{learnedLabels[item.type]}: {item.title}
												</li>
											))}
										</ul>
									)}
								</dd>
							</div>
						))}
					</dl>
				</section>
			)}
			{readOnly ? null : (
				<Form method="post" {...getFormProps(ruleForm)}>
					<input type="hidden" name="intent" value="add-rule" />
					<FormError errors={ruleForm.errors} />
					<TextField field={ruleFields.pattern} label={t('Host page path')} hint={t('e.g. /settings/billing*')} />
					<SelectField
						field={ruleFields.targetType}
						label={t('Suggest')}
						options={[
							{ value: 'faq', label: t('FAQ') },
							{ value: 'tutorial', label: t('Tutorial') },
							{ value: 'tag', label: t('Tag') },
						]}
					/>
					<TextField field={ruleFields.target} label={t('FAQ or tutorial (number or link), or tag')} />
					<button type="submit" className="button" disabled={busy}>
						{t('Add page rule')}
					</button>
				</Form>
			)}
			<Preview version={overview.version} />
		</section>
	)
}

type KizunaFunction = (command: string, argument?: unknown) => void

/** The real widget on this page, opened as it would be on a page of the product with that path. */
function Preview({ version }: { version: string }) {
	const { t } = useTranslation()
	const [page, setPage] = useState('/settings/billing')
	const open = () => {
		const run = () => {
			const kizuna = (window as unknown as { Kizuna?: KizunaFunction }).Kizuna
			kizuna?.('page', page)
			kizuna?.('open')
		}
		if ((window as unknown as { Kizuna?: KizunaFunction }).Kizuna) return run()
		const script = document.createElement('script')
		script.src = `/widget.js?v=${version}`
		script.onload = run
		document.head.appendChild(script)
	}
	return (
		<>
			<h2>{t('Live preview')}</h2>
			<div className="field">
				<label htmlFor="widget-preview-page">{t('As on the host page')}</label>
				<input id="widget-preview-page" value={page} maxLength={300} onChange={(event) => setPage(event.target.value)} />
			</div>
			<button type="button" className="button" onClick={open} data-testid="widget-preview">
				{t('Open the preview')}
			</button>
		</>
	)
}
