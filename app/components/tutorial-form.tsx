import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ContentLanguage, LifecyclePhase } from '#db/schema'
import { TextField } from './form'
import { MarkdownEditor } from './markdown-editor'
import { languageLabels } from './tutorial-meta'
import { phaseLabels } from '~/insights/labels'

export type TutorialFormDefaults = {
	title: string
	summary: string
	estimatedMinutes: number
	phase: LifecyclePhase
	language: ContentLanguage
	position: number
	published: boolean
	steps: Array<{ title: string; body: string }>
}

const MAX_STEPS = 30

/** The fields of the staff tutorial form; steps are posted as steps[i][title] and steps[i][body]. */
export function TutorialFields({ defaults, errors }: { defaults?: TutorialFormDefaults; errors: Record<string, string> }) {
	const { t, i18n } = useTranslation()
	return (
		<>
			<TextField name="title" label={t('Title')} defaultValue={defaults?.title} error={errors.title} maxLength={150} />
			<div className="field">
				<label htmlFor="field-summary">{t('Summary')}</label>
				<textarea
					id="field-summary"
					name="summary"
					rows={3}
					maxLength={1000}
					defaultValue={defaults?.summary}
					aria-invalid={errors.summary ? true : undefined}
					aria-describedby={errors.summary ? 'field-summary-error' : 'field-summary-hint'}
				/>
				<p className="hint" id="field-summary-hint">
					{t('One or two sentences: what people will be able to do afterwards.')}
				</p>
				{errors.summary ? (
					<p className="field-error" id="field-summary-error" role="alert">
						{t(errors.summary)}
					</p>
				) : null}
			</div>
			<div className="tutorial-form-row">
				<TextField
					name="estimatedMinutes"
					type="number"
					label={t('Estimated minutes')}
					defaultValue={String(defaults?.estimatedMinutes ?? 5)}
					error={errors.estimatedMinutes}
				/>
				<SelectField
					name="phase"
					label={t('Customer phase')}
					defaultValue={defaults?.phase ?? 'onboarding'}
					options={Object.entries(phaseLabels).map(([value, label]) => [value, t(label)])}
					error={errors.phase}
				/>
				<SelectField
					name="language"
					label={t('Language')}
					defaultValue={defaults?.language ?? (i18n.language === 'ja' ? 'ja' : 'en')}
					options={Object.entries(languageLabels).map(([value, label]) => [value, t(label)])}
					error={errors.language}
				/>
				<TextField
					name="position"
					type="number"
					label={t('Order')}
					hint={t('Lower numbers are listed first.')}
					defaultValue={String(defaults?.position ?? 0)}
					error={errors.position}
				/>
			</div>
			<StepsEditor defaults={defaults?.steps ?? []} errors={errors} />
			<div className="field checkbox-field">
				<label>
					<input type="checkbox" name="published" defaultChecked={defaults?.published ?? false} /> {t('Published')}
				</label>
				<p className="hint">{t('Drafts are only visible to staff.')}</p>
			</div>
		</>
	)
}

function SelectField({
	name,
	label,
	defaultValue,
	options,
	error,
}: {
	name: string
	label: string
	defaultValue: string
	options: Array<[string, string]>
	error?: string
}) {
	const { t } = useTranslation()
	const id = `field-${name}`
	return (
		<div className="field">
			<label htmlFor={id}>{label}</label>
			<select id={id} name={name} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
				{options.map(([value, text]) => (
					<option key={value} value={value}>
						{text}
					</option>
				))}
			</select>
			{error ? (
				<p className="field-error" id={`${id}-error`} role="alert">
					{t(error)}
				</p>
			) : null}
		</div>
	)
}

type EditableStep = { key: number; title: string; body: string }

/**
 * The ordered list of steps. Each step keeps a stable key while it moves, so
 * what was typed travels with it; only the field names follow the new order.
 */
function StepsEditor({ defaults, errors }: { defaults: Array<{ title: string; body: string }>; errors: Record<string, string> }) {
	const { t } = useTranslation()
	const nextKey = useRef(0)
	const [steps, setSteps] = useState<EditableStep[]>(() =>
		(defaults.length > 0 ? defaults : [{ title: '', body: '' }]).map((step) => ({ ...step, key: nextKey.current++ })),
	)
	const [focusKey, setFocusKey] = useState<number | null>(null)

	useEffect(() => {
		if (focusKey === null) return
		const index = steps.findIndex((step) => step.key === focusKey)
		document.getElementById(`field-steps[${index}][title]`)?.focus()
		setFocusKey(null)
	}, [focusKey, steps])

	const add = () => {
		const key = nextKey.current++
		setSteps((current) => [...current, { key, title: '', body: '' }])
		setFocusKey(key)
	}
	const remove = (index: number) => setSteps((current) => current.filter((_, i) => i !== index))
	const move = (index: number, by: -1 | 1) => {
		setSteps((current) => {
			const next = [...current]
			const [step] = next.splice(index, 1)
			next.splice(index + by, 0, step!)
			return next
		})
	}

	return (
		<section className="steps-editor" aria-labelledby="steps-editor-heading">
			<h2 id="steps-editor-heading">{t('Steps')}</h2>
			{errors.steps ? (
				<p className="field-error" role="alert">
					{t(errors.steps)}
				</p>
			) : null}
			<ol className="steps-editor-list">
				{steps.map((step, i) => {
					const number = i + 1
					return (
						<li key={step.key} className="step-editor" data-testid="step-editor">
							<div className="step-editor-heading">
								<h3>{t('Step {{number}}', { number })}</h3>
								<div className="step-editor-actions">
									<button type="button" className="button small" onClick={() => move(i, -1)} disabled={i === 0} aria-label={t('Move step {{number}} up', { number })}>
										↑
									</button>
									<button
										type="button"
										className="button small"
										onClick={() => move(i, 1)}
										disabled={i === steps.length - 1}
										aria-label={t('Move step {{number}} down', { number })}
									>
										↓
									</button>
									<button type="button" className="button small" onClick={() => remove(i)} disabled={steps.length === 1} aria-label={t('Remove step {{number}}', { number })}>
										{t('Remove')}
									</button>
								</div>
							</div>
							<TextField name={`steps[${i}][title]`} label={t('Step {{number}} title', { number })} defaultValue={step.title} error={errors[`steps.${i}.title`]} maxLength={120} />
							<MarkdownEditor
								name={`steps[${i}][body]`}
								label={t('Step {{number}} instructions', { number })}
								defaultValue={step.body}
								error={errors[`steps.${i}.body`]}
								rows={6}
								maxLength={20_000}
							/>
						</li>
					)
				})}
			</ol>
			<button type="button" className="button" onClick={add} disabled={steps.length >= MAX_STEPS}>
				+ {t('Add step')}
			</button>
		</section>
	)
}
