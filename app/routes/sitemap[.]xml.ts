import type { LoaderFunctionArgs } from '@remix-run/node'
import { xmlResponse } from '~/seo/responses.server'
import { siteBase } from '~/seo/site.server'
import { sitemapIndex } from '~/seo/sitemap.server'

/** The sitemap index: one entry per file of /sitemaps/ (app/routes/sitemaps.$file.ts). */
export async function loader({ request }: LoaderFunctionArgs) {
	return xmlResponse(await sitemapIndex(siteBase(request.url)))
}
