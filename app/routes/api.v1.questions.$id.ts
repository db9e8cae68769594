import { json, type LoaderFunctionArgs, type ActionFunctionArgs } from '@remix-run/node'
import { getQuestionThread, recordQuestionView } from '~/community/questions.server'
import { methodNotAllowed } from '~/utils/api.server'
import { notFound } from '~/utils/errors.server'
import { apiResponse, idParam } from '~/utils/http.server'

export async function loader({ params, context }: LoaderFunctionArgs) {
	return apiResponse(context, async () => {
		const id = idParam.safeParse(params.id)
		if (!id.success) throw notFound('Question')
		const { slug: _slug, permissions: _p, saidMeToo: _s, answers, ...question } = await getQuestionThread(id.data, context.actor)
		await recordQuestionView(id.data, context)
		return json({
			...question,
			answers: answers.map(({ permissions: _ap, ...answer }) => answer),
		})
	})
}

export const action = ({ context }: ActionFunctionArgs) => methodNotAllowed(context, 'GET')
