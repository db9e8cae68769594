import { diffWords } from 'diff'

/** Text split into unchanged, inserted and deleted runs; pages render them as plain text in <ins>/<del> (app/components/diff-text.tsx). */
export type DiffPart = { text: string; change: 'same' | 'added' | 'removed' }

export function wordDiff(before: string, after: string): DiffPart[] {
	return diffWords(before, after).map((part) => ({ text: part.value, change: part.added ? 'added' : part.removed ? 'removed' : 'same' }))
}

const changed = (parts: DiffPart[]) => parts.some((part) => part.change !== 'same')

/** What changed between two saves of a text: null when nothing did (or there is no earlier save to compare with). */
export const diffOrNull = (before: string | null | undefined, after: string) => {
	if (before === null || before === undefined) return null
	const parts = wordDiff(before, after)
	return changed(parts) ? parts : null
}
