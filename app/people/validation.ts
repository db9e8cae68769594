import { z } from 'zod'
import { emailSchema, passwordSchema } from '~/auth/validation'
import { locales } from '~/i18n/locales'

export const displayNameSchema = z.string().trim().min(1, 'Enter your name').max(60, 'Use at most 60 characters')
export const localeSchema = z.enum(locales, { errorMap: () => ({ message: 'Choose English or Japanese' }) })

export const forgotPasswordSchema = z.object({ email: emailSchema })

export const resetPasswordSchema = z.object({ password: passwordSchema })

export const profileSchema = z.object({ displayName: displayNameSchema, locale: localeSchema })

/** What the current password looks like when typed: checked against the stored hash, never longer than any password can be. */
const currentPasswordSchema = z.string().min(1, 'Enter your current password').max(200, 'Use at most 200 characters')

export const changePasswordSchema = z.object({
	intent: z.literal('password'),
	currentPassword: currentPasswordSchema,
	newPassword: passwordSchema,
})

export const changeEmailSchema = z.object({
	intent: z.literal('email'),
	email: emailSchema,
	currentPassword: currentPasswordSchema,
})

export const accountSchema = z.discriminatedUnion('intent', [changePasswordSchema, changeEmailSchema], {
	errorMap: () => ({ message: 'Choose what to change' }),
})
