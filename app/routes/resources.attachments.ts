import { json, type ActionFunctionArgs } from '@remix-run/node'
import { uploadAttachment } from '~/attachments/attachments.server'
import { parseUploadBody } from '~/attachments/multipart.server'
import { DomainError } from '~/utils/errors.server'
import { apiResponse } from '~/utils/http.server'

/**
 * The editor's upload (multipart/form-data, one `file`). The body was already
 * bounded while it streamed in (app/server/guards.ts readBody), and counted by
 * the `upload` rate limit (refuseUploadEarly) before it was read.
 */
export async function action({ request, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') throw new DomainError('invalid', 'Method not allowed; use POST')
		const file = parseUploadBody(request.headers.get('content-type'), Buffer.from(await request.arrayBuffer()))
		const uploaded = await uploadAttachment(context.actor, file)
		return json(uploaded, { status: 201 })
	})
}
