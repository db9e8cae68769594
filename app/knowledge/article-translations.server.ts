import { z } from 'zod'
import type { Actor } from '~/auth/permissions.server'
import { DomainError } from '~/utils/errors.server'
import { contentLanguages } from '~/utils/limits'
import { parseArticleReference } from './article-reference'
import { createFaqTranslation } from './faqs.server'
import { createTutorialTranslation } from './tutorials.server'
import { linkTranslation, unlinkTranslation, type ArticleKind } from './translations.server'

/** The staff forms on an article page that make, link and unlink its translations. */
export const translationIntentSchema = z.discriminatedUnion('intent', [
	z.object({ intent: z.literal('translate'), language: z.enum(contentLanguages, { errorMap: () => ({ message: 'Choose English or Japanese' }) }) }),
	// An id or a link, read by the article's kind (runTranslationIntent).
	z.object({ intent: z.literal('link-translation'), other: z.string().trim().max(500).default('') }),
	z.object({ intent: z.literal('unlink-translation') }),
])
export const translationIntents = ['translate', 'link-translation', 'unlink-translation'] as const
export const isTranslationIntent = (intent: unknown) => translationIntents.includes(intent as (typeof translationIntents)[number])

const editUrl = (kind: ArticleKind, id: number) => (kind === 'faq' ? `/faq/${id}/edit` : `/tutorials/${id}/edit`)

/** Runs one of those forms; answers where to go next: the new translation's editor, or null to stay on the article. */
export async function runTranslationIntent(actor: Actor | null, kind: ArticleKind, id: number, input: z.infer<typeof translationIntentSchema>): Promise<string | null> {
	switch (input.intent) {
		case 'translate': {
			const made = await (kind === 'faq' ? createFaqTranslation(actor, id, input.language) : createTutorialTranslation(actor, id, input.language))
			return made.created ? editUrl(kind, made.id) : made.url
		}
		case 'link-translation': {
			const other = parseArticleReference(input.other, kind)
			if ('error' in other) throw new DomainError('invalid', other.error, { other: other.error })
			await linkTranslation(actor, kind, id, other.id)
			return null
		}
		case 'unlink-translation':
			await unlinkTranslation(actor, kind, id)
			return null
	}
}
