import { z } from 'zod'
import { idSchema } from '~/utils/input'
import { withinMarkdownLimits } from '~/markdown/limits'

export const TAG_PATTERN = /^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N}-]{0,29}$/u
export const MAX_TAGS = 5

/** Tags arrive as a list or as text separated by spaces or commas. */
export const tagsSchema = z
	.union([z.string(), z.array(z.string())])
	.optional()
	.transform((value) => {
		const list = Array.isArray(value) ? value : (value ?? '').split(/[\s,、]+/)
		return [...new Set(list.map((t) => t.trim().normalize('NFKC').toLowerCase()).filter(Boolean))]
	})
	.superRefine((list, ctx) => {
		if (list.length > MAX_TAGS) ctx.addIssue({ code: 'custom', message: 'Use at most 5 tags' })
		if (list.some((t) => !TAG_PATTERN.test(t))) {
			ctx.addIssue({ code: 'custom', message: 'Tags can only contain letters, numbers and hyphens (up to 30 characters each)' })
		}
	})

export const questionSchema = z.object({
	title: z
		.string({ required_error: 'Enter a title' })
		.trim()
		.min(5, 'The title needs at least 5 characters')
		.max(150, 'The title can have at most 150 characters'),
	body: withinMarkdownLimits(
		z
			.string({ required_error: 'Describe your question' })
			.trim()
			.min(10, 'Describe your question in at least 10 characters')
			.max(30_000, 'The body can have at most 30,000 characters'),
	),
	tags: tagsSchema,
})
export type QuestionInput = z.infer<typeof questionSchema>

export const answerSchema = z.object({
	body: withinMarkdownLimits(
		z
			.string({ required_error: 'Write your answer' })
			.trim()
			.min(5, 'The answer needs at least 5 characters')
			.max(30_000, 'The answer can have at most 30,000 characters'),
	),
})

export const voteSchema = z.object({
	postType: z.enum(['question', 'answer']),
	postId: idSchema,
	value: z.enum(['up', 'down', 'none']),
})

export const listSortSchema = z.enum(['newest', 'active', 'unanswered', 'solved', 'frequent']).catch('newest')
