/**
 * Limits and patterns that more than one place checks: the forms and the API
 * (through the schemas in `app/<capability>/validation.ts`), the import (whose
 * schemas are built from the form schemas), the database's enums and the search.
 * Written once here so that what one entry point accepts, the others accept too.
 */

/**
 * Characters of a search query. Customers paste whole questions, context first
 * ("請求書の宛名を会社名に変えようと思っているのですが…" runs to 200 characters with two
 * sentences of background); the analysis and re-ranking cost grows with the query's
 * words, so the limit stays a few sentences long.
 */
export const SEARCH_QUERY_MAX = 500

/** Questions and FAQs (an FAQ is a question with its answer). */
export const TITLE = { min: 5, max: 150 } as const
export const QUESTION_BODY = { min: 10, max: 30_000 } as const
export const ANSWER_BODY = { min: 5, max: 30_000 } as const

export const MAX_TAGS = 5
/** Lower-case letters (or letters without case, such as kanji), numbers and inner hyphens, up to 30 characters. */
export const TAG_PATTERN = /^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N}-]{0,29}$/u
/**
 * How a tag is stored and looked up: "TypeScript" and full-width "ｔｙｐｅｓｃｒｉｐｔ" are the tag "typescript",
 * and "Team Invites" is one tag, "team-invites" (spaces inside a tag become one hyphen; tags without spaces keep their name).
 */
export const normalizeTag = (tag: string) =>
	tag
		.normalize('NFKC')
		.trim()
		.toLowerCase()
		.replace(/[\s-]*\s[\s-]*/gu, '-')
/** Tags typed as text are separated by commas (also the Japanese "、" and full-width "，"), never by spaces. */
export const TAG_SEPARATOR = /[,、，]/

export const TUTORIAL = {
	title: 150,
	summary: 1_000,
	steps: 30,
	stepTitle: 120,
	stepBody: 20_000,
	minutes: { min: 1, max: 600 },
	position: 10_000,
} as const

export const CATEGORY = { name: { min: 2, max: 60 }, description: 300 } as const

export const FEEDBACK_COMMENT = 1_000

/** How an imported item is known to the system it came from. */
export const IMPORT_EXTERNAL_ID = 200

export const contentLanguages = ['en', 'ja'] as const
export type ContentLanguage = (typeof contentLanguages)[number]

export const lifecyclePhases = ['onboarding', 'adoption', 'expansion'] as const

/** Why a reader said an FAQ, tutorial or accepted answer did not solve their problem. */
export const feedbackReasons = ['not_my_problem', 'unclear', 'outdated', 'did_not_work', 'other'] as const
export type FeedbackReason = (typeof feedbackReasons)[number]

/** Kana and kanji, as the inside of a character class: what makes a text Japanese. */
export const JAPANESE_LETTERS = '\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Han}'
const JAPANESE = new RegExp(`[${JAPANESE_LETTERS}]`, 'u')

export const isJapanese = (text: string) => JAPANESE.test(text)

/** Kana or kanji anywhere make a text Japanese; everything else is taken for English. */
export const detectLanguage = (text: string): ContentLanguage => (isJapanese(text) ? 'ja' : 'en')

/** Where people act: the community site, or the help widget inside the customer's product. */
export const eventChannels = ['community', 'widget'] as const
export type EventChannel = (typeof eventChannels)[number]
/** A host page is recorded by its path only (no query or fragment, which can hold personal data). */
export const MAX_PAGE_PATH = 300
