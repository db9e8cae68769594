import { isJapanese } from '~/utils/limits'

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function findTerm(query: string, term: string): RegExp | null {
	// Japanese has no spaces between words: a term matches anywhere; other terms match whole words.
	const pattern = isJapanese(term) ? new RegExp(escapeRegExp(term), 'u') : new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(term)}(?![\\p{L}\\p{N}])`, 'iu')
	return pattern.test(query) ? pattern : null
}

/**
 * Other wordings of a query from CS's synonym groups ("請求書" → "invoice"). The
 * server runs them beside the original query instead of relying on Meilisearch's
 * synonyms, which do not match Japanese (its synonym keys and Japanese queries are
 * segmented differently).
 */
export function expandQuery(query: string, groups: string[][], max = 4): string[] {
	const normalized = query.normalize('NFKC')
	const variants = new Set<string>()
	for (const group of groups) {
		for (const term of group) {
			const pattern = findTerm(normalized, term)
			if (!pattern) continue
			for (const other of group) {
				if (other !== term) variants.add(normalized.replace(pattern, other))
			}
			break
		}
	}
	variants.delete(normalized)
	return [...variants].slice(0, max)
}
