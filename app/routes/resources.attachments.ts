import { json, type ActionFunctionArgs } from '@remix-run/node'
import { uploadAttachment } from '~/attachments/attachments.server'
import { DomainError } from '~/utils/errors.server'
import { apiResponse } from '~/utils/http.server'

const SEND_AS = 'Send the file as multipart/form-data in a field named "file"'

/**
 * The editor's upload (multipart/form-data, one `file`). The body was already
 * bounded while it streamed in (app/server/guards.ts readBody), and people who
 * may not upload were refused before it was read.
 */
export async function action({ request, context }: ActionFunctionArgs) {
	return apiResponse(context, async () => {
		if (request.method !== 'POST') throw new DomainError('invalid', 'Method not allowed; use POST')
		let file: FormDataEntryValue | null
		try {
			file = (await request.formData()).get('file')
		} catch {
			throw new DomainError('invalid', SEND_AS)
		}
		if (!file || typeof file === 'string') throw new DomainError('invalid', SEND_AS)
		const uploaded = await uploadAttachment(context.actor, { filename: file.name, bytes: Buffer.from(await file.arrayBuffer()) })
		return json(uploaded, { status: 201 })
	})
}
