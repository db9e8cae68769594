import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { releaseHeldPost } from '~/community/questions.server'
import { requireApiActor } from '~/auth/api.server'
import { authorize } from '~/auth/permissions.server'
import { moderatePost } from '~/moderation/moderation.server'
import { moderationRequestSchema, moderationTargetSchema } from '~/moderation/validation'
import { methodNotAllowed } from '~/utils/api.server'
import { notFound } from '~/utils/errors.server'
import { apiResponse, parseInput, readJsonBody } from '~/utils/http.server'

export const loader = ({ context }: LoaderFunctionArgs) => methodNotAllowed(context, 'POST')

/** `POST {"action", "reason"}` by cs or admin: `{state, locked}` as the post now is. */
export async function action({ request, params, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') return methodNotAllowed(context, 'POST')
		const actor = requireApiActor(context)
		// Someone who may not moderate learns that before anything about the post or their input.
		authorize(actor, 'moderation:review')
		const target = moderationTargetSchema.safeParse(params)
		if (!target.success) throw notFound('Post')
		const { action: step, reason } = parseInput(moderationRequestSchema, await readJsonBody(request))
		return json(await moderatePost(actor, { type: target.data.targetType, id: target.data.targetId }, step, reason, new Date(), releaseHeldPost))
	})
}
