import { z } from 'zod'
import { announceChange, changeVersion } from '#db/changes.server'
import { db } from '#db/client.server'
import { searchVocabulary } from '#db/schema'
import { DomainError } from '~/utils/errors.server'
import { singleton } from '~/utils/singleton.server'
import { applySearchVocabulary } from './sync.server'

// Every search needs the synonym groups: read again only when the change signal says
// they changed, in any process (db/changes.server.ts, within a notification's delay).
const cache = singleton('search-synonyms', () => ({ groups: [] as string[][], version: null as string | null }))

export async function synonymGroups(): Promise<string[][]> {
	const version = changeVersion('vocabulary')
	if (version !== cache.version) {
		const [row] = await db.select({ synonyms: searchVocabulary.synonyms }).from(searchVocabulary)
		const groups = row?.synonyms ?? []
		// The same groups keep their identity: cached search results are tied to it.
		if (JSON.stringify(groups) !== JSON.stringify(cache.groups)) cache.groups = groups
		// The version read before the groups: a save meanwhile moves it, and the next search reads again.
		cache.version = version
	}
	return cache.groups
}

const term = (value: string) => value.trim().normalize('NFKC').toLowerCase()

/** One synonym group per line, terms separated by commas (、 too): "invoice, bill, 請求書". */
export const vocabularySchema = z.object({
	synonyms: z
		.string()
		.max(50_000, 'The synonyms can have at most 50,000 characters')
		.default('')
		.transform((text) =>
			text
				.split('\n')
				.map((line) => [...new Set(line.split(/[,、，]/).map(term).filter(Boolean))])
				.filter((group) => group.length > 0),
		)
		.superRefine((groups, ctx) => {
			if (groups.some((group) => group.length < 2)) ctx.addIssue({ code: 'custom', message: 'Each synonym line needs at least two terms separated by commas' })
			if (groups.some((group) => group.some((word) => word.length > 60))) ctx.addIssue({ code: 'custom', message: 'Synonyms can be at most 60 characters each' })
		}),
	stopWords: z
		.string()
		.max(20_000, 'The stop words can have at most 20,000 characters')
		.default('')
		.transform((text) => [...new Set(text.split(/[\s,、，]+/).map(term).filter(Boolean))])
		.refine((words) => words.every((word) => word.length <= 40), 'Stop words can be at most 40 characters each'),
})

export async function getVocabulary() {
	const [row] = await db.select().from(searchVocabulary)
	return { synonyms: row?.synonyms ?? [], stopWords: row?.stopWords ?? [], updatedAt: row?.updatedAt.toISOString() ?? null }
}

/**
 * Saves the vocabulary and applies it to the live index straight away. Who may is
 * decided above search, in app/knowledge/vocabulary.server.ts.
 */
export async function saveVocabulary(input: z.infer<typeof vocabularySchema>) {
	await db.transaction(async (tx) => {
		await tx
			.insert(searchVocabulary)
			.values({ id: 1, synonyms: input.synonyms, stopWords: input.stopWords })
			.onConflictDoUpdate({ target: searchVocabulary.id, set: { synonyms: input.synonyms, stopWords: input.stopWords, updatedAt: new Date() } })
		await announceChange(tx, 'vocabulary')
	})
	try {
		await applySearchVocabulary()
	} catch {
		throw new DomainError('conflict', 'Saved, but search is unreachable right now: the vocabulary applies as soon as it is back.')
	}
}
