import type { LoaderFunctionArgs } from '@remix-run/node'
import { faqsFeed } from '~/seo/feeds.server'
import { atomResponse } from '~/seo/responses.server'
import { siteBase } from '~/seo/site.server'

export async function loader({ request }: LoaderFunctionArgs) {
	return atomResponse(await faqsFeed(siteBase(request.url), { now: new Date() }))
}
