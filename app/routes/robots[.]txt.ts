import type { LoaderFunctionArgs } from '@remix-run/node'
import { textResponse } from '~/seo/responses.server'
import { robotsTxt } from '~/seo/robots.server'
import { siteBase } from '~/seo/site.server'

export function loader({ request }: LoaderFunctionArgs) {
	return textResponse(robotsTxt(siteBase(request.url)))
}
