import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { loadConfig } from '~/config.server'
import { communityOrigin } from '~/sso/config.server'
import { pagePath } from '~/utils/event-place'
import { asDomainError } from '~/utils/errors.server'
import { parseInput } from '~/utils/http.server'
import { panelHtml, refusedPanelHtml } from '~/widget/panel-page.server'
import { panelHostOrigin } from '~/widget/panel.server'
import { widgetSettings } from '~/widget/settings.server'
import { widgetSuggestions } from '~/widget/suggestions.server'

const panelParams = z.object({
	origin: z.string().max(300).optional(),
	page: z.string().max(2000).optional(),
	lang: z.enum(['en', 'ja']).optional().catch(undefined),
})

/**
 * GET /widget: the help panel widget.js frames (`?origin=` the host page's origin,
 * `page=` its path, `lang=`). Only origins of the allow list (and this site) are
 * answered with the panel, which talks to that origin alone; the framing itself is
 * limited by `frame-ancestors` (app/server/widget-framing.ts).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
	const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'private, no-store' }
	// The refusal is in the panel's language once `lang=` is read.
	let lang = context.locale
	try {
		const params = parseInput(panelParams, Object.fromEntries(new URL(request.url).searchParams))
		lang = params.lang ?? context.locale
		const self = communityOrigin(loadConfig().KIZUNA_PUBLIC_URL, request.url)
		const page = pagePath(params.page)
		const [settings, suggestions] = await Promise.all([widgetSettings(), widgetSuggestions(page, lang)])
		const hostOrigin = panelHostOrigin(params.origin, self, settings.allowedOrigins)
		const html = panelHtml({ hostOrigin, page, lang, visitorId: context.visitorId, supportLink: settings.supportLink, suggestions }, context.cspNonce)
		return new Response(html, { status: 200, headers })
	} catch (error) {
		const refusal = asDomainError(error)
		if (!refusal || refusal.code === 'unavailable') throw error
		return new Response(refusedPanelHtml(lang, refusal.message), { status: refusal.status, headers })
	}
}
