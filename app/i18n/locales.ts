export const locales = ['en', 'ja'] as const
export type Locale = (typeof locales)[number]
export const defaultLocale: Locale = 'en'
export const LOCALE_COOKIE = 'kz_lang'
export const isLocale = (value: unknown): value is Locale => locales.includes(value as Locale)
