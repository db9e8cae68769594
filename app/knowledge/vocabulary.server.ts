import type { z } from 'zod'
import { saveVocabulary, type vocabularySchema } from '#search/vocabulary.server'
import { authorize, type Actor } from '~/auth/permissions.server'

/** Saves CS's synonyms and stop words; they apply to every search at once. */
export async function updateVocabulary(actor: Actor | null, input: z.infer<typeof vocabularySchema>) {
	authorize(actor, 'search:configure')
	await saveVocabulary(input)
}
