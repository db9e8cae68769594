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
