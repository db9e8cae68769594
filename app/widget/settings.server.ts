import { and, asc, count, eq, inArray } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { faqs, questions, tutorials, widgetPageRules } from '#db/schema'
import { recordAudit } from '~/audit/audit.server'
import { authorize, can, type Actor } from '~/auth/permissions.server'
import { readSetting, writeSetting, type SiteSetting } from '~/settings/settings.server'
import { DomainError, notFound } from '~/utils/errors.server'
import { displayPagePattern, MAX_PAGE_RULES } from './rules'
import { learnedCandidates, type SuggestionType } from './suggestions.server'
import type { PageRuleInput, WidgetSettingsInput } from './validation'

export type WidgetSettings = SiteSetting<'widget'>

/** Read on every panel response (its frame-ancestors) and widget request: one primary-key lookup. */
export const widgetSettings = (q: Queryable = db): Promise<WidgetSettings> => readSetting(q, 'widget')

const target = { type: 'widget' as const, id: 'widget', label: 'Help widget' }

/** What /admin/widget shows: admins change it, cs read it (permission table). */
export async function widgetAdminOverview(actor: Actor | null, now = new Date()) {
	authorize(actor, 'widget:view')
	const rules = await db
		.select({
			id: widgetPageRules.id,
			pattern: widgetPageRules.pattern,
			targetType: widgetPageRules.targetType,
			targetId: widgetPageRules.targetId,
			tag: widgetPageRules.tag,
			faqTitle: faqs.title,
			tutorialTitle: tutorials.title,
		})
		.from(widgetPageRules)
		.leftJoin(faqs, and(eq(widgetPageRules.targetType, 'faq'), eq(faqs.id, widgetPageRules.targetId)))
		.leftJoin(tutorials, and(eq(widgetPageRules.targetType, 'tutorial'), eq(tutorials.id, widgetPageRules.targetId)))
		.orderBy(asc(widgetPageRules.pattern), asc(widgetPageRules.position), asc(widgetPageRules.id))
	return {
		settings: await widgetSettings(),
		rules: rules.map((rule) => ({
			id: rule.id,
			pattern: displayPagePattern(rule.pattern),
			targetType: rule.targetType,
			targetId: rule.targetId,
			tag: rule.tag,
			title: rule.targetType === 'faq' ? rule.faqTitle : rule.targetType === 'tutorial' ? rule.tutorialTitle : null,
		})),
		learned: await learnedByPattern([...new Set(rules.map((rule) => rule.pattern))], now),
		canConfigure: can(actor, 'widget:configure'),
	}
}

/**
 * Per page rule pattern, what people on those pages found helpful in the widget (the
 * panel's learned suggestions, most often first), so staff see it beside their rules.
 * Titles in any language and drafts too: staff read what the panel would pick from.
 */
async function learnedByPattern(patterns: string[], now: Date): Promise<Record<string, Array<{ type: SuggestionType; id: number; title: string }>>> {
	const perPattern = await Promise.all(patterns.map((pattern) => learnedCandidates([pattern], now)))
	const ids = (type: SuggestionType) => [...new Set(perPattern.flat().filter((candidate) => candidate.type === type).map((candidate) => candidate.id))]
	const titlesOf = async (table: typeof faqs | typeof tutorials | typeof questions, list: number[]) =>
		list.length === 0 ? [] : db.select({ id: table.id, title: table.title }).from(table).where(inArray(table.id, list))
	const [faqRows, tutorialRows, questionRows] = await Promise.all([titlesOf(faqs, ids('faq')), titlesOf(tutorials, ids('tutorial')), titlesOf(questions, ids('question'))])
	const titles = new Map([...faqRows.map((row) => [`faq:${row.id}`, row.title] as const), ...tutorialRows.map((row) => [`tutorial:${row.id}`, row.title] as const), ...questionRows.map((row) => [`question:${row.id}`, row.title] as const)])
	return Object.fromEntries(
		patterns.map((pattern, index) => [
			pattern,
			perPattern[index]!.flatMap((candidate) => {
				const title = titles.get(`${candidate.type}:${candidate.id}`)
				return title === undefined ? [] : [{ ...candidate, title }]
			}),
		])
	)
}

/** Saves the allowed origins and support link, audited (from and to) in the same transaction. */
export async function saveWidgetSettings(actor: Actor | null, input: WidgetSettingsInput) {
	authorize(actor, 'widget:configure')
	const next = {
		allowedOrigins: input.allowedOrigins,
		supportLink: input.supportLink,
	}
	await db.transaction(async (tx) => {
		const before = await writeSetting(tx, 'widget', next)
		const details: Record<string, unknown> = {}
		if (before.allowedOrigins.join('\n') !== next.allowedOrigins.join('\n'))
			details.allowedOrigins = {
				from: before.allowedOrigins,
				to: next.allowedOrigins,
			}
		if (before.supportLink !== next.supportLink) details.supportLink = { from: before.supportLink, to: next.supportLink }
		if (Object.keys(details).length > 0)
			await recordAudit(tx, actor, {
				action: 'widget.settings_changed',
				target,
				details,
			})
	})
}

/** A page rule for an FAQ or tutorial that exists (drafts too: staff may prepare a page before publishing). */
export async function addPageRule(actor: Actor | null, input: PageRuleInput) {
	authorize(actor, 'widget:configure')
	await db.transaction(async (tx) => {
		if (input.targetType !== 'tag') {
			const table = input.targetType === 'faq' ? faqs : tutorials
			const [row] = await tx.select({ id: table.id }).from(table).where(eq(table.id, input.targetId!))
			if (!row)
				throw new DomainError('invalid', input.targetType === 'faq' ? 'FAQ not found' : 'Tutorial not found', {
					target: input.targetType === 'faq' ? 'FAQ not found' : 'Tutorial not found',
				})
		}
		const [{ rules } = { rules: 0 }] = await tx.select({ rules: count() }).from(widgetPageRules)
		// The number is written out (MAX_PAGE_RULES) so the refusal is one translatable sentence.
		if (rules >= MAX_PAGE_RULES) throw new DomainError('conflict', 'There can be at most 200 page rules: remove one first')
		const [{ last } = { last: 0 }] = await tx.select({ last: count() }).from(widgetPageRules).where(eq(widgetPageRules.pattern, input.pattern))
		const [rule] = await tx
			.insert(widgetPageRules)
			.values({ ...input, position: last })
			.returning({ id: widgetPageRules.id })
		await recordAudit(tx, actor, {
			action: 'widget.settings_changed',
			target,
			details: { pageRuleAdded: { id: rule!.id, ...input } },
		})
	})
}

export async function removePageRule(actor: Actor | null, id: number) {
	authorize(actor, 'widget:configure')
	await db.transaction(async (tx) => {
		const [removed] = await tx.delete(widgetPageRules).where(eq(widgetPageRules.id, id)).returning()
		if (!removed) throw notFound('Page rule')
		await recordAudit(tx, actor, {
			action: 'widget.settings_changed',
			target,
			details: {
				pageRuleRemoved: {
					id,
					pattern: removed.pattern,
					targetType: removed.targetType,
					targetId: removed.targetId,
					tag: removed.tag,
				},
			},
		})
	})
}
