import { RemixBrowser } from '@remix-run/react'
import { startTransition, StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { I18nextProvider } from 'react-i18next'
import { createI18n } from './i18n/i18n'
import { defaultLocale, isLocale } from './i18n/locales'

const lang = document.documentElement.lang
const i18n = createI18n(isLocale(lang) ? lang : defaultLocale)

startTransition(() => {
	hydrateRoot(
		document,
		<I18nextProvider i18n={i18n}>
			<StrictMode>
				<RemixBrowser />
			</StrictMode>
		</I18nextProvider>,
	)
})
