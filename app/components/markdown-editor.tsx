import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ATTACHMENT_ACCEPT, ATTACHMENT_LIMITS, ATTACHMENT_UPLOAD_PATH } from '~/attachments/rules'
import { useRootData } from '~/root'
import { controlProps, ErrorList, initialText, type FieldState } from './form'
import { useMentionSuggestions } from './mention-suggestions'

type Preview = { html: string } | { error: string }

const MB = 1024 * 1024

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
	const attach = useAttachments({ textarea: mentions.textareaProps.ref, setValue })

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
				<textarea rows={rows} value={value} maxLength={maxLength} onChange={(e) => setValue(e.target.value)} {...controlProps(field, { hint: true })} {...mentions.textareaProps} {...(signedIn ? attach.textareaProps : {})} />
				{mentions.list}
			</div>
			<p className="hint" id={field.descriptionId}>
				{t('Markdown is supported: **bold**, `code`, lists, links.')} {signedIn ? t('Type @ and a name to mention someone.') : null}{' '}
				{signedIn ? t('Paste or drop images (up to {{image}} MB) and PDF or text files (up to {{file}} MB).', { image: ATTACHMENT_LIMITS.imageBytes / MB, file: ATTACHMENT_LIMITS.fileBytes / MB }) : null}
			</p>
			{signedIn ? attach.controls : null}
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

let uploadCount = 0

/**
 * Pasting, dropping or picking files uploads them (one request each) and puts
 * their Markdown where the caret was: a placeholder first, replaced when the
 * upload answers, removed with the reason when it is refused. The server decides
 * what a file is from its bytes; the picker's `accept` is only a suggestion.
 */
function useAttachments({ textarea, setValue }: { textarea: React.RefObject<HTMLTextAreaElement>; setValue: React.Dispatch<React.SetStateAction<string>> }) {
	const { t } = useTranslation()
	const picker = useRef<HTMLInputElement>(null)
	const [pending, setPending] = useState(0)
	const [error, setError] = useState<string | null>(null)

	function insert(text: string) {
		const element = textarea.current
		setValue((current) => {
			const start = Math.min(element?.selectionStart ?? current.length, current.length)
			const end = Math.min(element?.selectionEnd ?? start, current.length)
			const before = current.slice(0, start)
			const spaced = before && !/\s$/.test(before) ? ` ${text}` : text
			requestAnimationFrame(() => element?.setSelectionRange(start + spaced.length, start + spaced.length))
			return before + spaced + current.slice(end)
		})
	}

	async function upload(file: File) {
		const placeholder = `![${t('Uploading {{name}}…', { name: file.name.replace(/[[\]]/g, '') })}](#upload-${++uploadCount})`
		insert(placeholder)
		setPending((n) => n + 1)
		let replacement = ''
		try {
			const body = new FormData()
			body.set('file', file)
			const response = await fetch(ATTACHMENT_UPLOAD_PATH, { method: 'POST', body })
			const data = (await response.json()) as Partial<{ markdown: string; error: string }>
			if (response.ok && data.markdown) replacement = data.markdown
			else setError(`${file.name}: ${data.error ?? t('The upload failed. Check your connection and try again.')}`)
		} catch {
			setError(`${file.name}: ${t('The upload failed. Check your connection and try again.')}`)
		} finally {
			setPending((n) => n - 1)
			setValue((current) => current.replace(placeholder, replacement))
		}
	}

	function uploadAll(files: FileList | null) {
		if (!files || files.length === 0) return false
		setError(null)
		for (const file of Array.from(files)) void upload(file)
		return true
	}

	const textareaProps = {
		onPaste: (event: React.ClipboardEvent<HTMLTextAreaElement>) => {
			if (uploadAll(event.clipboardData.files)) event.preventDefault()
		},
		onDragOver: (event: React.DragEvent<HTMLTextAreaElement>) => {
			if (event.dataTransfer.types.includes('Files')) event.preventDefault()
		},
		onDrop: (event: React.DragEvent<HTMLTextAreaElement>) => {
			if (event.dataTransfer.files.length > 0) {
				event.preventDefault()
				uploadAll(event.dataTransfer.files)
			}
		},
	}

	const controls = (
		<div className="attach-controls">
			<button type="button" className="button small" onClick={() => picker.current?.click()}>
				{t('Attach image or file')}
			</button>
			<input
				ref={picker}
				type="file"
				multiple
				accept={ATTACHMENT_ACCEPT}
				hidden
				aria-label={t('Attach image or file')}
				onChange={(event) => {
					uploadAll(event.currentTarget.files)
					event.currentTarget.value = ''
				}}
			/>
			<span role="status" className="hint">
				{pending > 0 ? t('Uploading…') : null}
			</span>
			{error ? (
				<p role="alert" className="field-error" data-testid="attachment-error">
					{error}
				</p>
			) : null}
		</div>
	)
	return { textareaProps, controls }
}
