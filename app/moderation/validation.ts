import { z } from 'zod'

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
