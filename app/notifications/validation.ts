import { z } from 'zod'
import { idSchema } from '~/utils/input'
import { TAG_PATTERN, normalizeTag } from '~/utils/limits'

export const MAX_API_NOTIFICATIONS = 100

const limitMessage = `limit must be a whole number from 1 to ${MAX_API_NOTIFICATIONS}`

/** `GET /api/v1/notifications?limit=`: 1–100, default 30. */
export const notificationListQuery = z.object({
	limit: z.coerce.number({ invalid_type_error: limitMessage }).int(limitMessage).min(1, limitMessage).max(MAX_API_NOTIFICATIONS, limitMessage).default(30),
})

const idsMessage = 'ids must be a list of notification ids'

/**
 * `POST /api/v1/notifications/read`: `{"ids": [...]}` (at most 100) or `{}` for all.
 * Any other key is refused: a client that misspells `ids` must not mark everything read.
 */
export const markReadBody = z
	.object({
		ids: z
			.array(z.number({ invalid_type_error: idsMessage }).int(idsMessage).positive(idsMessage).max(Number.MAX_SAFE_INTEGER, idsMessage), { invalid_type_error: idsMessage })
			.max(100, 'ids can name at most 100 notifications')
			.optional(),
	})
	.strict('Only "ids" can be sent: a list of notification ids, or nothing to mark all read')

/** A tag in a path (`/api/v1/tags/{name}/follow`) or a form. */
export const tagName = z.string().max(100, 'Tag not found').transform(normalizeTag).pipe(z.string().regex(TAG_PATTERN, 'Tag not found'))

/** The follow buttons' form (`/resources/follow`): a question's id or a tag's name, and whether to follow it. */
export const followForm = z.object({
	kind: z.enum(['question', 'tag'], { errorMap: () => ({ message: 'Choose a question or a tag to follow' }) }),
	questionId: idSchema.optional(),
	tag: tagName.optional(),
	following: z.enum(['true', 'false'], { errorMap: () => ({ message: 'Say whether to follow or to unfollow' }) }),
	redirectTo: z.string().max(2_000).optional(),
})

/** What the editor's `@` suggestions search for. */
export const mentionQuery = z.object({ q: z.string().trim().min(1, 'Type a name').max(32, 'Type at most 32 characters') })
