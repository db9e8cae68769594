import { Marked } from 'marked'
import sanitizeHtml from 'sanitize-html'

const marked = new Marked({ gfm: true, breaks: true, async: false })

const allowedSchemes = ['http', 'https', 'mailto']

const sanitizeOptions: sanitizeHtml.IOptions = {
	allowedTags: [
		'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code',
		'ul', 'ol', 'li', 'strong', 'em', 'del', 's', 'a', 'img', 'table', 'thead', 'tbody',
		'tr', 'th', 'td', 'input', 'kbd', 'sup', 'sub',
	],
	allowedAttributes: {
		a: ['href', 'title'],
		img: ['src', 'alt', 'title'],
		code: ['class'],
		th: ['align'],
		td: ['align'],
		input: ['type', 'checked', 'disabled'],
	},
	allowedClasses: { code: [/^language-[\w-]+$/] },
	allowedSchemes,
	allowedSchemesByTag: { img: ['http', 'https'] },
	allowProtocolRelative: false,
	disallowedTagsMode: 'escape',
	transformTags: {
		a: (tagName, attribs) => ({
			tagName,
			attribs: { ...attribs, rel: 'nofollow ugc noopener', target: '_blank' },
		}),
		input: (tagName, attribs) => ({ tagName, attribs: { type: 'checkbox', disabled: 'disabled', ...(attribs.checked !== undefined ? { checked: 'checked' } : {}) } }),
	},
	exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
}

/** Markdown written by people → HTML that is safe to put in a page. The only Markdown renderer. */
export function renderMarkdown(markdown: string): string {
	const html = marked.parse(markdown) as string
	return sanitizeHtml(html, {
		...sanitizeOptions,
		allowedAttributes: { ...sanitizeOptions.allowedAttributes, a: ['href', 'title', 'rel', 'target'] },
	})
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&nbsp;': ' ' }

/** Markdown → plain text, for search documents and snippets. */
export function markdownToText(markdown: string): string {
	const html = marked.parse(markdown) as string
	const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
	return text
		.replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (m) => entities[m] ?? m)
		.replace(/\s+/g, ' ')
		.trim()
}
