import { useTranslation } from 'react-i18next'
import { TextField, type FieldState } from './form'
import { MarkdownEditor } from './markdown-editor'
import { PostLanguageField } from './language-fields'
import type { ContentLanguage } from '~/utils/limits'

export function QuestionFields({
	fields,
	onTitleChange,
	afterTitle,
	detectedLanguage,
}: {
	fields: { title: FieldState; body: FieldState; tags: FieldState; language: FieldState }
	/** On a new question: the language the title looks like so far (null before any text); an edit shows the question's own. */
	detectedLanguage?: ContentLanguage | null
	onTitleChange?: (title: string) => void
	/** Shown right under the title, e.g. content that may already answer it. */
	afterTitle?: React.ReactNode
}) {
	const { t } = useTranslation()
	return (
		<>
			<TextField field={fields.title} label={t('Title')} maxLength={150} hint={t('Be specific: what are you trying to do, and what happens?')} onChange={onTitleChange} />
			{afterTitle}
			<MarkdownEditor field={fields.body} label={t('Details')} maxLength={30_000} />
			<TextField field={fields.tags} label={t('Tags')} hint={t('Up to 5, separated by commas; spaces inside a tag become hyphens, e.g. billing, team invites (the tag team-invites)')} />
			<PostLanguageField field={fields.language} detected={detectedLanguage} />
		</>
	)
}
