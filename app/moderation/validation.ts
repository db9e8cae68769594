import { z } from 'zod'
import { flagReasons, flagTargetTypes } from '#db/schema'
import { idSchema, MAX_ID } from '~/utils/input'

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

const postNumber = 'targetId must be the number of a question or answer'

export const FLAG_COMMENT_MAX = 500

/** What each reason is called on the flag form and in the review queue. */
export const flagReasonLabels: Record<(typeof flagReasons)[number], string> = {
	spam: 'Spam',
	offensive: 'Offensive',
	off_topic: 'Off-topic',
	wrong: 'Wrong or outdated',
	other: 'Other',
}

/** A flag as the API and the flag form send it; "other" says what is wrong in the note. */
export const flagSchema = z
	.object({
		targetType: z.enum(flagTargetTypes, { errorMap: () => ({ message: 'targetType must be "question" or "answer"' }) }),
		targetId: z.coerce.number({ invalid_type_error: postNumber }).int(postNumber).positive(postNumber).max(MAX_ID, postNumber),
		reason: z.enum(flagReasons, { errorMap: () => ({ message: 'Choose a reason' }) }),
		comment: z
			.string({ invalid_type_error: 'comment must be text' })
			.trim()
			.max(FLAG_COMMENT_MAX, `Use at most ${FLAG_COMMENT_MAX} characters`)
			.optional()
			.transform((text) => text || undefined),
	})
	.superRefine((flag, ctx) => {
		if (flag.reason === 'other' && !flag.comment) ctx.addIssue({ code: 'custom', path: ['comment'], message: 'Say what is wrong with this post' })
	})
export type FlagInput = z.infer<typeof flagSchema>

export const reviewActions = ['approve', 'restore', 'hide', 'delete', 'lock', 'suspend'] as const
export type ReviewAction = (typeof reviewActions)[number]

/** A decision in the review queue; the reason is what the author is shown (required to hide, delete or lock). */
export const reviewDecisionSchema = z.object({
	targetType: z.enum(flagTargetTypes, { errorMap: () => ({ message: 'Not found' }) }),
	targetId: z.coerce.number({ invalid_type_error: 'Not found' }).int('Not found').positive('Not found').max(MAX_ID, 'Not found'),
	decision: z.enum(reviewActions, { errorMap: () => ({ message: 'Choose what to do' }) }),
	reason: z.string().trim().max(500, 'Use at most 500 characters').default(''),
})
