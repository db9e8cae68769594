import { json, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { removeLearnedPhrasing } from '~/knowledge/phrasings.server'
import { formResponse, idParam, parseInput } from '~/utils/http.server'

export async function action({ request, context }: ActionFunctionArgs) {
	return formResponse(async () => {
		const { id } = parseInput(z.object({ id: idParam }), Object.fromEntries(await request.formData()))
		await removeLearnedPhrasing(context.actor, id)
		return json({ ok: true as const })
	})
}
