import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { isContentLanguage } from '~/utils/content-language'
import { apiResponse } from '~/utils/http.server'
import { panelChecklist } from '~/widget/panel.server'

/** The signed-in person's onboarding checklist with progress (`{"items": []}` for visitors). */
export async function loader({ request, context }: LoaderFunctionArgs) {
	return apiResponse(context, async () => {
		const lang = new URL(request.url).searchParams.get('lang')
		return json(
			{
				items: await panelChecklist(context.actor, isContentLanguage(lang) ? lang : context.locale),
			},
			{ headers: { 'Cache-Control': 'private, no-store' } }
		)
	})
}
