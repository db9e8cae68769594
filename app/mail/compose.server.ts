import { escapeHtml } from '~/utils/html'

/** A line of small print: text, or a labelled absolute link. */
export type FooterLine = string | { label: string; url: string }

export type MailLayout = {
	/** The first line of the mail, also its title in HTML. */
	heading: string
	paragraphs: string[]
	/** Things to look at, each a line with its absolute link (a digest's notifications). */
	links?: Array<{ label: string; url: string }>
	/** The one thing the mail asks the reader to do: an absolute link. */
	action?: { label: string; url: string }
	/** Small print under the message (why they got it, how to stop it). */
	footer?: FooterLine[]
}

const linkHtml = (link: { label: string; url: string }, style = '') => `<a href="${escapeHtml(link.url)}"${style ? ` style="${style}"` : ''}>${escapeHtml(link.label)}</a>`

/**
 * One layout for every mail Kizuna sends, as text and HTML with the same words.
 * Every value is text: it is escaped here, so a title someone typed cannot
 * inject markup into anyone's mail. In the text part each link follows its label.
 */
export function composeMail(layout: MailLayout): { text: string; html: string } {
	const text = [
		layout.heading,
		'',
		...layout.paragraphs.flatMap((p) => [p, '']),
		...(layout.links?.length ? [...layout.links.flatMap((link) => [`- ${link.label}`, `  ${link.url}`]), ''] : []),
		...(layout.action ? [`${layout.action.label}: ${layout.action.url}`, ''] : []),
		...(layout.footer?.length ? ['--', ...layout.footer.map((line) => (typeof line === 'string' ? line : `${line.label}: ${line.url}`))] : []),
	].join('\n')
	const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(layout.heading)}</title></head>
<body style="font-family:-apple-system,'Segoe UI','Hiragino Sans','Noto Sans JP',sans-serif;color:#1f2937;line-height:1.6">
<h1 style="font-size:18px">${escapeHtml(layout.heading)}</h1>
${layout.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${layout.links?.length ? `<ul>${layout.links.map((link) => `<li>${linkHtml(link)}</li>`).join('')}</ul>` : ''}
${layout.action ? `<p>${linkHtml(layout.action, 'display:inline-block;padding:8px 16px;background:#2563eb;color:#fff;border-radius:6px;text-decoration:none')}</p>` : ''}
${layout.footer?.length ? `<hr><p style="font-size:12px;color:#6b7280">${layout.footer.map((line) => (typeof line === 'string' ? escapeHtml(line) : linkHtml(line, 'color:#6b7280'))).join('<br>')}</p>` : ''}
</body></html>`
	return { text, html }
}
