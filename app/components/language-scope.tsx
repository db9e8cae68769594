import { Link, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ALL_LANGUAGES, languageNames, type LanguageScope } from '~/utils/content-language'

/** The same page with another `lang`, other parameters kept (the page number starts again). */
function useLanguageLink() {
	const [params] = useSearchParams()
	return (lang: string | null) => {
		const next = new URLSearchParams(params)
		next.delete('page')
		if (lang === null) next.delete('lang')
		else next.set('lang', lang)
		const query = next.toString()
		return query ? `?${query}` : '?'
	}
}

/** Which languages the list shows, and the link to the other choice. */
export function LanguageSwitch({ scope }: { scope: LanguageScope }) {
	const { t } = useTranslation()
	const link = useLanguageLink()
	if (scope.language === null) return null
	const name = languageNames[scope.language]
	return (
		<p className="language-scope" data-testid="language-scope">
			{scope.all ? (
				<>
					<span>{t('Showing all languages, {{language}} first', { language: name })}</span>{' '}
					<Link to={link(null)} data-testid="language-only">
						{t('Only {{language}}', { language: name })}
					</Link>
				</>
			) : (
				<>
					<span>{t('Showing content in {{language}}', { language: name })}</span>{' '}
					<Link to={link(ALL_LANGUAGES)} data-testid="language-all">
						{t('All languages')}
					</Link>
				</>
			)}
		</p>
	)
}

/** What an empty list says when it shows one language: there may be content in others. */
export function EmptyInLanguage({ scope, fallback }: { scope: LanguageScope; fallback: string }) {
	const { t } = useTranslation()
	const link = useLanguageLink()
	if (scope.language === null || scope.all) return <p className="empty">{fallback}</p>
	return (
		<p className="empty" data-testid="language-empty">
			{t('Nothing in {{language}} here yet.', { language: languageNames[scope.language] })}{' '}
			<Link to={link(ALL_LANGUAGES)}>{t('Show all languages')}</Link>
		</p>
	)
}
