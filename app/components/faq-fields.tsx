import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { ContentLanguage } from '#db/schema'
import { SelectField, TextField, type FieldState } from './form'
import { MarkdownEditor } from './markdown-editor'

export type FaqFieldValues = { title: string; body: string; category: string; tags: string; language: ContentLanguage }

/** The fields of the FAQ form; the category can be picked from the existing ones or typed as a new name. */
export function FaqFields({ fields, categories }: { fields: Record<keyof FaqFieldValues, FieldState>; categories: string[] }) {
	const { t } = useTranslation()
	const listId = useId()
	return (
		<>
			<TextField field={fields.title} label={t('Question')} maxLength={150} hint={t('Phrase it the way customers ask it.')} />
			<MarkdownEditor field={fields.body} label={t('Answer')} rows={12} maxLength={30_000} />
			<div className="faq-field-row">
				<TextField field={fields.category} label={t('Category')} list={listId} maxLength={60} autoComplete="off" hint={t('Pick a category or type a new name.')} />
				<datalist id={listId}>
					{categories.map((name) => (
						<option key={name} value={name} />
					))}
				</datalist>
				<SelectField
					field={fields.language}
					label={t('Language')}
					options={[
						{ value: 'en', label: 'English' },
						{ value: 'ja', label: '日本語' },
					]}
				/>
			</div>
			<TextField field={fields.tags} label={t('Tags')} hint={t('Up to 5, separated by commas; spaces inside a tag become hyphens, e.g. billing, team invites (the tag team-invites)')} />
		</>
	)
}
