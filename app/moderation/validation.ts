import { z } from 'zod'
import { idSchema } from '~/utils/input'

/** What `POST /api/v1/moderation/{targetType}/{targetId}` and the post page's staff forms accept (approving is the review queue's). */
export const moderationRequestSchema = z.object({
	action: z.enum(['hide', 'restore', 'delete', 'lock', 'unlock'], { errorMap: () => ({ message: 'Choose hide, restore, delete, lock or unlock' }) }),
	reason: z.string({ invalid_type_error: 'Give the reason as text' }).trim().max(500, 'Use at most 500 characters').optional().default(''),
})

export const moderationTargetSchema = z.object({
	targetType: z.enum(['question', 'answer'], { errorMap: () => ({ message: 'Not found' }) }),
	targetId: idSchema,
})

export const moderationFormSchema = moderationRequestSchema.merge(moderationTargetSchema)
