import { z } from 'zod'
import { flagReasons, flagTargetTypes } from '#db/schema'
import { idSchema, MAX_ID } from '~/utils/input'

/** What `POST /api/v1/moderation/{targetType}/{targetId}` and the post page's staff forms accept (approving is the review queue's). */
export const moderationRequestSchema = z.object({
	action: z.enum(['hide', 'restore', 'delete', 'lock', 'unlock'], { errorMap: () => ({ message: 'Choose hide, restore, delete, lock or unlock' }) }),
	reason: z.string({ invalid_type_error: 'Give the reason as text' }).trim().max(500, 'Use at most 500 characters').optional().default(''),
})

export const moderationTargetSchema = z.object({
	targetType: z.enum(flagTargetTypes, { errorMap: () => ({ message: 'Not found' }) }),
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

/** What each trust level is called, on the settings page and on public profiles (as Discourse shows them). */
export const trustLevelLabels = { new: 'New member', basic: 'Member', trusted: 'Trusted member', staff: 'Staff' } as const

export const reviewActions = ['approve', 'restore', 'hide', 'delete', 'lock', 'suspend'] as const
export type ReviewAction = (typeof reviewActions)[number]

/** A decision in the review queue; the reason is what the author is shown (required to hide, delete or lock). */
export const reviewDecisionSchema = moderationTargetSchema.extend({
	decision: z.enum(reviewActions, { errorMap: () => ({ message: 'Choose what to do' }) }),
	reason: z.string().trim().max(500, 'Use at most 500 characters').default(''),
})

/** Bounds of the word list: a few hundred short entries are screened on every post. */
export const HELD_WORDS_MAX = 500
export const HELD_WORD_LENGTH = 100

const wholeNumber = (min: number, max: number) => {
	const message = `Enter a whole number from ${min} to ${max}`
	return z
		.string({ required_error: message, invalid_type_error: message })
		.trim()
		.regex(/^\d{1,6}$/, message)
		.transform(Number)
		.pipe(z.number().int().min(min, message).max(max, message))
}

/**
 * The form of /admin/moderation, shared by the browser and the action: numbers as
 * typed, the word list one entry per line (blank lines and repeats dropped).
 */
export const moderationSettingsSchema = z.object({
	flagsToHide: wholeNumber(1, 100),
	newPersonPosts: wholeNumber(0, 1000),
	newPersonHours: wholeNumber(0, 24 * 365),
	maxLinks: wholeNumber(0, 100),
	postsPerHourNew: wholeNumber(1, 1000),
	postsPerHourBasic: wholeNumber(1, 1000),
	postsPerHourTrusted: wholeNumber(1, 1000),
	heldWords: z
		.string()
		.max(HELD_WORDS_MAX * (HELD_WORD_LENGTH + 2), `Use at most ${HELD_WORDS_MAX} entries of at most ${HELD_WORD_LENGTH} characters`)
		.optional()
		.transform((text) => [...new Set((text ?? '').split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== ''))])
		.refine((words) => words.length <= HELD_WORDS_MAX, `Use at most ${HELD_WORDS_MAX} entries`)
		.refine((words) => words.every((word) => word.length <= HELD_WORD_LENGTH), `Each entry can have at most ${HELD_WORD_LENGTH} characters`),
})
export type ModerationSettingsInput = z.output<typeof moderationSettingsSchema>
