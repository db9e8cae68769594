import { z } from 'zod'
import { oneLineText } from '~/utils/input'
import type { DocumentType } from './documents.server'
import { langParamSchema } from '~/utils/content-language'
import { eventChannels, SEARCH_QUERY_MAX, type ContentLanguage } from '~/utils/limits'
import { hostPageSchema, placeFrom, type EventPlace } from '~/utils/event-place'

/** Query-string parameters of every search entry point (page, suggestions, API). */
/** Control characters (a pasted NUL) mean nothing to a search and PostgreSQL refuses NUL in text: they become spaces. */
const searchText = (max: number, message: string) =>
	z
		.string()
		.trim()
		.max(max, message)
		.transform((value) => oneLineText(value).trim())

export const searchParamsSchema = z.object({
	q: searchText(SEARCH_QUERY_MAX, 'The query can have at most 500 characters').default(''),
	type: z.enum(['question', 'faq', 'tutorial'], { errorMap: () => ({ message: 'type must be one of: question, faq, tutorial' }) }).optional(),
	tag: searchText(40, 'tag can have at most 40 characters').optional(),
	category: searchText(80, 'category can have at most 80 characters').optional(),
	status: z.enum(['solved', 'answered', 'unanswered'], { errorMap: () => ({ message: 'status must be one of: solved, answered, unanswered' }) }).optional(),
	limit: z.coerce.number({ invalid_type_error: 'limit must be a number' }).int().min(1, 'limit must be between 1 and 50').max(50, 'limit must be between 1 and 50').default(10),
	page: z.coerce.number({ invalid_type_error: 'page must be a number' }).int().min(1, 'page must be between 1 and 100').max(100, 'page must be between 1 and 100').default(1),
	lang: langParamSchema,
})

export function searchParamsFrom(url: URL) {
	const raw = Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ''))
	return searchParamsSchema.safeParse(raw)
}

/** `answersOnly=true`: only what already answers something (FAQs, tutorials, solved threads), as the help widget shows. */
const answersOnlySchema = z.enum(['true', 'false'], { errorMap: () => ({ message: 'answersOnly must be true or false' }) }).optional()
const channelSchema = z.enum(eventChannels, { errorMap: () => ({ message: `channel must be one of: ${eventChannels.join(', ')}` }) }).optional()
/**
 * `GET /api/v1/search`: the parameters of every search, and where it was made.
 * With `channel=widget`, `page` names the host page the widget was open on (not a
 * page of results: the widget shows the first); otherwise it is the page of results.
 */
export function apiSearchParamsFrom(
	url: URL
): { success: true; data: z.infer<typeof searchParamsSchema> & { answersOnly: boolean }; place: EventPlace } | { success: false; message: string } {
	const channel = channelSchema.safeParse(url.searchParams.get('channel') || undefined)
	if (!channel.success) return { success: false, message: channel.error.issues[0]!.message }
	const answersOnly = answersOnlySchema.safeParse(url.searchParams.get('answersOnly') || undefined)
	if (!answersOnly.success) return { success: false, message: answersOnly.error.issues[0]!.message }
	const results = new URL(url)
	if (channel.data === 'widget') {
		const page = hostPageSchema.optional().safeParse(url.searchParams.get('page') || undefined)
		if (!page.success) return { success: false, message: page.error.issues[0]!.message }
		results.searchParams.delete('page')
	}
	const parsed = searchParamsFrom(results)
	if (!parsed.success) return { success: false, message: parsed.error.issues[0]?.message ?? 'Invalid search parameters' }
	return { success: true, data: { ...parsed.data, answersOnly: answersOnly.data === 'true' }, place: placeFrom(url.searchParams) }
}

/** What a search asks for and answers, whether Meilisearch or the PostgreSQL fallback answers it. */
export type SearchStatus = 'solved' | 'answered' | 'unanswered'
export type SearchRequest = {
	q: string
	type?: DocumentType
	tag?: string
	category?: string
	status?: SearchStatus
	/** Only content in this language. */
	language?: ContentLanguage
	/**
	 * The reader's language when showing every language: it ranks a little higher, and
	 * an article found in several languages is shown once, in this one when it has it.
	 */
	preferLanguage?: ContentLanguage
	/** Only content that already answers something: FAQs, tutorials, solved threads (the ask form's suggestions). */
	answersOnly?: boolean
	limit: number
	offset?: number
	/**
	 * Count results per type, tag and category (default). Counting means finding
	 * every match rather than just the best: about a quarter of Meilisearch's time
	 * for a full-sentence query, which as-you-type suggestions, shown without
	 * counts, do not pay.
	 */
	facets?: boolean
}
export type SearchHit = {
	id: number
	type: DocumentType
	title: string
	url: string
	snippet: string
	externalId: string | null
	highlightedTitle: string
	tags: string[]
	category: string | null
	solved: boolean
	language: ContentLanguage
}
export type SearchResult = {
	searchId: string
	total: number
	hits: SearchHit[]
	facets: { type: Record<string, number>; tags: Record<string, number>; category: Record<string, number> }
	/** Answered by the PostgreSQL fallback because Meilisearch is unreachable: results may be less relevant. */
	degraded: boolean
}
