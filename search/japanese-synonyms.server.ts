import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { withoutFinalLongVowel } from './japanese.server'

/**
 * Japanese synonyms from the Sudachi synonym dictionary (sudachi-synonyms-dictionary):
 * the words customers use and the words an FAQ uses (サインイン, ログイン; 領収証,
 * 領収書; 支払, 支払い). Applied to queries only, at a lower weight than the words typed
 * (text.ts `queryTerms`), so an FAQ in the customer's own words still ranks first.
 *
 * The dictionary's expansion control is kept apart: a word marked 1 (ambiguous, such
 * as 変える, 消す, 止める) gives its group's words as ambiguous synonyms, which count
 * for less, and a word marked 2 is never used at all. Those marked 1 are mostly the
 * native verbs customers write (消したい) for the Sino-Japanese nouns help centres
 * use (削除): never expanding from them left exactly that gap.
 */
type Entry = { midashi: string; expandControl: 0 | 1 | 2 }

type Synonyms = {
	/** Per word, the groups it may be expanded from. */
	groupsOf: Map<string, number[]>
	/** Per word, the groups that mark it ambiguous. */
	ambiguousOf: Map<string, number[]>
	/** Per group, the words it may be expanded to. */
	groups: string[][]
}

let synonyms: Synonyms | null = null

export const synonymKey = (word: string) => withoutFinalLongVowel(word.normalize('NFKC').toLowerCase())

/**
 * The dictionary is a 14 MB JSON file (≈ 47 MB once parsed): read on the first
 * Japanese query and kept as word lists only (≈ 70,000 words), so a process that
 * never searches in Japanese never reads it.
 */
function dictionary(): Synonyms {
	if (!synonyms) {
		const require = createRequire(import.meta.url)
		// The package exports only its loader, which keeps the whole parsed file.
		const file = path.join(path.dirname(require.resolve('sudachi-synonyms-dictionary')), 'sudachi-synonyms-dictionary.json')
		const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ items: Entry[] }>
		const groupsOf = new Map<string, number[]>()
		const ambiguousOf = new Map<string, number[]>()
		const groups: string[][] = []
		for (const { items } of parsed) {
			const usable = items.filter((item) => item.expandControl !== 2)
			if (usable.length < 2) continue
			const index = groups.length
			groups.push([...new Set(usable.map((item) => synonymKey(item.midashi)))])
			for (const item of usable) {
				const key = synonymKey(item.midashi)
				const of = item.expandControl === 0 ? groupsOf : ambiguousOf
				const list = of.get(key)
				if (!list) of.set(key, [index])
				else if (!list.includes(index)) list.push(index)
			}
		}
		synonyms = { groupsOf, ambiguousOf, groups }
	}
	return synonyms
}

/**
 * The other words of every group a word is in (not the word itself): `sure`, of the
 * groups it may be expanded from; `ambiguous`, of those that mark it ambiguous.
 */
export function japaneseSynonyms(word: string): { sure: string[]; ambiguous: string[] } {
	const { groupsOf, ambiguousOf, groups } = dictionary()
	const key = synonymKey(word)
	const others = (of: Map<string, number[]>) => {
		const out = new Set<string>()
		for (const index of of.get(key) ?? []) for (const other of groups[index]!) if (other !== key) out.add(other)
		return [...out]
	}
	return { sure: others(groupsOf), ambiguous: others(ambiguousOf) }
}
