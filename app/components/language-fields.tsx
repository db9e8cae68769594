import { useTranslation } from 'react-i18next'
import type { ContentLanguage } from '~/utils/limits'
import { languageNames } from '~/utils/content-language'
import { SelectField, type FieldState } from './form'

const choices = (Object.entries(languageNames) as Array<[ContentLanguage, string]>).map(([value, label]) => ({ value, label }))

/**
 * A post's language. A new post offers "detect from the text" first (what the text
 * looks like now is named in it); an edit shows the post's language.
 */
export function PostLanguageField({ field, detected }: { field: FieldState; detected?: ContentLanguage | null }) {
	const { t } = useTranslation()
	const detect = detected === undefined ? [] : [{ value: '', label: detected ? t('Detect from the text ({{language}})', { language: languageNames[detected] }) : t('Detect from the text') }]
	return <SelectField field={field} label={t('Language')} options={[...detect, ...choices]} hint={t('Lists show people the posts in their language first.')} />
}
