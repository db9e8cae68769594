import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { ContentLanguage } from '#db/schema'
import { TextField } from './form'
import { MarkdownEditor } from './markdown-editor'

export type FaqFieldValues = { title: string; body: string; category: string; tags: string; language: ContentLanguage }

/** The fields of the FAQ form; the category can be picked from the existing ones or typed as a new name. */
export function FaqFields({ defaults, errors, categories }: { defaults: FaqFieldValues; errors: Record<string, string>; categories: string[] }) {
	const { t } = useTranslation()
	const listId = useId()
	return (
		<>
			<TextField name="title" label={t('Question')} defaultValue={defaults.title} error={errors.title} maxLength={150} hint={t('Phrase it the way customers ask it.')} />
			<MarkdownEditor name="body" label={t('Answer')} defaultValue={defaults.body} error={errors.body} rows={12} maxLength={30_000} />
			<div className="faq-field-row">
				<div className="field">
					<label htmlFor="field-category">{t('Category')}</label>
					<input
						id="field-category"
						name="category"
						type="text"
						list={listId}
						defaultValue={defaults.category}
						maxLength={60}
						autoComplete="off"
						aria-invalid={errors.category ? true : undefined}
						aria-describedby={errors.category ? 'field-category-error' : undefined}
					/>
					<datalist id={listId}>
						{categories.map((name) => (
							<option key={name} value={name} />
						))}
					</datalist>
					<p className="hint">{t('Pick a category or type a new name.')}</p>
					{errors.category ? (
						<p className="field-error" id="field-category-error" role="alert">
							{t(errors.category)}
						</p>
					) : null}
				</div>
				<div className="field">
					<label htmlFor="field-language">{t('Language')}</label>
					<select id="field-language" name="language" defaultValue={defaults.language}>
						<option value="en">English</option>
						<option value="ja">日本語</option>
					</select>
					{errors.language ? (
						<p className="field-error" role="alert">
							{t(errors.language)}
						</p>
					) : null}
				</div>
			</div>
			<TextField name="tags" label={t('Tags')} defaultValue={defaults.tags} error={errors.tags} hint={t('Up to 5, separated by spaces, e.g. billing sso')} />
		</>
	)
}
