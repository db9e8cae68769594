import type { TFunction } from 'i18next'
import type { ContentLanguage } from '#db/schema'
import { i18nFor, translateMessage } from '~/i18n/i18n'
import { widgetAssets } from './assets.server'
import type { Suggestion } from './suggestions.server'

/** Everything the panel says, in both languages, so `Kizuna('locale', …)` switches without a reload. */
function panelStrings(t: TFunction) {
	return {
		pageTitle: t('Help center'),
		search: t('Search the help center'),
		close: t('Close help'),
		ask: t('Ask the community'),
		askInstead: t('Not there? Ask the community'),
		support: t('Contact support'),
		forThisPage: t('Suggested for this page'),
		noSuggestions: t('Search for what you need help with.'),
		noResults: t('No results'),
		onboarding: t('Your onboarding'),
		back: t('Back'),
		openInCommunity: t('Open in the community'),
		solved: t('Did this solve your problem?'),
		yes: t('Yes'),
		no: t('No'),
		thanks: t('Thanks! Glad it helped.'),
		sorry: t('Sorry it did not help. The community or support can.'),
		signInToAsk: t('Sign in to the product to ask from here, or ask on the community site.'),
		askOnSite: t('Ask on the community site'),
		title: t('Title'),
		details: t('Details'),
		post: t('Post your question'),
		posted: t('Your question is posted.'),
		signedInAs: t('Signed in as {{name}}', { name: '{{name}}' }),
		'type.faq': t('FAQ'),
		'type.tutorial': t('Tutorial'),
		'type.question': t('Solved thread'),
	}
}

export type PanelData = {
	hostOrigin: string | null
	page: string | null
	lang: ContentLanguage
	visitorId: string
	supportLink: string | null
	suggestions: Suggestion[]
}

/** The strings of both languages as JSON, made once per process (they change only with a release). */
let strings: string | undefined

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * The panel's page: no site chrome and no React, so it is usable a moment after the
 * click (`npm run bench:widget`). One response holds everything: its script (with the
 * response's CSP nonce) and styles inline, saving the two cache lookups of a new frame
 * (p50 277 → 217 ms measured with parallel lookups, then this), and its data as JSON in
 * a non-executable script element (`<` escaped, so no text in it can end the element).
 */
export function panelHtml(data: PanelData, nonce: string): string {
	strings ??= JSON.stringify({ en: panelStrings(i18nFor('en').t), ja: panelStrings(i18nFor('ja').t) }).replace(/</g, '\\u003c')
	const json = `${JSON.stringify(data).replace(/</g, '\\u003c').slice(0, -1)},"strings":${strings}}`
	const title = escapeHtml(i18nFor(data.lang).t('Help center'))
	return `<!doctype html><html lang="${data.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title><style>${widgetAssets.panelStyle}</style></head><body><div id="kz-app"></div><script type="application/json" id="kz-data">${json}</script><script nonce="${nonce}">${widgetAssets.panelScript}</script></body></html>`
}

/** A refusal instead of the panel (an origin that may not embed it, a bad address), in the reader's language. */
export function refusedPanelHtml(lang: ContentLanguage, reason: string): string {
	const message = escapeHtml(translateMessage(i18nFor(lang), reason))
	return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${message}</title></head><body><p role="alert">${message}</p></body></html>`
}
