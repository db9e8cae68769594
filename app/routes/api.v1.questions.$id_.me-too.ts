import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { questionWrite } from '~/auth/api.server'
import { addMeToo } from '~/community/questions.server'
import { methodNotAllowed } from '~/utils/api.server'

export const action = questionWrite(async (actor, questionId) => {
	const { count } = await addMeToo(actor, questionId)
	return json({ count })
})

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')
