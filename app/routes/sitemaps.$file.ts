import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { notFoundResponse, xmlResponse } from '~/seo/responses.server'
import { siteBase } from '~/seo/site.server'
import { sitemapFile, sitemapKinds, type SitemapKind } from '~/seo/sitemap.server'

const FILE = new RegExp(`^(${sitemapKinds.join('|')})-([1-9]\\d{0,5})\\.xml$`)

/** `questions-2.xml`: the kind and the file's number (from 1). */
const fileSchema = z
	.string()
	.regex(FILE)
	.transform((file) => {
		const [, kind, page] = FILE.exec(file)!
		return { kind: kind as SitemapKind, page: Number(page) }
	})

export async function loader({ params, request }: LoaderFunctionArgs) {
	const file = fileSchema.safeParse(params.file)
	if (!file.success) return notFoundResponse()
	const xml = await sitemapFile(siteBase(request.url), file.data.kind, file.data.page)
	return xml === null ? notFoundResponse() : xmlResponse(xml)
}
