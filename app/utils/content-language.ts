import { z } from 'zod'
import { contentLanguages, type ContentLanguage } from './limits'

/**
 * Which content a list shows. Pages show the reader's language (the UI language)
 * unless they ask for all languages, and then the reader's language still comes
 * first; the API shows every language unless a client asks for one, so clients
 * written before content had a language keep getting everything.
 */
export type LanguageScope = {
	/** The language shown (`all: false`) or shown first (`all: true`); null: no preference. */
	language: ContentLanguage | null
	all: boolean
}

export const ALL_LANGUAGES = 'all'

export const isContentLanguage = (value: unknown): value is ContentLanguage => contentLanguages.includes(value as ContentLanguage)

/** A page's `?lang=`: `all`, or a language other than the UI's; anything else is the reader's language. */
export function pageLanguageScope(url: URL, readerLanguage: ContentLanguage): LanguageScope {
	const lang = url.searchParams.get('lang')
	if (lang === ALL_LANGUAGES) return { language: readerLanguage, all: true }
	return { language: isContentLanguage(lang) ? lang : readerLanguage, all: false }
}

export const langParamSchema = z
	.enum([...contentLanguages, ALL_LANGUAGES], { errorMap: () => ({ message: 'lang must be one of: en, ja, all' }) })
	.optional()

/** The API's `lang=`: omitted or `all` is every language with no preference. */
export const apiLanguageScope = (lang: z.infer<typeof langParamSchema>): LanguageScope =>
	lang === undefined || lang === ALL_LANGUAGES ? { language: null, all: true } : { language: lang, all: false }

/** Items in the scope: only its language, or all with its language first (stable, so each list keeps its own order). */
export function inScope<T extends { language: ContentLanguage }>(items: T[], scope: LanguageScope): T[] {
	if (scope.language === null) return items
	const own = items.filter((item) => item.language === scope.language)
	return scope.all ? [...own, ...items.filter((item) => item.language !== scope.language)] : own
}

/** Endonyms: a language's name is shown as its readers write it, whatever the UI language. */
export const languageNames: Record<ContentLanguage, string> = { en: 'English', ja: '日本語' }
