import { z } from 'zod'

/**
 * Offset paging for the lists that grow with customers (accounts, people,
 * learned phrasings, webhook deliveries, insights tables). With 50,000 accounts
 * the last page of the accounts list answers in tens of milliseconds (README
 * "Paging"), so keyset paging would buy nothing that is measurable here.
 */
export const PAGE_SIZE = 50
/** Page numbers beyond this are refused: nobody pages that far by hand, and offsets stay cheap. */
export const MAX_PAGE = 10_000

/** For pages: a missing or unreadable `?page=` is the first page, never an error page. */
export const pageNumber = z.coerce.number().int().min(1).max(MAX_PAGE).catch(1)

/** Reads a page number from a query string (`name` lets one page hold several paged lists). */
export const readPage = (params: URLSearchParams, name = 'page') => pageNumber.parse(params.get(name) ?? undefined)

export type PageInfo = { page: number; pageSize: number; total: number; pageCount: number }

/** The page actually shown: one past the end shows the last page. */
export function pageOf(requested: number, total: number, pageSize = PAGE_SIZE): PageInfo & { limit: number; offset: number } {
	const pageCount = Math.max(1, Math.ceil(total / pageSize))
	const page = Math.min(Math.max(1, requested), pageCount)
	return { page, pageSize, total, pageCount, limit: pageSize, offset: (page - 1) * pageSize }
}

/** `limit` and `offset` are for the query only; the page sends the rest to the browser. */
export const pageInfo = ({ page, pageSize, total, pageCount }: PageInfo): PageInfo => ({ page, pageSize, total, pageCount })

/** The most rows one API page can ask for. */
export const MAX_API_LIMIT = 1000
const API_DEFAULT_LIMIT = 100

/** For the API: optional `page` and `limit`; a bad value is a 400 with the reason, not a silent first page. */
export const apiPagingSchema = z.object({
	page: z.coerce
		.number({ invalid_type_error: 'page must be a whole number from 1' })
		.int('page must be a whole number from 1')
		.min(1, 'page must be a whole number from 1')
		.max(MAX_PAGE, `page can be at most ${MAX_PAGE}`)
		.optional(),
	limit: z.coerce
		.number({ invalid_type_error: `limit must be a whole number from 1 to ${MAX_API_LIMIT}` })
		.int(`limit must be a whole number from 1 to ${MAX_API_LIMIT}`)
		.min(1, `limit must be a whole number from 1 to ${MAX_API_LIMIT}`)
		.max(MAX_API_LIMIT, `limit must be a whole number from 1 to ${MAX_API_LIMIT}`)
		.optional(),
})

/** The rows an API call asked for; none when it gave neither `page` nor `limit` (then it gets every row, as before paging). */
export function sliceOf(paging: z.infer<typeof apiPagingSchema>): { page: number; limit: number; offset: number } | undefined {
	if (paging.page === undefined && paging.limit === undefined) return undefined
	const page = paging.page ?? 1
	const limit = paging.limit ?? API_DEFAULT_LIMIT
	return { page, limit, offset: (page - 1) * limit }
}
