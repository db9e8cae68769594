import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { languageNames } from '~/utils/content-language'
import { contentLanguages, type ContentLanguage } from '~/utils/limits'
import { DraftBadge } from './faq-list'

type Version = { id: number; language: ContentLanguage; title: string; url: string }

/** Links to the article's published versions in other languages. */
export function LanguageSwitchLinks({ translations }: { translations: Version[] }) {
	const { t } = useTranslation()
	if (translations.length === 0) return null
	return (
		<nav className="article-languages" aria-label={t('Other languages')} data-testid="article-languages">
			<span>{t('Also in:')}</span>
			{translations.map((version) => (
				<Link key={version.id} to={version.url} hrefLang={version.language} lang={version.language} title={version.title}>
					{languageNames[version.language]}
				</Link>
			))}
		</nav>
	)
}

/** Staff: the article's versions, "Translate to …" for the languages it lacks, and linking an existing article. */
export function TranslationTools({ id, language, group, busy }: { id: number; language: ContentLanguage; group: Array<Version & { published: boolean }>; busy: boolean }) {
	const { t } = useTranslation()
	const missing = contentLanguages.filter((lang) => lang !== language && !group.some((version) => version.language === lang))
	const linked = group.length > 1
	return (
		<section className="card translation-tools" aria-labelledby={`translations-${id}`} data-testid="translation-tools">
			<h2 id={`translations-${id}`}>{t('Translations')}</h2>
			{linked ? (
				<ul className="plain-list">
					{group
						.filter((version) => version.id !== id)
						.map((version) => (
							<li key={version.id}>
								{languageNames[version.language]}:{' '}
								<Link to={version.url} lang={version.language}>
									{version.title}
								</Link>{' '}
								{version.published ? null : <DraftBadge />}
							</li>
						))}
				</ul>
			) : (
				<p className="muted">{t('No translations yet.')}</p>
			)}
			<div className="actions">
				{missing.map((lang) => (
					<Form method="post" key={lang} className="inline-form">
						<input type="hidden" name="intent" value="translate" />
						<input type="hidden" name="language" value={lang} />
						<button type="submit" className="button small" disabled={busy}>
							{t('Translate to {{language}}', { language: languageNames[lang] })}
						</button>
					</Form>
				))}
				{linked ? (
					<Form method="post" className="inline-form">
						<input type="hidden" name="intent" value="unlink-translation" />
						<button type="submit" className="button small" disabled={busy}>
							{t('Unlink from its translations')}
						</button>
					</Form>
				) : null}
			</div>
			{missing.length > 0 ? (
				<Form method="post" className="inline-form link-translation">
					<input type="hidden" name="intent" value="link-translation" />
					<label htmlFor={`link-${id}`}>{t('Link an existing translation (its id or link)')}</label>
					<input id={`link-${id}`} name="other" type="text" maxLength={500} required />
					<button type="submit" className="button small" disabled={busy}>
						{t('Link')}
					</button>
				</Form>
			) : null}
		</section>
	)
}
