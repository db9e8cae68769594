import { z } from 'zod'
import { MAX_PAGE_PATH, TAG_PATTERN } from '~/utils/limits'
import { isPagePattern, isSupportLink, MAX_ALLOWED_ORIGINS, MAX_SUPPORT_LINK, normalizeOrigin, normalizePagePattern } from './rules'

/** The settings form of /admin/widget: one allowed origin a line, and the support link. */
export const widgetSettingsSchema = z.object({
	allowedOrigins: z
		.string()
		.max(MAX_ALLOWED_ORIGINS * 210, 'List at most 20 origins')
		.optional()
		.transform((text, ctx) => {
			const lines = (text ?? '')
				.split('\n')
				.map((line) => line.trim())
				.filter(Boolean)
			const origins: string[] = []
			for (const line of lines) {
				const origin = normalizeOrigin(line)
				if (!origin) {
					// t('Not an origin (https://app.example.com, no path)')
					ctx.addIssue({
						code: 'custom',
						message: `Not an origin (https://app.example.com, no path): ${line.slice(0, 100)}`,
					})
					return z.NEVER
				}
				if (!origins.includes(origin)) origins.push(origin)
			}
			if (origins.length > MAX_ALLOWED_ORIGINS) {
				ctx.addIssue({ code: 'custom', message: 'List at most 20 origins' })
				return z.NEVER
			}
			return origins
		}),
	supportLink: z
		.string()
		.trim()
		.max(MAX_SUPPORT_LINK, 'The support link can have at most 500 characters')
		.optional()
		.transform((link) => link || null)
		.refine((link) => link === null || isSupportLink(link), 'Give an https:// address or a mailto: link'),
})
export type WidgetSettingsInput = z.output<typeof widgetSettingsSchema>

/** A page rule: a host-page pattern and what to suggest there (an FAQ or tutorial by number or link, or a tag). */
export const pageRuleSchema = z
	.object({
		pattern: z
			.string({ required_error: 'Give a page path, e.g. /settings/billing*' })
			.trim()
			.min(1, 'Give a page path, e.g. /settings/billing*')
			.max(MAX_PAGE_PATH, 'A page path can have at most 300 characters')
			.refine(isPagePattern, 'A page path starts with / and has no spaces, ? or #; * stands for anything (at most 8 times)')
			// Stored as the widget writes host pages (non-ASCII percent-encoded), so `/設定*` matches them.
			.transform(normalizePagePattern)
			.refine((pattern) => pattern.length <= MAX_PAGE_PATH, 'A page path can have at most 300 characters'),
		targetType: z.enum(['faq', 'tutorial', 'tag'], {
			errorMap: () => ({ message: 'Choose an FAQ, a tutorial or a tag' }),
		}),
		target: z
			.string({
				required_error: 'Give the FAQ or tutorial (its number or link), or the tag',
			})
			.trim()
			.min(1, 'Give the FAQ or tutorial (its number or link), or the tag')
			.max(300, 'Give the FAQ or tutorial (its number or link), or the tag'),
	})
	.transform((rule, ctx) => {
		if (rule.targetType === 'tag') {
			const tag = rule.target.toLowerCase()
			if (!TAG_PATTERN.test(tag)) {
				ctx.addIssue({
					code: 'custom',
					path: ['target'],
					message: 'Not a tag name',
				})
				return z.NEVER
			}
			return {
				pattern: rule.pattern,
				targetType: 'tag' as const,
				targetId: null,
				tag,
			}
		}
		// "12", "/faq/12/how-to…" or the full link.
		const id = Number(rule.target.match(/^(\d{1,9})$/)?.[1] ?? rule.target.match(/\/(?:faq|tutorials)\/(\d{1,9})(?:[/?#]|$)/)?.[1])
		if (!Number.isInteger(id) || id < 1) {
			ctx.addIssue({
				code: 'custom',
				path: ['target'],
				message: 'Give the FAQ or tutorial by its number or link',
			})
			return z.NEVER
		}
		return {
			pattern: rule.pattern,
			targetType: rule.targetType,
			targetId: id,
			tag: null,
		}
	})
export type PageRuleInput = z.output<typeof pageRuleSchema>
