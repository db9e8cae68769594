import { z } from 'zod'
import { phaseEnum } from '#db/schema'

export const accountPhases = phaseEnum.enumValues

// One DNS label: letters, digits and inner hyphens, at most 63 characters.
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/
// The top-level label is alphabetic, or punycode for internationalised TLDs.
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/

/** "@Acme.COM " → "acme.com"; people paste domains with the "@" of an email address. */
export const normalizeDomain = (value: string) => value.trim().toLowerCase().replace(/^@+/, '').replace(/\.$/, '')

export function isValidDomain(domain: string): boolean {
	if (domain.length > 253) return false
	const labels = domain.split('.')
	return labels.length >= 2 && labels.every((label) => LABEL.test(label)) && TOP_LEVEL.test(labels[labels.length - 1]!)
}

export const MAX_DOMAINS = 50

/** Domains arrive as a list or as text separated by commas, semicolons, spaces or new lines. */
export const domainsSchema = z
	.union([z.string(), z.array(z.string())])
	.optional()
	.transform((value) => {
		const list = Array.isArray(value) ? value : (value ?? '').split(/[\s,;]+/)
		return [...new Set(list.map(normalizeDomain).filter(Boolean))]
	})
	.superRefine((list, ctx) => {
		const invalid = list.filter((domain) => !isValidDomain(domain))
		if (invalid.length > 0) ctx.addIssue({ code: 'custom', message: `Not a valid domain: ${invalid.join(', ')}` })
		else if (list.length > MAX_DOMAINS) ctx.addIssue({ code: 'custom', message: 'An account can have at most 50 domains' })
	})

const text = (max: number, message: string) => z.string().trim().max(max, message).default('')

// Account pages are addressed by the CRM id, so it must be safe in a URL path.
export const externalIdSchema = z
	.string({ required_error: 'Enter the CRM id' })
	.trim()
	.min(1, 'Enter the CRM id')
	.max(100, 'The CRM id can have at most 100 characters')
	.regex(/^[\p{L}\p{N}._:-]+$/u, 'The CRM id can only contain letters, numbers, dots, dashes, underscores and colons')

/** The fields CS edit and the CSV import provides; the CSM is chosen separately (see accountFormSchema). */
export const accountFieldsSchema = z.object({
	externalId: externalIdSchema,
	name: z.string({ required_error: 'Enter the account name' }).trim().min(1, 'Enter the account name').max(200, 'The name can have at most 200 characters'),
	plan: text(100, 'The plan can have at most 100 characters'),
	size: text(100, 'The size can have at most 100 characters'),
	industry: text(100, 'The industry can have at most 100 characters'),
	phase: z.enum(accountPhases, { errorMap: () => ({ message: 'Choose onboarding, adoption or expansion' }) }),
	domains: domainsSchema,
})
export type AccountFields = z.infer<typeof accountFieldsSchema>

export const accountFormSchema = accountFieldsSchema.extend({
	csmId: z
		.string()
		.trim()
		.optional()
		.transform((value) => value || null),
})
export type AccountInput = z.infer<typeof accountFormSchema>

const blankToUndefined = (value: unknown) => (value === '' ? undefined : value)

/** The list page's filters, from the query string; unknown values are ignored rather than refused. */
export const accountFiltersSchema = z.object({
	plan: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()).catch(undefined),
	phase: z.preprocess(blankToUndefined, z.enum(accountPhases).optional()).catch(undefined),
	csm: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()).catch(undefined),
})
export type AccountFilters = z.infer<typeof accountFiltersSchema>

export const assignMemberSchema = z.object({
	email: z.string({ required_error: 'Enter an email address' }).trim().toLowerCase().email('Enter a valid email address').max(254),
})

export const accountUrl = (externalId: string) => `/admin/accounts/${encodeURIComponent(externalId)}`
