import { and, asc, desc, eq, gte, isNotNull, or, sql } from 'drizzle-orm'
import { db } from '#db/client.server'
import { answers, faqs, helpJourneys, questions, questionTags, tags, tutorials, widgetPageRules, type ContentLanguage } from '#db/schema'
import { loadConfig } from '~/config.server'
import { faqUrl, questionUrl, tutorialUrl } from '~/utils/urls'
import { likePattern, pageMatches } from './rules'

export type SuggestionType = 'faq' | 'tutorial' | 'question'
export type Suggestion = {
	id: number
	type: SuggestionType
	title: string
	url: string
}
type Candidate = { type: SuggestionType; id: number }

export const MAX_SUGGESTIONS = 8
/** Per tag rule: its most asked FAQs and solved threads. */
const PER_TAG = 3
/**
 * Learned suggestions read the widget journeys of this many days: the partial index
 * on widget journeys by start (help_journeys_widget_idx) bounds the scan each panel
 * load makes, and what helped a year ago says little about the product's page now.
 */
export const LEARNING_DAYS = 90

/**
 * What the panel offers on a host page: staff's rules for the page first (in the
 * order they were added), then what people on the same page pattern found helpful
 * in the widget (self-resolved widget journeys there, by the content that resolved
 * them, most often first). Only content everyone may read, in the reader's language
 * (an FAQ or tutorial in another language is replaced by its published translation,
 * or left out); threads only when solved.
 */
export async function widgetSuggestions(page: string | null, language: ContentLanguage, now = new Date()): Promise<Suggestion[]> {
	const rules = await db.select().from(widgetPageRules).orderBy(asc(widgetPageRules.position), asc(widgetPageRules.id))
	const matching = rules.filter((rule) => pageMatches(rule.pattern, page))
	// The panel page waits for this before it is usable: the lookups run side by side, not one after the other.
	const [staff, learned] = await Promise.all([
		Promise.all(
			matching.map((rule) =>
				rule.targetType === 'tag' && rule.tag ? tagCandidates(rule.tag, language) : rule.targetId !== null ? [{ type: rule.targetType as 'faq' | 'tutorial', id: rule.targetId }] : []
			)
		),
		page === null ? [] : learnedCandidates(matching.length > 0 ? [...new Set(matching.map((rule) => rule.pattern))] : [page], now),
	])
	const candidates = [...staff.flat(), ...learned]
	const readableHits = await Promise.all(candidates.map((candidate) => readable(candidate, language)))
	const hits: Suggestion[] = []
	const seen = new Set<string>()
	for (const hit of readableHits) {
		if (!hit || seen.has(`${hit.type}:${hit.id}`)) continue
		seen.add(`${hit.type}:${hit.id}`)
		hits.push(hit)
		if (hits.length === MAX_SUGGESTIONS) break
	}
	return hits
}

/**
 * What signed-in people found helpful on these pages, once as many distinct people
 * as it takes to teach a phrasing (KIZUNA_PHRASING_TEACHERS) did. Visitors do not
 * count: each cookieless request is a new visitor, so anyone could otherwise push
 * any thread onto a page by viewing it from the widget a few times.
 */
export async function learnedCandidates(patterns: string[], now: Date): Promise<Candidate[]> {
	const people = sql`count(distinct ${helpJourneys.userId})`
	const rows = await db
		.select({
			type: helpJourneys.resolvedTargetType,
			id: helpJourneys.resolvedTargetId,
		})
		.from(helpJourneys)
		.where(
			and(
				eq(helpJourneys.channel, 'widget'),
				gte(helpJourneys.startedAt, new Date(now.getTime() - LEARNING_DAYS * 86_400_000)),
				eq(helpJourneys.selfResolved, true),
				isNotNull(helpJourneys.userId),
				isNotNull(helpJourneys.resolvedTargetId),
				or(...patterns.map((pattern) => sql`${helpJourneys.page} like ${likePattern(pattern)}`))
			)
		)
		.groupBy(helpJourneys.resolvedTargetType, helpJourneys.resolvedTargetId)
		.having(sql`${people} >= ${loadConfig().KIZUNA_PHRASING_TEACHERS}`)
		.orderBy(desc(people), asc(helpJourneys.resolvedTargetId))
		.limit(MAX_SUGGESTIONS * 2)
	return rows.filter((row) => row.type === 'faq' || row.type === 'tutorial' || row.type === 'question').map((row) => ({ type: row.type as SuggestionType, id: row.id! }))
}

async function tagCandidates(tag: string, language: ContentLanguage): Promise<Candidate[]> {
	const [faqRows, threadRows] = await Promise.all([
		db
			.select({ id: faqs.id })
			.from(faqs)
			.where(and(eq(faqs.published, true), eq(faqs.language, language), sql`${faqs.tags} ? ${tag}`))
			.orderBy(desc(faqs.frequency), asc(faqs.id))
			.limit(PER_TAG),
		db
			.select({ id: questions.id })
			.from(questions)
			.innerJoin(questionTags, eq(questionTags.questionId, questions.id))
			.innerJoin(tags, and(eq(tags.id, questionTags.tagId), eq(tags.name, tag)))
			.where(and(eq(questions.state, 'visible'), eq(questions.language, language), isNotNull(questions.acceptedAnswerId)))
			.orderBy(desc(questions.frequency), asc(questions.id))
			.limit(PER_TAG),
	])
	return [...faqRows.map((row) => ({ type: 'faq' as const, id: row.id })), ...threadRows.map((row) => ({ type: 'question' as const, id: row.id }))]
}

/** The candidate as the reader may read it: the published version in their language, or null. */
async function readable(candidate: Candidate, language: ContentLanguage): Promise<Suggestion | null> {
	if (candidate.type === 'question') {
		const [row] = await db
			.select({
				id: questions.id,
				title: questions.title,
				slug: questions.slug,
			})
			.from(questions)
			.where(
				and(
					eq(questions.id, candidate.id),
					eq(questions.state, 'visible'),
					eq(questions.language, language),
					sql`${questions.duplicateOfQuestionId} is null and ${questions.duplicateOfFaqId} is null`,
					// Solved: its accepted answer is one everyone can read.
					sql`exists (select 1 from ${answers} where ${answers.id} = ${questions.acceptedAnswerId} and ${answers.state} = 'visible')`
				)
			)
		return row
			? {
					id: row.id,
					type: 'question',
					title: row.title,
					url: questionUrl(row),
			  }
			: null
	}
	const table = candidate.type === 'faq' ? faqs : tutorials
	// The article's group (the original and its translations), read in the same query.
	const group = sql`(select coalesce(${table.translationOfId}, ${table.id}) from ${table} where ${table.id} = ${candidate.id})`
	const [row] = await db
		.select({ id: table.id, title: table.title, slug: table.slug })
		.from(table)
		.where(and(eq(table.published, true), eq(table.language, language), or(sql`${table.id} = ${group}`, sql`${table.translationOfId} = ${group}`)))
		.limit(1)
	if (!row) return null
	return {
		id: row.id,
		type: candidate.type,
		title: row.title,
		url: candidate.type === 'faq' ? faqUrl(row) : tutorialUrl(row),
	}
}
