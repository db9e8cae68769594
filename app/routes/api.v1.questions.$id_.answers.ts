import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { createAnswer } from '~/community/questions.server'
import { answerSchema } from '~/community/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { requireApiActor } from '~/auth/api.server'
import { notFound } from '~/utils/errors.server'
import { apiResponse, idParam, parseInput, readJsonBody } from '~/utils/http.server'

export async function action({ request, params, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') return methodNotAllowed(context, 'POST')
		const id = idParam.safeParse(params.id)
		if (!id.success) throw notFound('Question')
		requireApiActor(context)
		const { body } = parseInput(answerSchema, await readJsonBody(request))
		return json(await createAnswer(context.actor, id.data, body), { status: 201 })
	})
}

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
