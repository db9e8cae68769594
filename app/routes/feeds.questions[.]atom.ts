import type { LoaderFunctionArgs } from '@remix-run/node'
import { questionsFeed } from '~/seo/feeds.server'
import { atomResponse } from '~/seo/responses.server'
import { siteBase } from '~/seo/site.server'

export async function loader({ request }: LoaderFunctionArgs) {
	return atomResponse(await questionsFeed(siteBase(request.url), { now: new Date() }))
}
