import { createInstance, type i18n } from 'i18next'
import { initReactI18next } from 'react-i18next'
import { defaultLocale, type Locale } from './locales'
import { resources } from './resources'

/**
 * A refusal that says how long to wait is composed on the server ("Too many
 * searches from your network. Try again in 2 minutes."), so it is no key of its
 * own: its reason and its wait translate separately.
 */
const WAIT = /^(.+?) Try again in (\d+) (second|minute)s?\.$/

/** One i18next instance per request on the server, one per page load in the browser. */
export function createI18n(locale: Locale): i18n {
	const instance = createInstance()
	// A key that exists translates as usual; a composed refusal is passed through untranslated, then split here.
	const composedRefusal = {
		type: 'postProcessor' as const,
		name: 'composedRefusal',
		process: (value: string) => {
			const wait = WAIT.exec(value)
			if (!wait) return value
			const [, reason, count, unit] = wait
			const translated = instance.t(reason!)
			// Japanese sentences follow each other without a space.
			const gap = /[。！？]$/.test(translated) ? '' : ' '
			return `${translated}${gap}${instance.t(`Try again in {{count}} ${unit}s.`, { count: Number(count) })}`
		},
	}
	void instance.use(initReactI18next).use(composedRefusal).init({
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
		postProcess: ['composedRefusal'],
	})
	return instance
}

const shared = new Map<Locale, i18n>()

/**
 * The server's instance for a language. Its translations never change, so each
 * language gets one instance for the life of the process: making one per request
 * was about 6 % of the server's CPU time under `npm run bench:abuse`.
 */
export function i18nFor(locale: Locale): i18n {
	let instance = shared.get(locale)
	if (!instance) shared.set(locale, (instance = createI18n(locale)))
	return instance
}

/**
 * A refusal the server wrote in English, in the reader's language. Keys are
 * whole messages, but a message may also be built around one: the field the
 * input boundary puts first ("title: Enter a title"), a translated head and the
 * values it lists ("Not a valid domain: a.example"), or numbers filled in
 * ("The period can be at most 400 days" is the key "… at most {{n0}} days").
 */
export function translateRefusal(locale: Locale, message: string): string {
	return locale === defaultLocale ? message : translateMessage(i18nFor(locale), message)
}

/** The same with a given instance: the page's, where forms show what the action refused. */
export function translateMessage(i18n: i18n, message: string): string {
	if (i18n.exists(message)) return i18n.t(message)
	const field = /^([\w.]+): (.+)$/s.exec(message)
	if (field) return `${field[1]}: ${translateMessage(i18n, field[2]!)}`
	const at = message.indexOf(': ')
	if (at > 0 && i18n.exists(message.slice(0, at))) return `${i18n.t(message.slice(0, at))}: ${message.slice(at + 2)}`
	const numbers = message.match(/\d+/g)
	if (numbers) {
		let n = 0
		const key = message.replace(/\d+/g, () => `{{n${n++}}}`)
		if (i18n.exists(key)) return i18n.t(key, Object.fromEntries(numbers.map((value, i) => [`n${i}`, value])))
	}
	// Rate-limit refusals are composed too; the post-processor above splits them.
	return i18n.t(message)
}
