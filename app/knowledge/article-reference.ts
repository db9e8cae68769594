import { idSchema } from '~/utils/input'
import type { ArticleKind } from './translations.server'

const PATH = /^\/(faq|tutorials)\/([^/]+)(?:\/|$)/

/** Why a reference was refused, by the kind the form links. */
export const enterArticle = { faq: 'Enter the id or link of an FAQ', tutorial: 'Enter the id or link of a tutorial' } as const
export const otherKind = { faq: 'That is a link to a tutorial: enter an FAQ', tutorial: 'That is a link to an FAQ: enter a tutorial' } as const

/**
 * Reads "12", "#12", "/faq/12/slug", "/tutorials/12/slug" or a full link, as the duplicate
 * form reads its original (parseCanonicalReference). A link names its own kind, which must
 * be the form's: an FAQ's translation is an FAQ. Answers the id, or the reason it is refused.
 */
export function parseArticleReference(text: string, kind: ArticleKind): { id: number } | { error: string } {
	const reference = text.trim()
	const bare = /^#?(\d+)$/.exec(reference)
	if (bare) {
		const id = idSchema.safeParse(bare[1])
		return id.success ? { id: id.data } : { error: enterArticle[kind] }
	}
	if (!URL.canParse(reference, 'http://kizuna.invalid')) return { error: enterArticle[kind] }
	const match = PATH.exec(new URL(reference, 'http://kizuna.invalid').pathname)
	const id = idSchema.safeParse(match?.[2])
	if (!match || !id.success) return { error: enterArticle[kind] }
	if ((match[1] === 'faq' ? 'faq' : 'tutorial') !== kind) return { error: otherKind[kind] }
	return { id: id.data }
}
