import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useRootData } from '~/root'
import { controlProps, ErrorList, initialText, type FieldState } from './form'
import { useMentionSuggestions } from './mention-suggestions'

type Preview = { html: string } | { error: string }

/**
 * A Markdown textarea with a live preview. The preview is rendered by the server's
 * Markdown renderer, so it shows exactly what will be published, sanitised.
 */
export function MarkdownEditor(props: { field: FieldState; label: string; rows?: number; maxLength?: number }) {
	// A new key (Conform resets or reorders the field) starts from its new value.
	return <Editor key={props.field.key} {...props} />
}

function Editor({ field, label, rows = 10, maxLength }: { field: FieldState; label: string; rows?: number; maxLength?: number }) {
	const { t } = useTranslation()
	const [value, setValue] = useState(() => initialText(field))
	const [preview, setPreview] = useState<Preview>({ html: '' })
	const signedIn = Boolean(useRootData()?.user)
	const mentions = useMentionSuggestions({ enabled: signedIn, value, setValue })

	// A plain request rather than a fetcher: a fetcher's submission would make the
	// page reload its data after every preview. Previews are for signed-in people only
	// and rate limited, so a refusal (too deep, too many) is shown in place of it.
	useEffect(() => {
		if (!value.trim() || !signedIn) return
		const controller = new AbortController()
		const timer = setTimeout(() => {
			fetch('/resources/markdown-preview', { method: 'POST', body: new URLSearchParams({ markdown: value }), signal: controller.signal })
				.then((response) => response.json() as Promise<Partial<{ html: string; error: string }>>)
				.then((data) => setPreview(typeof data.html === 'string' ? { html: data.html } : { error: data.error ?? '' }))
				.catch(() => {})
		}, 400)
		return () => {
			clearTimeout(timer)
			controller.abort()
		}
	}, [value, signedIn])

	return (
		<div className="markdown-editor">
			<label htmlFor={field.id}>{label}</label>
			<div className="mention-anchor">
				<textarea rows={rows} value={value} maxLength={maxLength} onChange={(e) => setValue(e.target.value)} {...controlProps(field, { hint: true })} {...mentions.textareaProps} />
				{mentions.list}
			</div>
			<p className="hint" id={field.descriptionId}>
				{t('Markdown is supported: **bold**, `code`, lists, links.')} {signedIn ? t('Type @ and a name to mention someone.') : null}
			</p>
			<ErrorList id={field.errorId} errors={field.errors} />
			<div className="preview-panel">
				<div className="preview-label">{t('Preview')}</div>
				{!signedIn ? (
					<p className="hint">{t('Sign in to see a preview')}</p>
				) : 'error' in preview ? (
					<p className="hint" data-testid={`${field.name}-preview-error`}>
						{t(preview.error)}
					</p>
				) : (
					<div className="markdown preview" data-testid={`${field.name}-preview`} dangerouslySetInnerHTML={{ __html: value.trim() ? preview.html : '' }} />
				)}
			</div>
		</div>
	)
}
