import { escapeHtml } from '~/utils/html'

export type MailLayout = {
	/** The first line of the mail, also its title in HTML. */
	heading: string
	paragraphs: string[]
	/** The one thing the mail asks the reader to do: an absolute link. */
	action?: { label: string; url: string }
	/** Small print under the message (why they got it, how to stop it). */
	footer?: string[]
}

/**
 * One layout for every mail Kizuna sends, as text and HTML with the same words.
 * Every value is text: it is escaped here, so a title someone typed cannot
 * inject markup into anyone's mail.
 */
export function composeMail(layout: MailLayout): { text: string; html: string } {
	const text = [
		layout.heading,
		'',
		...layout.paragraphs.flatMap((p) => [p, '']),
		...(layout.action ? [`${layout.action.label}: ${layout.action.url}`, ''] : []),
		...(layout.footer?.length ? ['--', ...layout.footer] : []),
	].join('\n')
	const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(layout.heading)}</title></head>
<body style="font-family:-apple-system,'Segoe UI','Hiragino Sans','Noto Sans JP',sans-serif;color:#1f2937;line-height:1.6">
<h1 style="font-size:18px">${escapeHtml(layout.heading)}</h1>
${layout.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${layout.action ? `<p><a href="${escapeHtml(layout.action.url)}" style="display:inline-block;padding:8px 16px;background:#2563eb;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(layout.action.label)}</a></p>` : ''}
${layout.footer?.length ? `<hr><p style="font-size:12px;color:#6b7280">${layout.footer.map(escapeHtml).join('<br>')}</p>` : ''}
</body></html>`
	return { text, html }
}
