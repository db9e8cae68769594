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

export const roles = ['member', 'cs', 'product', 'admin'] as const
export const staffRoles = ['cs', 'product', 'admin'] as const
const roleSchema = z.enum(roles, { errorMap: () => ({ message: 'Choose member, CS, product or admin' }) })

/** A search in /admin/people: a few words are enough to find anyone; longer text is a mistake or an attack. */
export const peopleSearchSchema = z.object({
	q: z.string().trim().max(100, 'Search with at most 100 characters').optional().transform((q) => q || undefined),
	role: roleSchema.optional().catch(undefined),
})

export const changeRoleSchema = z.object({ intent: z.literal('role'), userId: z.string().trim().min(1).max(100), role: roleSchema })
export const suspensionSchema = z.object({ intent: z.enum(['suspend', 'restore']), userId: z.string().trim().min(1).max(100) })

export const inviteSchema = z.object({
	intent: z.literal('invite'),
	email: emailSchema,
	displayName: displayNameSchema,
	role: z.enum(staffRoles, { errorMap: () => ({ message: 'Choose CS, product or admin' }) }),
})

export const acceptInvitationSchema = z.object({ displayName: displayNameSchema, password: passwordSchema, locale: localeSchema })

export const apiTokenNameSchema = z.string().trim().min(1, 'Name the token, e.g. after the script that uses it').max(60, 'Use at most 60 characters')
export const createApiTokenSchema = z.object({ intent: z.literal('create'), name: apiTokenNameSchema })
export const revokeApiTokenSchema = z.object({ intent: z.literal('revoke'), id: z.coerce.number().int().min(1).max(2_147_483_647) })

/** `PATCH /api/v1/people/{id}`: one or both changes, nothing else. */
export const personPatchSchema = z
	.object({ role: roleSchema.optional(), suspended: z.boolean({ invalid_type_error: 'suspended must be true or false' }).optional() })
	.strict('Only role and suspended can be changed')
	.refine((patch) => patch.role !== undefined || patch.suspended !== undefined, 'Send role, suspended or both')

/** `GET /api/v1/people`: one exact address, one account's external id, or both. */
export const peopleQuerySchema = z
	.object({
		email: z.string().trim().max(254, 'Use at most 254 characters').optional(),
		account: z.string().trim().max(200, 'Use at most 200 characters').optional(),
	})
	.strict('Filter with email and account only')
