import { type FieldMetadata, type FormMetadata } from '@conform-to/react'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import { tutorialSchema } from '~/knowledge/validation'
import { ErrorList, SelectField, TextareaField, TextField } from './form'
import { MarkdownEditor } from './markdown-editor'
import { languageLabels } from './tutorial-meta'
import { phaseLabels } from '~/insights/labels'

/** The tutorial as its form posts it: a form whose steps were all removed by hand posts none, and is told to add one. */
export const tutorialFormSchema = tutorialSchema.extend({ steps: tutorialSchema.shape.steps.default([]) })

type Values = z.input<typeof tutorialFormSchema>

const MAX_STEPS = 30

export const emptyStep = { title: '', body: '' }

/** The fields of the staff tutorial form; steps are a Conform field list (steps[i].title, steps[i].body). */
export function TutorialFields({ form, fields }: { form: FormMetadata<Values>; fields: ReturnType<FormMetadata<Values>['getFieldset']> }) {
	const { t } = useTranslation()
	return (
		<>
			<TextField field={fields.title} label={t('Title')} maxLength={150} />
			<TextareaField field={fields.summary} label={t('Summary')} rows={3} maxLength={1000} hint={t('One or two sentences: what people will be able to do afterwards.')} />
			<div className="tutorial-form-row">
				<TextField field={fields.estimatedMinutes} type="number" label={t('Estimated minutes')} />
				<SelectField field={fields.phase} label={t('Customer phase')} options={Object.entries(phaseLabels).map(([value, label]) => ({ value, label: t(label) }))} />
				<SelectField field={fields.language} label={t('Language')} options={Object.entries(languageLabels).map(([value, label]) => ({ value, label: t(label) }))} />
				<TextField field={fields.position} type="number" label={t('Order')} hint={t('Lower numbers are listed first.')} />
			</div>
			<StepsEditor form={form} steps={fields.steps} />
			<div className="field checkbox-field">
				<label>
					<input type="checkbox" name={fields.published.name} defaultChecked={fields.published.initialValue === 'on'} key={fields.published.key} /> {t('Published')}
				</label>
				<p className="hint">{t('Drafts are only visible to staff.')}</p>
			</div>
		</>
	)
}

/**
 * The ordered list of steps. Adding, moving and removing are Conform list intents:
 * handled in the browser, or by the action when JavaScript is off. Each step keeps
 * its key while it moves, so what was typed travels with it.
 */
function StepsEditor({ form, steps }: { form: FormMetadata<Values>; steps: FieldMetadata<Values['steps'], Values> }) {
	const { t } = useTranslation()
	const list = steps.getFieldList()
	const count = useRef(list.length)
	const lastTitleId = list.at(-1)?.getFieldset().title.id

	// A step just added gets the focus, as a person adding one means to type it.
	useEffect(() => {
		if (list.length > count.current && lastTitleId) document.getElementById(lastTitleId)?.focus()
		count.current = list.length
	}, [list.length, lastTitleId])

	return (
		<section className="steps-editor" aria-labelledby="steps-editor-heading">
			<h2 id="steps-editor-heading">{t('Steps')}</h2>
			<ErrorList id={steps.errorId} errors={steps.errors} />
			<ol className="steps-editor-list">
				{list.map((step, i) => {
					const number = i + 1
					const { title, body } = step.getFieldset()
					return (
						<li key={step.key} className="step-editor" data-testid="step-editor">
							<div className="step-editor-heading">
								<h3>{t('Step {{number}}', { number })}</h3>
								<div className="step-editor-actions">
									<button
										className="button small"
										{...form.reorder.getButtonProps({ name: steps.name, from: i, to: i - 1 })}
										disabled={i === 0}
										aria-label={t('Move step {{number}} up', { number })}
									>
										↑
									</button>
									<button
										className="button small"
										{...form.reorder.getButtonProps({ name: steps.name, from: i, to: i + 1 })}
										disabled={i === list.length - 1}
										aria-label={t('Move step {{number}} down', { number })}
									>
										↓
									</button>
									<button
										className="button small"
										{...form.remove.getButtonProps({ name: steps.name, index: i })}
										disabled={list.length === 1}
										aria-label={t('Remove step {{number}}', { number })}
									>
										{t('Remove')}
									</button>
								</div>
							</div>
							<TextField field={title} label={t('Step {{number}} title', { number })} maxLength={120} />
							<MarkdownEditor field={body} label={t('Step {{number}} instructions', { number })} rows={6} maxLength={20_000} />
						</li>
					)
				})}
			</ol>
			<button className="button" {...form.insert.getButtonProps({ name: steps.name, defaultValue: emptyStep })} disabled={list.length >= MAX_STEPS}>
				+ {t('Add step')}
			</button>
		</section>
	)
}
