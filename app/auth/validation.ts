import { z } from 'zod'

export const emailSchema = z.string().trim().toLowerCase().email('Enter a valid email address').max(254)
export const passwordSchema = z
	.string()
	.min(8, 'Use at least 8 characters')
	.max(200, 'Use at most 200 characters')

export const signUpSchema = z.object({
	email: emailSchema,
	displayName: z.string().trim().min(1, 'Enter your name').max(60, 'Use at most 60 characters'),
	password: passwordSchema,
	redirectTo: z.string().max(2000).optional(),
})

export const signInSchema = z.object({
	email: emailSchema,
	password: z.string().min(1, 'Enter your password').max(200, 'Use at most 200 characters'),
	redirectTo: z.string().max(2000).optional(),
})
