import { useTranslation } from 'react-i18next'
import { TextField } from './form'
import { MarkdownEditor } from './markdown-editor'

export function QuestionFields({
	defaults,
	errors,
	onTitleChange,
	afterTitle,
}: {
	defaults?: { title: string; body: string; tags: string }
	errors: Record<string, string>
	onTitleChange?: (title: string) => void
	/** Shown right under the title, e.g. content that may already answer it. */
	afterTitle?: React.ReactNode
}) {
	const { t } = useTranslation()
	return (
		<>
			<TextField name="title" label={t('Title')} defaultValue={defaults?.title} error={errors.title} maxLength={150} hint={t('Be specific: what are you trying to do, and what happens?')} onChange={onTitleChange} />
			{afterTitle}
			<MarkdownEditor name="body" label={t('Details')} defaultValue={defaults?.body} error={errors.body} maxLength={30_000} />
			<TextField name="tags" label={t('Tags')} defaultValue={defaults?.tags} error={errors.tags} hint={t('Up to 5, separated by spaces, e.g. billing sso')} />
		</>
	)
}
