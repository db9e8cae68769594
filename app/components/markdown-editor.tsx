import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useRootData } from '~/root'

type Preview = { html: string } | { error: string }

/**
 * A Markdown textarea with a live preview. The preview is rendered by the server's
 * Markdown renderer, so it shows exactly what will be published, sanitised.
 */
export function MarkdownEditor({
	name,
	label,
	defaultValue = '',
	error,
	rows = 10,
	maxLength,
}: {
	name: string
	label: string
	defaultValue?: string
	error?: string
	rows?: number
	maxLength?: number
}) {
	const { t } = useTranslation()
	const [value, setValue] = useState(defaultValue)
	const [preview, setPreview] = useState<Preview>({ html: '' })
	const signedIn = Boolean(useRootData()?.user)
	const id = `editor-${name}`

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
			<label htmlFor={id}>{label}</label>
			<textarea
				id={id}
				name={name}
				rows={rows}
				value={value}
				maxLength={maxLength}
				onChange={(e) => setValue(e.target.value)}
				aria-invalid={error ? true : undefined}
				aria-describedby={error ? `${id}-error` : undefined}
			/>
			<p className="hint">{t('Markdown is supported: **bold**, `code`, lists, links.')}</p>
			{error ? (
				<p className="field-error" id={`${id}-error`} role="alert">
					{t(error)}
				</p>
			) : null}
			<div className="preview-panel">
				<div className="preview-label">{t('Preview')}</div>
				{!signedIn ? (
					<p className="hint">{t('Sign in to see a preview')}</p>
				) : 'error' in preview ? (
					<p className="hint" data-testid={`${name}-preview-error`}>
						{t(preview.error)}
					</p>
				) : (
					<div className="markdown preview" data-testid={`${name}-preview`} dangerouslySetInnerHTML={{ __html: value.trim() ? preview.html : '' }} />
				)}
			</div>
		</div>
	)
}
