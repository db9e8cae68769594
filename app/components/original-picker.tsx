import { useFetcher } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { TextField, type FieldState } from './form'

type Suggestions = { hits: Array<{ id: number; type: 'question' | 'faq' | 'tutorial'; title: string; url: string }> }

/** A number, "#12" or a link: typed as such, it needs no suggestions. */
const isReference = (typed: string) => /^#?\d+$/.test(typed) || typed.startsWith('/') || typed.includes('://')

/**
 * The original of a duplicate: staff type words and pick a question or FAQ from
 * the suggestions, which fill in its link. Without JavaScript (or for a known
 * one) the field takes its number or link, as the server reads it either way.
 */
export function OriginalPicker({ field, questionId }: { field: FieldState; questionId: number }) {
	const { t } = useTranslation()
	const suggestions = useFetcher<Suggestions>()
	const listId = `original-suggestions-${questionId}`
	const options = (suggestions.data?.hits ?? []).filter((hit) => !(hit.type === 'question' && hit.id === questionId))
	return (
		<>
			<TextField
				field={field}
				label={t('Number or link')}
				type="search"
				list={listId}
				autoComplete="off"
				maxLength={500}
				placeholder="12 · /questions/12/… · /faq/3/…"
				hint={t('Type words from its title to pick a question or FAQ, or enter its number or link.')}
				onChange={(typed) => {
					const text = typed.trim()
					if (text.length >= 2 && !isReference(text)) suggestions.load(`/resources/search-suggest?scope=originals&q=${encodeURIComponent(text)}`)
				}}
			/>
			<datalist id={listId} data-testid="original-suggestions">
				{options.map((hit) => (
					<option key={`${hit.type}-${hit.id}`} value={hit.url}>
						{`${hit.type === 'faq' ? t('FAQ') : t('Question')}: ${hit.title}`}
					</option>
				))}
			</datalist>
		</>
	)
}
