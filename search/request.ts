import { z } from 'zod'

/** Query-string parameters of every search entry point (page, suggestions, API). */
export const searchParamsSchema = z.object({
	q: z.string().trim().max(200, 'The query can have at most 200 characters').default(''),
	type: z.enum(['question', 'faq', 'tutorial'], { errorMap: () => ({ message: 'type must be one of: question, faq, tutorial' }) }).optional(),
	tag: z.string().trim().max(40).optional(),
	category: z.string().trim().max(80).optional(),
	status: z.enum(['solved', 'answered', 'unanswered'], { errorMap: () => ({ message: 'status must be one of: solved, answered, unanswered' }) }).optional(),
	limit: z.coerce.number({ invalid_type_error: 'limit must be a number' }).int().min(1, 'limit must be between 1 and 50').max(50, 'limit must be between 1 and 50').default(10),
	page: z.coerce.number().int().min(1).max(100).default(1),
})

export function searchParamsFrom(url: URL) {
	const raw = Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ''))
	return searchParamsSchema.safeParse(raw)
}
