import { z } from 'zod'

/** The form of /admin/sso, shared by the browser and the action. */
export const ssoSettingsSchema = z.object({
	// A checkbox: present ("on") when ticked, absent when not.
	staffPasswords: z
		.enum(['on', 'true', 'false'], { errorMap: () => ({ message: 'Choose whether staff may sign in with a password' }) })
		.optional()
		.transform((value) => value === 'on' || value === 'true'),
})
export type SsoSettingsInput = z.output<typeof ssoSettingsSchema>
