import { z } from 'zod'
import { answerSchema, questionSchema, tagsSchema } from '~/community/validation'
import { withinMarkdownLimits } from '~/markdown/limits'
import { CATEGORY, FEEDBACK_COMMENT, TUTORIAL, contentLanguages, feedbackReasons, lifecyclePhases } from '~/utils/limits'

// Messages are written out in full rather than built from the limits: they are the
// keys of their translations (app/i18n), which are looked up by the literal text.

export const tutorialPhases = lifecyclePhases

export const categoryNameSchema = z
	.string({ required_error: 'Enter a category name' })
	.trim()
	.min(CATEGORY.name.min, 'The category name needs at least 2 characters')
	.max(CATEGORY.name.max, 'The category name can have at most 60 characters')

export const categorySchema = z.object({
	name: categoryNameSchema,
	description: z.string().trim().max(CATEGORY.description, 'The description can have at most 300 characters').default(''),
})
export type CategoryInput = z.infer<typeof categorySchema>

/** A category's name in one language; an empty name removes that language's name (the category's own applies). */
export const categoryTranslationSchema = z.object({
	language: z.enum(contentLanguages, { errorMap: () => ({ message: 'Choose English or Japanese' }) }),
	name: z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), categoryNameSchema.optional()).transform((value) => value ?? null),
	description: categorySchema.shape.description,
})
export type CategoryTranslationInput = z.infer<typeof categoryTranslationSchema>

export const faqSchema = z.object({
	// An FAQ is a question with its answer: the same limits apply.
	title: questionSchema.shape.title,
	body: answerSchema.shape.body,
	category: z
		.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), categoryNameSchema.optional())
		.transform((value) => value ?? null),
	tags: tagsSchema,
	language: z.enum(contentLanguages, { errorMap: () => ({ message: 'Choose English or Japanese' }) }),
})
export type FaqInput = z.infer<typeof faqSchema>

const stepSchema = z.object({
	title: z
		.string({ required_error: 'Give the step a title' })
		.trim()
		.min(1, 'Give the step a title')
		.max(TUTORIAL.stepTitle, 'A step title can have at most 120 characters'),
	body: withinMarkdownLimits(
		z
			.string({ required_error: 'Describe what to do in this step' })
			.trim()
			.min(1, 'Describe what to do in this step')
			.max(TUTORIAL.stepBody, 'A step can have at most 20,000 characters'),
	),
})

const minutesMessage = 'Enter the estimated time in minutes (1–600)'
const positionMessage = 'Enter a whole number from 0 to 10,000'

export const tutorialSchema = z.object({
	title: z.string({ required_error: 'Enter a title' }).trim().min(1, 'Enter a title').max(TUTORIAL.title, 'The title can have at most 150 characters'),
	summary: z
		.string({ required_error: 'Write a short summary' })
		.trim()
		.min(1, 'Write a short summary')
		.max(TUTORIAL.summary, 'The summary can have at most 1,000 characters'),
	estimatedMinutes: z.coerce
		.number({ invalid_type_error: minutesMessage })
		.int(minutesMessage)
		.min(TUTORIAL.minutes.min, minutesMessage)
		.max(TUTORIAL.minutes.max, minutesMessage),
	phase: z.enum(lifecyclePhases, { errorMap: () => ({ message: 'Choose a phase' }) }),
	language: z.enum(contentLanguages, { errorMap: () => ({ message: 'Choose a language' }) }),
	position: z.coerce.number({ invalid_type_error: positionMessage }).int(positionMessage).min(0, positionMessage).max(TUTORIAL.position, positionMessage).default(0),
	published: z.preprocess((v) => v === true || v === 'on' || v === 'true', z.boolean()),
	steps: z.array(stepSchema).min(1, 'Add at least one step').max(TUTORIAL.steps, 'A tutorial can have at most 30 steps'),
})
export type TutorialInput = z.infer<typeof tutorialSchema>

const feedbackTargets = ['question', 'faq', 'tutorial'] as const

export const feedbackSchema = z.object({
	targetType: z.enum(feedbackTargets, { errorMap: () => ({ message: `targetType must be one of: ${feedbackTargets.join(', ')}` }) }),
	targetId: z.coerce.number({ invalid_type_error: 'targetId must be a number' }).int().positive().max(2_147_483_647),
	helpful: z.preprocess(
		(v) => (v === 'true' ? true : v === 'false' ? false : v),
		z.boolean({ required_error: 'helpful is required', invalid_type_error: 'helpful must be true or false' }),
	),
	reason: z.enum(feedbackReasons, { errorMap: () => ({ message: `reason must be one of: ${feedbackReasons.join(', ')}` }) }).optional(),
	comment: z.string().trim().max(FEEDBACK_COMMENT, 'The comment can have at most 1,000 characters').optional(),
	searchId: z.string().uuid('searchId must be an id returned by the search API').optional(),
})
export type FeedbackInput = z.infer<typeof feedbackSchema>

export const searchClickSchema = z.object({
	hitId: z.coerce.number({ required_error: 'hitId is required', invalid_type_error: 'hitId must be a number' }).int().positive().max(2_147_483_647),
	hitType: z.enum(feedbackTargets).optional(),
})
