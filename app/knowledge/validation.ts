import { z } from 'zod'
import type { ContentLanguage, LifecyclePhase } from '#db/schema'
import { answerSchema, questionSchema, tagsSchema } from '~/community/validation'
import { withinMarkdownLimits } from '~/markdown/limits'

// The database's enums, spelled out so the browser can check forms without loading the
// database schema; `satisfies` fails the build if they drift apart.
const LIFECYCLE_PHASES = Object.keys({ onboarding: true, adoption: true, expansion: true } satisfies Record<LifecyclePhase, true>) as [LifecyclePhase, ...LifecyclePhase[]]
const CONTENT_LANGUAGES = Object.keys({ en: true, ja: true } satisfies Record<ContentLanguage, true>) as [ContentLanguage, ...ContentLanguage[]]

export const categoryNameSchema = z
	.string({ required_error: 'Enter a category name' })
	.trim()
	.min(2, 'The category name needs at least 2 characters')
	.max(60, 'The category name can have at most 60 characters')

export const categorySchema = z.object({
	name: categoryNameSchema,
	description: z.string().trim().max(300, 'The description can have at most 300 characters').default(''),
})
export type CategoryInput = z.infer<typeof categorySchema>

export const faqSchema = z.object({
	// An FAQ is a question with its answer: the same limits apply.
	title: questionSchema.shape.title,
	body: answerSchema.shape.body,
	category: z
		.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), categoryNameSchema.optional())
		.transform((value) => value ?? null),
	tags: tagsSchema,
	language: z.enum(['en', 'ja'], { errorMap: () => ({ message: 'Choose English or Japanese' }) }),
})
export type FaqInput = z.infer<typeof faqSchema>

const stepSchema = z.object({
	title: z
		.string({ required_error: 'Give the step a title' })
		.trim()
		.min(1, 'Give the step a title')
		.max(120, 'A step title can have at most 120 characters'),
	body: withinMarkdownLimits(
		z
			.string({ required_error: 'Describe what to do in this step' })
			.trim()
			.min(1, 'Describe what to do in this step')
			.max(20_000, 'A step can have at most 20,000 characters'),
	),
})

export const tutorialSchema = z.object({
	title: z.string({ required_error: 'Enter a title' }).trim().min(1, 'Enter a title').max(150, 'The title can have at most 150 characters'),
	summary: z
		.string({ required_error: 'Write a short summary' })
		.trim()
		.min(1, 'Write a short summary')
		.max(1000, 'The summary can have at most 1,000 characters'),
	estimatedMinutes: z.coerce
		.number({ invalid_type_error: 'Enter the estimated time in minutes (1–600)' })
		.int('Enter the estimated time in minutes (1–600)')
		.min(1, 'Enter the estimated time in minutes (1–600)')
		.max(600, 'Enter the estimated time in minutes (1–600)'),
	phase: z.enum(LIFECYCLE_PHASES, { errorMap: () => ({ message: 'Choose a phase' }) }),
	language: z.enum(CONTENT_LANGUAGES, { errorMap: () => ({ message: 'Choose a language' }) }),
	position: z.coerce
		.number({ invalid_type_error: 'Enter a whole number from 0 to 10,000' })
		.int('Enter a whole number from 0 to 10,000')
		.min(0, 'Enter a whole number from 0 to 10,000')
		.max(10_000, 'Enter a whole number from 0 to 10,000')
		.default(0),
	published: z.preprocess((v) => v === true || v === 'on' || v === 'true', z.boolean()),
	steps: z.array(stepSchema).min(1, 'Add at least one step').max(30, 'A tutorial can have at most 30 steps'),
})
export type TutorialInput = z.infer<typeof tutorialSchema>

