import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse, idParam, parseInput, readJsonBody } from '~/utils/http.server'
import { panelStepDone, panelViewer } from '~/widget/panel.server'

const body = z.object({
	tutorialId: idParam,
	stepId: idParam,
	done: z.boolean({
		required_error: 'done is required',
		invalid_type_error: 'done must be true or false',
	}),
})

/** A tutorial step checked off (or not) in the panel, recorded as the widget's on `?page=`. */
export async function action({ request, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') return methodNotAllowed(context, 'POST')
		const input = parseInput(body, await readJsonBody(request))
		const viewer = panelViewer(context, new URL(request.url).searchParams)
		return json(await panelStepDone(viewer, input.tutorialId, input.stepId, input.done))
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
