import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { questionWrite } from '~/auth/api.server'
import { createAnswer } from '~/community/questions.server'
import { answerSchema } from '~/community/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { parseInput, readJsonBody } from '~/utils/http.server'

export const action = questionWrite(async (actor, questionId, request) => {
	const input = parseInput(answerSchema, await readJsonBody(request))
	return json(await createAnswer(actor, questionId, input), { status: 201 })
})

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
