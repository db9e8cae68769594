import { diffWords } from 'diff'

/** Text split into unchanged, inserted and deleted runs; pages render them as plain text in <ins>/<del> (app/components/diff-text.tsx). */
export type DiffPart = { text: string; change: 'same' | 'added' | 'removed' }

/*
 * Myers' diff costs (length × edits): two long, wholly different saves ('x '×15000 then 'y '×15000) took 27 s of the one
 * request thread, and any asker can save such a pair. Past this many edits, or this long, a word diff would be unreadable
 * anyway, so the save is shown as the text replaced.
 */
const maxEditLength = 2000
const timeoutMs = 100

export function wordDiff(before: string, after: string): DiffPart[] {
	const parts = diffWords(before, after, { maxEditLength, timeout: timeoutMs })
	if (parts === undefined) return replaced(before, after)
	return parts.map((part) => ({ text: part.value, change: part.added ? 'added' : part.removed ? 'removed' : 'same' }))
}

const replaced = (before: string, after: string): DiffPart[] => [
	...(before ? [{ text: before, change: 'removed' as const }] : []),
	...(after ? [{ text: after, change: 'added' as const }] : []),
]

const changed = (parts: DiffPart[]) => parts.some((part) => part.change !== 'same')

/** What changed between two saves of a text: null when nothing did (or there is no earlier save to compare with). */
export const diffOrNull = (before: string | null | undefined, after: string) => {
	if (before === null || before === undefined) return null
	const parts = wordDiff(before, after)
	return changed(parts) ? parts : null
}
