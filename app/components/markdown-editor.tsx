import { useFetcher } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'

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
	const preview = useFetcher<{ html: string }>()
	const [value, setValue] = useState(defaultValue)
	const timer = useRef<ReturnType<typeof setTimeout>>()
	const id = `editor-${name}`

	useEffect(() => {
		clearTimeout(timer.current)
		if (!value.trim()) return
		timer.current = setTimeout(() => {
			preview.submit({ markdown: value }, { method: 'post', action: '/resources/markdown-preview' })
		}, 250)
		return () => clearTimeout(timer.current)
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [value])

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
				<div
					className="markdown preview"
					data-testid={`${name}-preview`}
					dangerouslySetInnerHTML={{ __html: value.trim() ? (preview.data?.html ?? '') : '' }}
				/>
			</div>
		</div>
	)
}
