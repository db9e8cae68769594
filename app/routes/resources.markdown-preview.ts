import { json, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { previewMarkdown } from '~/community/preview.server'
import { apiResponse, parseInput } from '~/utils/http.server'

const schema = z.object({ markdown: z.string().max(30_000, 'The text can have at most 30,000 characters') })

export async function action({ request, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		const { markdown } = parseInput(schema, Object.fromEntries(await request.formData()))
		return json({ html: await previewMarkdown(context.actor, markdown) })
	})
}
