import { z } from 'zod'
import { idSchema } from '~/utils/input'
import { withinMarkdownLimits } from '~/markdown/limits'
import { ANSWER_BODY, MAX_TAGS, QUESTION_BODY, TAG_PATTERN, TAG_SEPARATOR, TITLE, contentLanguages, normalizeTag } from '~/utils/limits'

// Messages are written out in full rather than built from the limits: they are the
// keys of their translations (app/i18n), which are looked up by the literal text.

/** Tags arrive as a list or as text separated by commas; spaces inside a tag become hyphens (see normalizeTag). */
export const tagsSchema = z
	.union([z.string(), z.array(z.string())])
	.optional()
	.transform((value) => {
		const list = Array.isArray(value) ? value : (value ?? '').split(TAG_SEPARATOR)
		return [...new Set(list.map(normalizeTag).filter(Boolean))]
	})
	.superRefine((list, ctx) => {
		if (list.length > MAX_TAGS) ctx.addIssue({ code: 'custom', message: 'Use at most 5 tags' })
		if (list.some((t) => !TAG_PATTERN.test(t))) {
			ctx.addIssue({ code: 'custom', message: 'Tags can only contain letters, numbers and hyphens (up to 30 characters each)' })
		}
	})

/** A post's language when its author chooses one; left out (or the form's "detect" choice), it is detected from the text. */
export const postLanguageSchema = z.preprocess(
	(value) => (value === '' ? undefined : value),
	z.enum(contentLanguages, { errorMap: () => ({ message: 'Choose English or Japanese' }) }).optional(),
)

export const questionSchema = z.object({
	title: z
		.string({ required_error: 'Enter a title' })
		.trim()
		.min(TITLE.min, 'The title needs at least 5 characters')
		.max(TITLE.max, 'The title can have at most 150 characters'),
	body: withinMarkdownLimits(
		z
			.string({ required_error: 'Describe your question' })
			.trim()
			.min(QUESTION_BODY.min, 'Describe your question in at least 10 characters')
			.max(QUESTION_BODY.max, 'The body can have at most 30,000 characters'),
	),
	tags: tagsSchema,
	language: postLanguageSchema,
})
export type QuestionInput = z.infer<typeof questionSchema>

export const answerSchema = z.object({
	body: withinMarkdownLimits(
		z
			.string({ required_error: 'Write your answer' })
			.trim()
			.min(ANSWER_BODY.min, 'The answer needs at least 5 characters')
			.max(ANSWER_BODY.max, 'The answer can have at most 30,000 characters'),
	),
	language: postLanguageSchema,
})

export const voteSchema = z.object({
	postType: z.enum(['question', 'answer']),
	postId: idSchema,
	value: z.enum(['up', 'down', 'none']),
})

export const listSortSchema = z.enum(['newest', 'active', 'unanswered', 'solved', 'frequent']).catch('newest')
