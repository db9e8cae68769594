import { escapeHtml } from '~/utils/html'
import { Parser, walkTokens, type Token } from 'marked'
import sanitizeHtml from 'sanitize-html'
import { ATTACHMENTS_PATH, attachmentImage } from './attachments'
import { lexWithinLimits, markdownOptions } from './limits'
import { log } from '~/utils/log.server'

export { MARKDOWN_LIMITS, markdownLimitProblem, withinMarkdownLimits } from './limits'

const allowedSchemes = ['http', 'https', 'mailto']

const sanitizeOptions: sanitizeHtml.IOptions = {
	allowedTags: [
		'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code',
		'ul', 'ol', 'li', 'strong', 'em', 'del', 's', 'a', 'img', 'table', 'thead', 'tbody',
		'tr', 'th', 'td', 'input', 'kbd', 'sup', 'sub',
	],
	allowedAttributes: {
		a: ['href', 'title'],
		img: ['src', 'alt', 'title', 'width', 'height', 'loading', 'decoding'],
		code: ['class'],
		th: ['align'],
		td: ['align'],
		input: ['type', 'checked', 'disabled'],
	},
	allowedClasses: { code: [/^language-[\w-]+$/] },
	allowedSchemes,
	allowedSchemesByTag: { img: [] },
	allowProtocolRelative: false,
	disallowedTagsMode: 'escape',
	transformTags: {
		// A mention's link to the person, and a file attached to the post, stay on the site, in the same tab.
		a: (tagName, attribs) => ({
			tagName,
			attribs: attribs.href?.startsWith('/u/') || attribs.href?.startsWith(ATTACHMENTS_PATH) ? attribs : { ...attribs, rel: 'nofollow ugc noopener', target: '_blank' },
		}),
		img: transformImage,
		input: (tagName, attribs) => ({ tagName, attribs: { type: 'checkbox', disabled: 'disabled', ...(attribs.checked !== undefined ? { checked: 'checked' } : {}) } }),
	},
	exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
}

/**
 * Images are shown only from this site's attachments, which were re-encoded on
 * upload: an image from elsewhere could track readers, change after review, or
 * be huge. It becomes a link to its address instead, so nothing written is lost.
 * Attached images carry their size (no layout shift) and load when scrolled to.
 */
function transformImage(_tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
	const image = attachmentImage(attribs.src ?? '')
	const alt = attribs.alt ?? ''
	if (!image) {
		const href = attribs.src ?? ''
		// The link keeps only an http(s) address (allowedSchemes); no other is shown either.
		return { tagName: 'a', attribs: { href, rel: 'nofollow ugc noopener', target: '_blank' }, text: alt || (/^https?:\/\//i.test(href) ? href : '') }
	}
	return {
		tagName: 'img',
		attribs: {
			src: image.src,
			alt,
			...(attribs.title ? { title: attribs.title } : {}),
			...(image.width && image.height ? { width: String(image.width), height: String(image.height) } : {}),
			loading: 'lazy',
			decoding: 'async',
		},
	}
}

/**
 * An image from elsewhere becomes a link (transformImage), which inside a link
 * (a badge: `[![build](https://…/badge.svg)](https://…)`) would be a link in a
 * link, which HTML forbids: there its alt text is shown as text instead.
 */
function plainImagesIn(tokens: Token[]) {
	tokens.forEach((token, i) => {
		if (token.type === 'image' && !attachmentImage(token.href)) tokens[i] = { type: 'text', raw: token.raw, text: token.text, escaped: false }
		else if ('tokens' in token && token.tokens) plainImagesIn(token.tokens)
	})
}

/**
 * marked's HTML for Markdown within the limits (see limits.ts), or null for
 * Markdown beyond them. Anything marked still throws on is treated the same way:
 * a stored post must never break the page it is on.
 */
function markedHtml(markdown: string): string | null {
	try {
		const lexed = lexWithinLimits(markdown)
		if (!lexed.ok) return null
		walkTokens(lexed.tokens, (token) => {
			if (token.type === 'link') plainImagesIn(token.tokens ?? [])
		})
		return new Parser(markdownOptions).parse(lexed.tokens)
	} catch (error) {
		log.error({ err: error }, 'Markdown could not be rendered; showing it as text')
		return null
	}
}

/** Text shown as written, in paragraphs: what Markdown beyond the limits (stored before they existed) becomes. */
function plainParagraphs(markdown: string): string {
	return markdown
		.replace(/\r\n?/g, '\n')
		.split(/\n[ \t]*\n/)
		.map((paragraph) => paragraph.trim())
		.filter(Boolean)
		.map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
		.join('\n')
}

/**
 * Markdown written by people → HTML that is safe to put in a page. The only Markdown
 * renderer. It never throws, and Markdown beyond the limits (which saving refuses)
 * is shown as escaped text in paragraphs, in time linear in its length.
 */
export function renderMarkdown(markdown: string): string {
	const html = markedHtml(markdown)
	if (html === null) return plainParagraphs(markdown)
	return sanitizeHtml(html, {
		...sanitizeOptions,
		allowedAttributes: { ...sanitizeOptions.allowedAttributes, a: ['href', 'title', 'rel', 'target'] },
	})
}

/**
 * The HTML a post was rendered to when it was saved. Rows saved before HTML was
 * stored (or written by other means) have none yet: they are rendered here, within
 * the limits, until the worker's backfill (app/jobs/rendered-markdown.server.ts) has stored theirs.
 */
export function storedHtml(row: { body: string; bodyHtml: string | null }): string {
	return row.bodyHtml ?? renderMarkdown(row.body)
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&nbsp;': ' ' }

/** Markdown → plain text, for search documents and snippets; bounded like renderMarkdown. */
export function markdownToText(markdown: string): string {
	const html = markedHtml(markdown)
	const text = html === null ? markdown : sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (m) => entities[m] ?? m)
	return text.replace(/\s+/g, ' ').trim()
}
