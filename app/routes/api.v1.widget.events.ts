import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse, parseInput, readJsonBody } from '~/utils/http.server'
import { panelViewer, recordPanelEvent } from '~/widget/panel.server'

const body = z.object({
	type: z.enum(['ask_form_opened', 'support_contacted'], {
		errorMap: () => ({
			message: 'type must be one of: ask_form_opened, support_contacted',
		}),
	}),
})

/** "Ask the community" opened or "Contact support" followed in the panel, on `?page=`. */
export async function action({ request, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') return methodNotAllowed(context, 'POST')
		const input = parseInput(body, await readJsonBody(request))
		return json(await recordPanelEvent(panelViewer(context, new URL(request.url).searchParams), input.type), { status: 201 })
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
