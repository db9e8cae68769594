import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { requireApiActor } from '~/auth/api.server'
import { questionSchema } from '~/community/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse, parseInput, readJsonBody } from '~/utils/http.server'
import { panelAsk, panelViewer } from '~/widget/panel.server'

/** "Ask the community" from the panel: the body of POST /api/v1/questions, an escalation on `?page=`. */
export async function action({ request, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') return methodNotAllowed(context, 'POST')
		requireApiActor(context)
		const input = parseInput(questionSchema, await readJsonBody(request))
		return json(await panelAsk(panelViewer(context, new URL(request.url).searchParams), input), { status: 201 })
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
