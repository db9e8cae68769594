import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { DiffPart } from '~/utils/diff'

/** A word diff as React elements: the text is escaped like any other text, never parsed as HTML. */
export function DiffText({ parts }: { parts: DiffPart[] }) {
	return (
		<>
			{parts.map((part, index) =>
				part.change === 'added' ? (
					<ins key={index}>{part.text}</ins>
				) : part.change === 'removed' ? (
					<del key={index}>{part.text}</del>
				) : (
					<span key={index}>{part.text}</span>
				),
			)}
		</>
	)
}

/** One row of what a save changed: a word diff (shown preformatted for a body), or what changed said plainly. */
export type ChangeRow = { label: string; testId?: string } & ({ diff: DiffPart[]; body?: boolean } | { content: ReactNode })

/** What a save changed, row by row (question and FAQ history alike); the rows left out did not change. */
export function RevisionChanges({ rows }: { rows: Array<ChangeRow | null> }) {
	const { t } = useTranslation()
	const shown = rows.filter((row): row is ChangeRow => row !== null)
	if (shown.length === 0) return <p className="muted">{t('Saved without changes.')}</p>
	return (
		<dl className="revision-changes">
			{shown.map((row) => (
				<div key={row.label}>
					<dt>{row.label}</dt>
					{'content' in row ? (
						<dd>{row.content}</dd>
					) : row.body ? (
						<dd>
							<pre className="revision-body diff" data-testid={row.testId}>
								<DiffText parts={row.diff} />
							</pre>
						</dd>
					) : (
						<dd className="diff" data-testid={row.testId}>
							<DiffText parts={row.diff} />
						</dd>
					)}
				</div>
			))}
		</dl>
	)
}
