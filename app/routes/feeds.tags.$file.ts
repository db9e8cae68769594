import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { tagFeed } from '~/seo/feeds.server'
import { atomResponse, notFoundResponse } from '~/seo/responses.server'
import { siteBase } from '~/seo/site.server'
import { safeParseInput } from '~/utils/input'

/** `billing.atom`: a tag's name (as stored, at most 60 characters) and the feed's extension. */
const fileSchema = z
	.string()
	.max(70)
	.regex(/^.+\.atom$/s)
	.transform((file) => file.slice(0, -'.atom'.length))

export async function loader({ params, request }: LoaderFunctionArgs) {
	const name = safeParseInput(fileSchema, params.file ?? '')
	if (!name.success) return notFoundResponse()
	const feed = await tagFeed(siteBase(request.url), name.data, { now: new Date() })
	return feed === null ? notFoundResponse() : atomResponse(feed)
}
