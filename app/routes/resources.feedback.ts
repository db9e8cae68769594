import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { currentFeedback, recordFeedback } from '~/knowledge/feedback.server'
import { feedbackSchema } from '~/knowledge/validation'
import { formResponse, idParam, parseInput } from '~/utils/http.server'

/** The feedback widget's own endpoint: its current vote (GET) and voting (POST). */
export async function loader({ request, context }: LoaderFunctionArgs) {
	const params = Object.fromEntries(new URL(request.url).searchParams)
	const parsed = z.object({ targetType: feedbackSchema.shape.targetType, targetId: idParam }).safeParse(params)
	if (!parsed.success) return json({ vote: null })
	return json({ vote: await currentFeedback({ actor: context.actor, visitorId: context.visitorId }, parsed.data.targetType, parsed.data.targetId) })
}

export async function action({ request, context }: ActionFunctionArgs) {
	return formResponse(async () => {
		const form = Object.fromEntries([...(await request.formData())].filter(([, value]) => value !== ''))
		const input = parseInput(feedbackSchema, form)
		const saved = await recordFeedback(context, input)
		return json({ ok: true as const, vote: { helpful: saved.helpful, reason: saved.reason } })
	})
}
