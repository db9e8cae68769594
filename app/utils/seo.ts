import type { MetaDescriptor } from '@remix-run/node'
import type { TFunction } from 'i18next'
import { i18nFor } from '~/i18n/i18n'
import { defaultLocale, isLocale, type Locale } from '~/i18n/locales'

export const SITE_NAME = 'Kizuna'

/** Search engines show about this many characters of a description. */
const DESCRIPTION_LENGTH = 155

/**
 * What a page tells search engines and link previews. Every route's `meta` builds
 * one through `seoMeta`, so titles are in the reader's language and every URL is
 * absolute (KIZUNA_PUBLIC_URL, else the address the request came to).
 */
export type PageSeo = {
	/** The page's own title in the UI language; the site's name is added. */
	title: string
	/** The home page leads with the site's name. */
	home?: boolean
	/** Plain text; cut to about 155 characters. The site's description when left out. */
	description?: string
	/**
	 * The page's canonical path (with the query that makes it a different page, if any).
	 * Left out: the path without its query. Pages that are nobody's landing page
	 * (forms, settings, staff pages) are `noindex` and have none.
	 */
	canonical?: string
	noindex?: boolean
	type?: 'website' | 'article'
	/** The versions of this content in each language, this page's own included (hreflang). */
	alternates?: Array<{ language: string; url: string }>
	/** Structured data (schema.org) made with the site's base URL, as `<script type="application/ld+json">`. */
	jsonLd?: (site: string) => Array<Record<string, unknown>>
	feeds?: Array<{ title: string; url: string }>
}

/** What the root loader gives every page's `meta`: the UI language and the site's base URL (ends with `/`). */
type SiteContext = { locale: Locale; site: string | null }

type MetaInput = { location: { pathname: string; search: string }; matches: ReadonlyArray<{ id: string; data?: unknown } | undefined> }

function siteOf(matches: MetaInput['matches']): SiteContext {
	const root = matches.find((match) => match?.id === 'root')?.data as { locale?: unknown; site?: unknown } | undefined
	return {
		locale: isLocale(root?.locale) ? root.locale : defaultLocale,
		site: typeof root?.site === 'string' && URL.canParse(root.site) ? root.site : null,
	}
}

/** An address of this site for use outside it: `site` is the base URL, `path` a path of the site. */
export function absoluteUrl(site: string, path: string): string {
	return new URL(path.replace(/^\/+/, ''), site).href
}

/** The translation function of a language, for `meta` (which runs outside React). */
function translatorFor(locale: Locale): TFunction {
	const i18n = i18nFor(locale)
	return i18n.t.bind(i18n) as TFunction
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

/** The text of sanitized HTML (a rendered post), on one line. */
export function htmlToText(html: string): string {
	return html
		.replace(/<(br|\/p|\/li|\/h\d|\/pre|\/blockquote|\/tr)\b[^>]*>/gi, ' ')
		.replace(/<[^>]*>/g, '')
		.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
			if (name[0] !== '#') return entities[name.toLowerCase()] ?? whole
			const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
			return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
		})
		.replace(/\s+/g, ' ')
		.trim()
}

/** At most `max` characters, cut at a word where the text has spaces, with an ellipsis when cut. */
export function truncate(text: string, max = DESCRIPTION_LENGTH): string {
	const characters = [...text]
	if (characters.length <= max) return text
	const head = characters.slice(0, max - 1).join('')
	const space = head.lastIndexOf(' ')
	// Japanese has no spaces between words: cut anywhere then.
	return `${(space > max * 0.6 ? head.slice(0, space) : head).trimEnd()}…`
}

const ogLocales: Record<Locale, string> = { en: 'en_US', ja: 'ja_JP' }

/** A route's `meta`: `build` gets the translation function of the page's language and says what the page is. */
export function seoMeta(args: MetaInput, build: (t: TFunction) => PageSeo): MetaDescriptor[] {
	const { locale, site } = siteOf(args.matches)
	const t = translatorFor(locale)
	const page = build(t)
	const title = page.home ? `${SITE_NAME} · ${page.title}` : `${page.title} · ${SITE_NAME}`
	const description = truncate(page.description?.trim() || t('Find answers, ask the community, and learn the product.'))
	const tags: MetaDescriptor[] = [
		{ title },
		{ name: 'description', content: description },
		{ property: 'og:site_name', content: SITE_NAME },
		{ property: 'og:title', content: page.title },
		{ property: 'og:description', content: description },
		{ property: 'og:type', content: page.type ?? 'website' },
		{ property: 'og:locale', content: ogLocales[locale] },
		{ name: 'twitter:card', content: 'summary' },
		{ name: 'twitter:title', content: page.title },
		{ name: 'twitter:description', content: description },
	]
	if (page.noindex) tags.push({ name: 'robots', content: 'noindex' })
	if (site) {
		const url = absoluteUrl(site, page.canonical ?? args.location.pathname)
		tags.push({ property: 'og:image', content: absoluteUrl(site, '/icon-512.png') })
		if (!page.noindex) tags.push({ tagName: 'link', rel: 'canonical', href: url }, { property: 'og:url', content: url })
		const alternates = page.noindex ? [] : (page.alternates ?? [])
		// A page without a translation has no alternates to name.
		if (alternates.length > 1) {
			for (const alternate of alternates) tags.push({ tagName: 'link', rel: 'alternate', hrefLang: alternate.language, href: absoluteUrl(site, alternate.url) })
			const fallback = alternates.find((alternate) => alternate.language === defaultLocale) ?? alternates[0]!
			tags.push({ tagName: 'link', rel: 'alternate', hrefLang: 'x-default', href: absoluteUrl(site, fallback.url) })
		}
		for (const feed of page.feeds ?? []) tags.push({ tagName: 'link', rel: 'alternate', type: 'application/atom+xml', title: feed.title, href: absoluteUrl(site, feed.url) })
		// Remix writes these with `<`, `>` and `&` escaped, so text from posts cannot end the script element.
		if (!page.noindex) for (const data of page.jsonLd?.(site) ?? []) tags.push({ 'script:ld+json': data })
	}
	return tags
}

/** The meta of a page only its own people use (forms, settings, staff pages): a title, and kept out of search engines. */
export const privateMeta = (args: MetaInput, title: (t: TFunction) => string): MetaDescriptor[] => seoMeta(args, (t) => ({ title: title(t), noindex: true }))
