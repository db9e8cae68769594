import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { isContentLanguage } from '~/utils/content-language'
import { notFound } from '~/utils/errors.server'
import { apiResponse, idParam } from '~/utils/http.server'
import { panelArticle, panelViewer, type PanelArticleType } from '~/widget/panel.server'

const types = new Set<string>(['faq', 'tutorial', 'question'])

/** An FAQ, tutorial or solved thread for the panel; counted as a view from the widget on `?page=`. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
	return apiResponse(context, async () => {
		const id = idParam.safeParse(params.id)
		if (!types.has(params.type ?? '') || !id.success) throw notFound('Article')
		const url = new URL(request.url)
		const lang = url.searchParams.get('lang')
		const article = await panelArticle(panelViewer(context, url.searchParams), params.type as PanelArticleType, id.data, isContentLanguage(lang) ? lang : context.locale)
		return json(article, { headers: { 'Cache-Control': 'private, no-store' } })
	})
}
