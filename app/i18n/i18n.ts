import { createInstance, type i18n } from 'i18next'
import { initReactI18next } from 'react-i18next'
import { defaultLocale, type Locale } from './locales'
import { resources } from './resources'

/** One i18next instance per request on the server, one per page load in the browser. */
export function createI18n(locale: Locale): i18n {
	const instance = createInstance()
	void instance.use(initReactI18next).init({
		resources,
		lng: locale,
		fallbackLng: defaultLocale,
		interpolation: { escapeValue: false },
		// Keys are the English sentences themselves, so messages from the server translate too.
		keySeparator: false,
		nsSeparator: false,
		initAsync: false,
		showSupportNotice: false,
		returnNull: false,
	})
	return instance
}
