import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { createQuestion } from '~/community/questions.server'
import { questionSchema } from '~/community/validation'
import { apiResponse, parseInput, readJsonBody } from '~/utils/http.server'
import { methodNotAllowed } from '~/utils/api.server'
import { requireApiActor } from '~/auth/api.server'

export async function action({ request, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') return methodNotAllowed(context, 'POST')
		requireApiActor(context)
		const input = parseInput(questionSchema, await readJsonBody(request))
		return json(await createQuestion(context.actor, input), { status: 201 })
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
