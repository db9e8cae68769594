import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { recordFeedback, type Voter } from '~/knowledge/feedback.server'
import { feedbackSchema } from '~/knowledge/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { apiResponse, parseInput, readJsonBody } from '~/utils/http.server'
import { panelViewer, type PanelViewer } from '~/widget/panel.server'

/** "Did this solve your problem?" in the panel: the body of POST /api/v1/feedback, recorded as the widget's on `?page=`. */
export async function action({ request, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') return methodNotAllowed(context, 'POST')
		const input = parseInput(feedbackSchema, await readJsonBody(request))
		// The voter is also the event's actor (recordFeedback hands it to the recorder), so its place goes with the vote.
		const voter: Voter & PanelViewer = panelViewer(context, new URL(request.url).searchParams)
		return json(await recordFeedback(voter, input), { status: 201 })
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
