import { sql } from 'drizzle-orm'
import {
	type AnyPgColumn,
	bigint,
	bigserial,
	boolean,
	date,
	check,
	customType,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	serial,
	smallint,
	text,
	timestamp,
	unique,
	uniqueIndex,
	uuid,
	varchar,
} from 'drizzle-orm/pg-core'
// Relative rather than `~/`: drizzle-kit loads this file without the app's path aliases.
import { contentLanguages, lifecyclePhases, type EventChannel, type FeedbackReason } from '../app/utils/limits'

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()

export const roleEnum = pgEnum('role', ['member', 'cs', 'product', 'admin'])
export type Role = (typeof roleEnum.enumValues)[number]

export const users = pgTable(
	'users',
	{
		id: text('id').primaryKey(),
		email: text('email').notNull(),
		displayName: text('display_name').notNull(),
		passwordHash: text('password_hash'),
		role: roleEnum('role').notNull().default('member'),
		isSystem: boolean('is_system').notNull().default(false),
		/** The customer account this person belongs to (by email domain, or assigned by CS). */
		accountId: integer('account_id').references((): AnyPgColumn => accounts.id, { onDelete: 'set null' }),
		/** When this person last did anything recorded as an event: "active members" reads it. */
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }),
		/** The name others write after `@` to mention this person: unique, lower-case ASCII. */
		handle: text('handle').notNull(),
		/** The language of this person's mail and, when signed in, of the site. */
		locale: text('locale').$type<'en' | 'ja'>().notNull().default('en'),
		/** When this person proved they read mail at `email`; null: they may read, vote and follow, not post. */
		emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true, mode: 'date' }),
		/** Up to when notifications have gone out in this person's daily digest. */
		digestSentAt: timestamp('digest_sent_at', { withTimezone: true, mode: 'date' }),
		/** The person's id in the customer's product (the JWT's `sub`): single sign-on finds them by it first. */
		ssoSubject: text('sso_subject'),
		/** When an admin suspended this person: they cannot sign in, and their sessions and API tokens are refused. */
		suspendedAt: timestamp('suspended_at', { withTimezone: true, mode: 'date' }),
		/** What the person is told when refused, when the admin gave a reason (the review queue always does). */
		suspensionReason: text('suspension_reason'),
		createdAt: createdAt(),
	},
	(t) => [
		uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
		uniqueIndex('users_handle_key').on(t.handle),
		uniqueIndex('users_sso_subject_key').on(t.ssoSubject),
		index('users_account_idx').on(t.accountId),
	],
)

export const sessions = pgTable('sessions', {
	id: text('id').primaryKey(),
	userId: text('user_id')
		.notNull()
		.references(() => users.id, { onDelete: 'cascade' }),
	expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
})

export const apiTokens = pgTable('api_tokens', {
	id: serial('id').primaryKey(),
	userId: text('user_id')
		.notNull()
		.references(() => users.id, { onDelete: 'cascade' }),
	tokenHash: text('token_hash').notNull().unique(),
	/** What the owner calls it on /settings/tokens ("CI export", "Zapier"). */
	name: text('name').notNull().default('API token'),
	createdAt: createdAt(),
	lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
})

export const tags = pgTable('tags', {
	id: serial('id').primaryKey(),
	name: text('name').notNull().unique(),
	createdAt: createdAt(),
})

/**
 * Who sees a question or answer: everyone (`visible`); only its author and staff while it
 * waits for review (`held`), after staff hid it (`hidden`) or deleted it (`deleted`,
 * restorable by admins for 30 days). Everything that lists, counts or indexes posts reads
 * only `visible` ones.
 */
export const languageEnum = pgEnum('content_language', contentLanguages)
export type ContentLanguage = (typeof languageEnum.enumValues)[number]

export const postStates = ['visible', 'held', 'hidden', 'deleted'] as const
export const postStateEnum = pgEnum('post_state', postStates)
export type PostState = (typeof postStates)[number]

/** The moderation columns questions and answers share. */
const moderation = () => ({
	state: postStateEnum('state').notNull().default('visible'),
	/** Why it is held, hidden or deleted, in the words its author is shown. */
	stateReason: text('state_reason'),
	stateChangedAt: timestamp('state_changed_at', { withTimezone: true, mode: 'date' }),
	stateChangedById: text('state_changed_by_id').references((): AnyPgColumn => users.id, { onDelete: 'set null' }),
})

export const questions = pgTable(
	'questions',
	{
		id: serial('id').primaryKey(),
		authorId: text('author_id')
			.notNull()
			.references(() => users.id),
		title: text('title').notNull(),
		body: text('body').notNull(),
		/** `body` rendered when it was saved; null for rows older than it (rendered when read, see app/markdown/stored.server.ts). */
		bodyHtml: text('body_html'),
		slug: text('slug').notNull(),
		externalId: text('external_id').unique(),
		acceptedAnswerId: integer('accepted_answer_id'),
		/** Closed as a duplicate of another question or of an FAQ (at most one is set). */
		duplicateOfQuestionId: integer('duplicate_of_question_id'),
		duplicateOfFaqId: integer('duplicate_of_faq_id'),
		closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
		closedById: text('closed_by_id').references(() => users.id),
		/** 1 + "me too" + duplicates closed into it (with their own "me too"). */
		frequency: integer('frequency').notNull().default(1),
		score: integer('score').notNull().default(0),
		answerCount: integer('answer_count').notNull().default(0),
		meTooCount: integer('me_too_count').notNull().default(0),
		viewCount: integer('view_count').notNull().default(0),
		/** When the first answer arrived: answer-rate and time-to-first-answer figures read it. */
		firstAnsweredAt: timestamp('first_answered_at', { withTimezone: true, mode: 'date' }),
		/** Detected from the text when posted; the author and staff can change it. Lists show the reader's language first. */
		language: languageEnum('language').notNull().default('en'),
		...moderation(),
		/** A locked thread takes no new answers; the reason is shown on the page and in the API's 409. */
		lockedAt: timestamp('locked_at', { withTimezone: true, mode: 'date' }),
		lockReason: text('lock_reason'),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
		lastActivityAt: timestamp('last_activity_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
	},
	(t) => [
		index('questions_created_at_idx').on(t.createdAt),
		// "Unanswered topics" reads only these, newest periods first.
		index('questions_unanswered_idx').on(t.createdAt).where(sql`${t.answerCount} = 0 and ${t.closedAt} is null`),
		index('questions_last_activity_idx').on(t.lastActivityAt),
		index('questions_duplicate_of_question_idx').on(t.duplicateOfQuestionId),
		index('questions_duplicate_of_faq_idx').on(t.duplicateOfFaqId),
		// A person's public profile lists their questions, newest first.
		index('questions_author_idx').on(t.authorId, t.createdAt),
		// Lists in the reader's language, most recently active first.
		index('questions_language_activity_idx').on(t.language, t.lastActivityAt),
		// The review queue and the header's count read only posts that are not visible.
		index('questions_moderation_idx').on(t.state, t.stateChangedAt).where(sql`${t.state} <> 'visible'`),
	],
)

export const questionTags = pgTable(
	'question_tags',
	{
		questionId: integer('question_id')
			.notNull()
			.references(() => questions.id, { onDelete: 'cascade' }),
		tagId: integer('tag_id')
			.notNull()
			.references(() => tags.id, { onDelete: 'cascade' }),
	},
	(t) => [primaryKey({ columns: [t.questionId, t.tagId] }), index('question_tags_tag_idx').on(t.tagId)],
)

export const answers = pgTable(
	'answers',
	{
		id: serial('id').primaryKey(),
		questionId: integer('question_id')
			.notNull()
			.references(() => questions.id, { onDelete: 'cascade' }),
		authorId: text('author_id')
			.notNull()
			.references(() => users.id),
		body: text('body').notNull(),
		bodyHtml: text('body_html'),
		score: integer('score').notNull().default(0),
		externalId: text('external_id').unique(),
		language: languageEnum('language').notNull().default('en'),
		...moderation(),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
	},
	(t) => [
		index('answers_question_idx').on(t.questionId),
		index('answers_author_idx').on(t.authorId, t.createdAt),
		index('answers_moderation_idx').on(t.state, t.stateChangedAt).where(sql`${t.state} <> 'visible'`),
	],
)

export const postTypeEnum = pgEnum('post_type', ['question', 'answer'])
export type PostType = (typeof postTypeEnum.enumValues)[number]

export const votes = pgTable(
	'votes',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		postType: postTypeEnum('post_type').notNull(),
		postId: integer('post_id').notNull(),
		value: smallint('value').notNull(),
		createdAt: createdAt(),
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.postType, t.postId] }),
		check('votes_value_check', sql`${t.value} in (-1, 1)`),
		// A thread counts its posts' votes on every view: without it, that scanned the whole table.
		index('votes_post_idx').on(t.postType, t.postId),
	],
)

export const meToos = pgTable(
	'me_toos',
	{
		questionId: integer('question_id')
			.notNull()
			.references(() => questions.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: createdAt(),
	},
	(t) => [primaryKey({ columns: [t.questionId, t.userId] })],
)

export const questionViews = pgTable(
	'question_views',
	{
		questionId: integer('question_id')
			.notNull()
			.references(() => questions.id, { onDelete: 'cascade' }),
		viewerKey: text('viewer_key').notNull(),
		day: text('day').notNull(),
	},
	(t) => [primaryKey({ columns: [t.questionId, t.viewerKey, t.day] })],
)

export const revisions = pgTable(
	'revisions',
	{
		id: serial('id').primaryKey(),
		postType: postTypeEnum('post_type').notNull(),
		postId: integer('post_id').notNull(),
		editorId: text('editor_id')
			.notNull()
			.references(() => users.id),
		title: text('title'),
		body: text('body').notNull(),
		tags: jsonb('tags').$type<string[]>(),
		createdAt: createdAt(),
	},
	(t) => [index('revisions_post_idx').on(t.postType, t.postId)],
)

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' })

/**
 * The search documents again, in PostgreSQL: what searches are answered from while
 * Meilisearch is unreachable (search/fallback.server.ts). Rows are written in the
 * transaction that changes the content, so they are right even for content written
 * during an outage; like the index, they hold only what may be found.
 */
export const searchFallback = pgTable(
	'search_fallback',
	{
		documentType: text('document_type').notNull(),
		entityId: integer('entity_id').notNull(),
		title: text('title').notNull(),
		url: text('url').notNull(),
		externalId: text('external_id'),
		tags: text('tags').array().notNull().default(sql`'{}'`),
		category: text('category'),
		solved: boolean('solved').notNull(),
		answered: boolean('answered').notNull(),
		typeRank: integer('type_rank').notNull(),
		frequency: integer('frequency').notNull(),
		score: integer('score').notNull(),
		/** Body, then answers: the text snippets are cut from. */
		texts: text('texts').array().notNull().default(sql`'{}'`),
		terms: tsvector('terms').notNull(),
	},
	(table) => [
		primaryKey({ columns: [table.documentType, table.entityId] }),
		index('search_fallback_terms').using('gin', table.terms),
	],
)

/** Progress of building the fallback rows from the content (after the upgrade that added them, or `reindex`). */
export const searchFallbackState = pgTable('search_fallback_state', {
	id: integer('id').primaryKey(),
	done: boolean('done').notNull(),
	nextType: text('next_type').notNull(),
	/** Items of `nextType` with a greater id are still to do. */
	nextId: integer('next_id').notNull(),
})

export const searches = pgTable('searches', {
	id: uuid('id').primaryKey(),
	query: text('query').notNull(),
	filters: jsonb('filters').$type<Record<string, string>>().notNull(),
	total: integer('total').notNull(),
	/** The hits shown, in order, so a click can be tied to what was shown. */
	hits: jsonb('hits').$type<Array<{ type: string; id: number }>>().notNull().default([]),
	userId: text('user_id'),
	visitorId: text('visitor_id'),
	createdAt: createdAt(),
})

export const faqCategories = pgTable('faq_categories', {
	id: serial('id').primaryKey(),
	name: text('name').notNull().unique(),
	slug: text('slug').notNull().unique(),
	description: text('description').notNull().default(''),
	position: integer('position').notNull().default(0),
	createdAt: createdAt(),
})

/** A category's name and description in another language than its own (`faq_categories.name` is the fallback). */
export const faqCategoryTranslations = pgTable(
	'faq_category_translations',
	{
		categoryId: integer('category_id')
			.notNull()
			.references(() => faqCategories.id, { onDelete: 'cascade' }),
		language: languageEnum('language').notNull(),
		name: text('name').notNull(),
		description: text('description').notNull().default(''),
	},
	(t) => [primaryKey({ columns: [t.categoryId, t.language] })],
)

export const faqs = pgTable(
	'faqs',
	{
		id: serial('id').primaryKey(),
		title: text('title').notNull(),
		body: text('body').notNull(),
		bodyHtml: text('body_html'),
		slug: text('slug').notNull(),
		categoryId: integer('category_id').references(() => faqCategories.id, { onDelete: 'set null' }),
		tags: jsonb('tags').$type<string[]>().notNull().default([]),
		language: languageEnum('language').notNull().default('en'),
		published: boolean('published').notNull().default(false),
		publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
		position: integer('position').notNull().default(0),
		externalId: text('external_id').unique(),
		sourceQuestionId: integer('source_question_id').references(() => questions.id, { onDelete: 'set null' }),
		/** The FAQ this one translates (null for an original): an original and its translations are one article in several languages. */
		translationOfId: integer('translation_of_id').references((): AnyPgColumn => faqs.id, { onDelete: 'set null' }),
		/** 1 + questions closed as duplicates of it (with their "me too"). */
		frequency: integer('frequency').notNull().default(1),
		viewCount: integer('view_count').notNull().default(0),
		createdById: text('created_by_id').references(() => users.id),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
	},
	(t) => [
		index('faqs_category_idx').on(t.categoryId, t.position),
		index('faqs_source_question_idx').on(t.sourceQuestionId),
		// One translation per language of an article.
		uniqueIndex('faqs_translation_key').on(t.translationOfId, t.language),
	],
)

export const faqRevisions = pgTable(
	'faq_revisions',
	{
		id: serial('id').primaryKey(),
		faqId: integer('faq_id')
			.notNull()
			.references(() => faqs.id, { onDelete: 'cascade' }),
		editorId: text('editor_id').references(() => users.id),
		title: text('title').notNull(),
		body: text('body').notNull(),
		categoryId: integer('category_id'),
		tags: jsonb('tags').$type<string[]>().notNull().default([]),
		language: languageEnum('language').notNull(),
		published: boolean('published').notNull(),
		createdAt: createdAt(),
	},
	(t) => [index('faq_revisions_faq_idx').on(t.faqId)],
)

export const phaseEnum = pgEnum('lifecycle_phase', lifecyclePhases)
export type LifecyclePhase = (typeof phaseEnum.enumValues)[number]

export const tutorials = pgTable(
	'tutorials',
	{
		id: serial('id').primaryKey(),
		title: text('title').notNull(),
		slug: text('slug').notNull(),
		summary: text('summary').notNull().default(''),
		phase: phaseEnum('phase').notNull().default('onboarding'),
		estimatedMinutes: integer('estimated_minutes').notNull().default(5),
		language: languageEnum('language').notNull().default('en'),
		/** The tutorial this one translates (null for an original), as for FAQs. */
		translationOfId: integer('translation_of_id').references((): AnyPgColumn => tutorials.id, { onDelete: 'set null' }),
		published: boolean('published').notNull().default(false),
		position: integer('position').notNull().default(0),
		externalId: text('external_id').unique(),
		createdById: text('created_by_id').references(() => users.id),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
	},
	(t) => [uniqueIndex('tutorials_translation_key').on(t.translationOfId, t.language)],
)

export const tutorialSteps = pgTable(
	'tutorial_steps',
	{
		id: serial('id').primaryKey(),
		tutorialId: integer('tutorial_id')
			.notNull()
			.references(() => tutorials.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		title: text('title').notNull(),
		body: text('body').notNull(),
		bodyHtml: text('body_html'),
	},
	(t) => [uniqueIndex('tutorial_steps_position_key').on(t.tutorialId, t.position)],
)

export const tutorialProgress = pgTable(
	'tutorial_progress',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		stepId: integer('step_id')
			.notNull()
			.references(() => tutorialSteps.id, { onDelete: 'cascade' }),
		completedAt: createdAt(),
	},
	(t) => [primaryKey({ columns: [t.userId, t.stepId] })],
)

export const feedbackTargetEnum = pgEnum('feedback_target', ['question', 'faq', 'tutorial'])
export type FeedbackTarget = (typeof feedbackTargetEnum.enumValues)[number]

export const contentFeedback = pgTable(
	'content_feedback',
	{
		id: serial('id').primaryKey(),
		targetType: feedbackTargetEnum('target_type').notNull(),
		targetId: integer('target_id').notNull(),
		/** The person's id, or "visitor:<cookie id>" for someone not signed in: one vote each per item. */
		voterKey: text('voter_key').notNull(),
		userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
		visitorId: text('visitor_id'),
		helpful: boolean('helpful').notNull(),
		reason: text('reason').$type<FeedbackReason>(),
		comment: text('comment'),
		searchId: uuid('search_id'),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
	},
	(t) => [
		uniqueIndex('content_feedback_voter_key').on(t.targetType, t.targetId, t.voterKey),
		index('content_feedback_search_idx').on(t.searchId),
		index('content_feedback_updated_idx').on(t.updatedAt),
	],
)

export const searchClicks = pgTable(
	'search_clicks',
	{
		id: serial('id').primaryKey(),
		searchId: uuid('search_id')
			.notNull()
			.references(() => searches.id, { onDelete: 'cascade' }),
		hitType: text('hit_type'),
		hitId: integer('hit_id').notNull(),
		position: integer('position'),
		createdAt: createdAt(),
	},
	(t) => [index('search_clicks_search_idx').on(t.searchId)],
)

/** Search vocabulary kept by CS: synonyms and stop words, applied to Meilisearch. */
export const searchVocabulary = pgTable('search_vocabulary', {
	id: integer('id').primaryKey().default(1),
	synonyms: jsonb('synonyms').$type<string[][]>().notNull().default([]),
	stopWords: jsonb('stop_words').$type<string[]>().notNull().default([]),
	updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

/**
 * A search query that led someone to this content and solved their problem: it
 * becomes another wording of the content in search. Removed ones stay, hidden, so
 * the same wording is not learned again.
 */
export const learnedPhrasings = pgTable(
	'learned_phrasings',
	{
		id: serial('id').primaryKey(),
		targetType: feedbackTargetEnum('target_type').notNull(),
		targetId: integer('target_id').notNull(),
		phrasing: text('phrasing').notNull(),
		normalized: text('normalized').notNull(),
		/** Distinct signed-in people who resolved their search this way (visitors never teach search). */
		count: integer('count').notNull().default(0),
		/** Whether it changes ranking: enough distinct people, or one staff member, taught it. */
		active: boolean('active').notNull().default(false),
		hidden: boolean('hidden').notNull().default(false),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
	},
	(t) => [uniqueIndex('learned_phrasings_target_key').on(t.targetType, t.targetId, t.normalized)],
)

/** The signed-in people who taught a learned phrasing (staff see their names). */
export const learnedPhrasingVoters = pgTable(
	'learned_phrasing_voters',
	{
		phrasingId: integer('phrasing_id')
			.notNull()
			.references(() => learnedPhrasings.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** Taught by staff (cs or admin): enough on its own. */
		staff: boolean('staff').notNull().default(false),
		createdAt: createdAt(),
	},
	(t) => [primaryKey({ columns: [t.phrasingId, t.userId] })],
)

/** Counters of rate-limiter-flexible's RateLimiterPostgres, shared by every process (app/auth/rate-limit.server.ts). */
export const rateLimits = pgTable(
	'rate_limits',
	{
		key: varchar('key', { length: 255 }).primaryKey(),
		points: integer('points').notNull().default(0),
		expire: bigint('expire', { mode: 'number' }),
	},
	(t) => [index('rate_limits_expire_idx').on(t.expire)],
)

/** A customer of the company running Kizuna, as its CRM knows it. */
export const accounts = pgTable('accounts', {
	id: serial('id').primaryKey(),
	externalId: text('external_id').notNull().unique(),
	name: text('name').notNull(),
	plan: text('plan').notNull().default(''),
	size: text('size').notNull().default(''),
	industry: text('industry').notNull().default(''),
	phase: phaseEnum('phase').notNull().default('onboarding'),
	csmId: text('csm_id').references(() => users.id, { onDelete: 'set null' }),
	createdAt: createdAt(),
	updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

/** People signing up with an email at one of these domains join the account. */
export const accountDomains = pgTable('account_domains', {
	domain: text('domain').primaryKey(),
	accountId: integer('account_id')
		.notNull()
		.references(() => accounts.id, { onDelete: 'cascade' }),
})

export const eventTypes = [
	'search',
	'result_click',
	'content_view',
	'helpful',
	'not_helpful',
	'me_too',
	'ask_form_opened',
	'suggestion_clicked',
	'question_posted',
	'answer_posted',
	'answer_accepted',
	'tutorial_step_done',
	/** "Contact support" in the in-product widget: an escalation outside the community. */
	'support_contacted',
] as const
export const eventTypeEnum = pgEnum('event_type', eventTypes)
export type EventType = (typeof eventTypes)[number]

/**
 * What people do in the community, one row per action, for the insights. Written in
 * batches off the request path; `journeyId` is filled in by the worker.
 */
export const events = pgTable(
	'events',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		type: eventTypeEnum('type').notNull(),
		occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
		/** The person's id, or "visitor:<cookie id>" for someone not signed in. */
		actorKey: text('actor_key').notNull(),
		userId: text('user_id'),
		accountId: integer('account_id'),
		/** question, answer, faq or tutorial */
		targetType: text('target_type'),
		targetId: integer('target_id'),
		searchId: uuid('search_id'),
		query: text('query'),
		/** The query lower-cased with spacing and punctuation collapsed, to group searches. */
		normalizedQuery: text('normalized_query'),
		resultCount: integer('result_count'),
		journeyId: bigint('journey_id', { mode: 'number' }),
		/** Where it happened: the community site, or the help widget inside the customer's product. */
		channel: text('channel').$type<EventChannel>().notNull().default('community'),
		/** For the widget, the path of the host product's page it was opened on. */
		page: text('page'),
	},
	(t) => [
		index('events_occurred_idx').on(t.occurredAt),
		index('events_type_occurred_idx').on(t.type, t.occurredAt),
		index('events_actor_idx').on(t.actorKey, t.occurredAt),
		index('events_account_idx').on(t.accountId, t.occurredAt),
		// Hiding or restoring a question rebuilds the journeys of the people whose events name it.
		index('events_target_idx').on(t.targetType, t.targetId).where(sql`${t.targetId} is not null`),
		index('events_unassigned_idx').on(t.id).where(sql`${t.journeyId} is null`),
	],
)

/**
 * A help journey: one person's run of events with no gap over 30 minutes. The
 * worker builds them from events; the definitions are in README "Insights".
 */
export const helpJourneys = pgTable(
	'help_journeys',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		actorKey: text('actor_key').notNull(),
		userId: text('user_id'),
		accountId: integer('account_id'),
		startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
		endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }).notNull(),
		eventCount: integer('event_count').notNull(),
		/** Contains a search, an ask-form opening or a help-content view. */
		isHelp: boolean('is_help').notNull(),
		selfResolved: boolean('self_resolved').notNull(),
		escalated: boolean('escalated').notNull(),
		deflected: boolean('deflected').notNull(),
		/** The content that solved it: the item voted helpful, else the last one clicked or viewed. */
		resolvedTargetType: text('resolved_target_type'),
		resolvedTargetId: integer('resolved_target_id'),
		channel: text('channel').$type<EventChannel>().notNull().default('community'),
		/** For widget journeys, the host product's page the person needed help on. */
		page: text('page'),
	},
	(t) => [
		index('help_journeys_started_idx').on(t.startedAt),
		index('help_journeys_account_idx').on(t.accountId, t.startedAt),
		index('help_journeys_actor_idx').on(t.actorKey, t.endedAt),
		index('help_journeys_resolved_idx').on(t.resolvedTargetType, t.resolvedTargetId),
		// The host pages of a period (/insights/pages) read widget journeys only, a small part of all.
		index('help_journeys_widget_idx').on(t.startedAt).where(sql`${t.channel} = 'widget'`),
	],
)

/**
 * Per UTC day, account (null: visitors and people without one) and channel, the counts the
 * insights read most: help journeys by the day they started, and searches. Kept
 * by the journey builder in the statements that change journeys and assign events,
 * so it always equals counting help_journeys and the events that have a journey.
 */
export const insightDaily = pgTable(
	'insight_daily',
	{
		day: date('day', { mode: 'string' }).notNull(),
		accountId: integer('account_id'),
		/** The channel of the journeys and searches counted: the community site or the widget. */
		channel: text('channel').$type<EventChannel>().notNull().default('community'),
		journeys: integer('journeys').notNull().default(0),
		selfResolved: integer('self_resolved').notNull().default(0),
		escalated: integer('escalated').notNull().default(0),
		deflections: integer('deflections').notNull().default(0),
		searches: integer('searches').notNull().default(0),
		zeroResultSearches: integer('zero_result_searches').notNull().default(0),
	},
	(t) => [unique('insight_daily_key').on(t.day, t.accountId, t.channel).nullsNotDistinct()],
)

/** Searches that found nothing, per UTC day, account and normalised query (kept like insight_daily). */
export const zeroResultDaily = pgTable(
	'zero_result_daily',
	{
		day: date('day', { mode: 'string' }).notNull(),
		accountId: integer('account_id'),
		normalizedQuery: text('normalized_query').notNull(),
		searches: integer('searches').notNull(),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
		/** The query as typed the last time. */
		lastQuery: text('last_query').notNull(),
	},
	(t) => [unique('zero_result_daily_key').on(t.day, t.accountId, t.normalizedQuery).nullsNotDistinct()],
)

/** Which people of an account did anything on a UTC day ("active members"; kept like insight_daily). */
export const accountActiveDays = pgTable(
	'account_active_days',
	{
		accountId: integer('account_id').notNull(),
		day: date('day', { mode: 'string' }).notNull(),
		userId: text('user_id').notNull(),
	},
	(t) => [primaryKey({ columns: [t.day, t.accountId, t.userId] })],
)

export const alertKinds = ['self_resolution_drop', 'onboarding_stalled', 'unanswered_questions'] as const
export type AlertKind = (typeof alertKinds)[number]

/** An account CS should look at; one open alert per account and kind. */
export const accountAlerts = pgTable(
	'account_alerts',
	{
		id: serial('id').primaryKey(),
		accountId: integer('account_id')
			.notNull()
			.references(() => accounts.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<AlertKind>().notNull(),
		detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
		raisedAt: createdAt(),
		clearedAt: timestamp('cleared_at', { withTimezone: true, mode: 'date' }),
	},
	(t) => [uniqueIndex('account_alerts_open_key').on(t.accountId, t.kind).where(sql`${t.clearedAt} is null`)],
)

export const webhookEventTypes = ['question.created', 'question.answered', 'question.solved', 'account.alert', 'account.daily_metrics', 'post.flagged', 'post.hidden'] as const
export type WebhookEventType = (typeof webhookEventTypes)[number]

export const webhooks = pgTable('webhooks', {
	id: serial('id').primaryKey(),
	url: text('url').notNull(),
	secret: text('secret').notNull(),
	events: jsonb('events').$type<WebhookEventType[]>().notNull(),
	active: boolean('active').notNull().default(true),
	createdById: text('created_by_id').references(() => users.id, { onDelete: 'set null' }),
	createdAt: createdAt(),
})

export const webhookDeliveryStatusEnum = pgEnum('webhook_delivery_status', ['pending', 'delivered', 'failed'])

/** One event sent (or to be sent) to one webhook: the delivery log and the retry queue. */
export const webhookDeliveries = pgTable(
	'webhook_deliveries',
	{
		id: serial('id').primaryKey(),
		webhookId: integer('webhook_id')
			.notNull()
			.references(() => webhooks.id, { onDelete: 'cascade' }),
		event: text('event').$type<WebhookEventType>().notNull(),
		payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
		status: webhookDeliveryStatusEnum('status').notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
		lastStatusCode: integer('last_status_code'),
		lastError: text('last_error'),
		deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
		createdAt: createdAt(),
	},
	(t) => [index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt)],
)


export const notificationTypes = ['answer', 'followed_answer', 'accepted', 'solved', 'duplicate', 'faq', 'mention', 'tag_question'] as const
export const notificationTypeEnum = pgEnum('notification_type', notificationTypes)
export type NotificationType = (typeof notificationTypes)[number]

/**
 * Something a person is told about. `sourceKey` names what caused it (e.g.
 * `answer:12`), so one cause notifies one person of one type once, however often
 * the job that fans it out runs.
 */
export const notifications = pgTable(
	'notifications',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		type: notificationTypeEnum('type').notNull(),
		sourceKey: text('source_key').notNull(),
		questionId: integer('question_id').references(() => questions.id, { onDelete: 'cascade' }),
		answerId: integer('answer_id').references(() => answers.id, { onDelete: 'cascade' }),
		faqId: integer('faq_id').references(() => faqs.id, { onDelete: 'cascade' }),
		/** Who caused it (the answerer, the person who mentioned), if a person did. */
		actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
		readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }),
		createdAt: createdAt(),
	},
	(t) => [
		unique('notifications_once_key').on(t.userId, t.type, t.sourceKey),
		index('notifications_user_created_idx').on(t.userId, t.createdAt),
		index('notifications_unread_idx').on(t.userId).where(sql`${t.readAt} is null`),
	],
)

/**
 * Who follows a question. Askers, answerers and "me too" people get a row
 * automatically; an explicit unfollow keeps the row with `following = false`, so
 * answering again does not silently follow once more.
 */
export const questionFollows = pgTable(
	'question_follows',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		questionId: integer('question_id')
			.notNull()
			.references(() => questions.id, { onDelete: 'cascade' }),
		following: boolean('following').notNull().default(true),
		createdAt: createdAt(),
	},
	(t) => [primaryKey({ columns: [t.userId, t.questionId] }), index('question_follows_question_idx').on(t.questionId).where(sql`${t.following}`)],
)

export const tagFollows = pgTable(
	'tag_follows',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		tagId: integer('tag_id')
			.notNull()
			.references(() => tags.id, { onDelete: 'cascade' }),
		createdAt: createdAt(),
	},
	(t) => [primaryKey({ columns: [t.userId, t.tagId] }), index('tag_follows_tag_idx').on(t.tagId)],
)

export const mailDeliveries = ['now', 'digest', 'never'] as const
export const mailDeliveryEnum = pgEnum('mail_delivery', mailDeliveries)
export type MailDelivery = (typeof mailDeliveries)[number]

/** A person's choice for one notification type; a missing row means the default (app/mail/). */
export const emailPreferences = pgTable(
	'email_preferences',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		type: notificationTypeEnum('type').notNull(),
		delivery: mailDeliveryEnum('delivery').notNull(),
	},
	(t) => [primaryKey({ columns: [t.userId, t.type] })],
)

export const mailStatuses = ['queued', 'sent', 'failed'] as const
export const mailStatusEnum = pgEnum('mail_status', mailStatuses)

/**
 * Every mail Kizuna sends, queued in the transaction of the change that caused it
 * and sent by the worker. `dedupeKey` (e.g. `notification:41`, `digest:<user>:<day>`)
 * makes a second queueing of the same mail a no-op.
 */
export const mails = pgTable(
	'mails',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
		toAddress: text('to_address').notNull(),
		/** notification, digest, password_reset, email_verification */
		kind: text('kind').notNull(),
		dedupeKey: text('dedupe_key').notNull().unique(),
		locale: text('locale').$type<'en' | 'ja'>().notNull(),
		subject: text('subject').notNull(),
		textBody: text('text_body').notNull(),
		htmlBody: text('html_body').notNull(),
		headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
		status: mailStatusEnum('status').notNull().default('queued'),
		attempts: integer('attempts').notNull().default(0),
		lastError: text('last_error'),
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
		messageId: text('message_id'),
		createdAt: createdAt(),
		sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
		/** While a worker is handing the mail to the server: no other worker sends it meanwhile. */
		sendingUntil: timestamp('sending_until', { withTimezone: true, mode: 'date' }),
	},
	(t) => [index('mails_created_idx').on(t.createdAt), index('mails_status_idx').on(t.status, t.createdAt)],
)

export const authTokenPurposes = ['password_reset', 'email_verification', 'invitation'] as const
export const authTokenPurposeEnum = pgEnum('auth_token_purpose', authTokenPurposes)

/** Single-use links sent by mail; only the SHA-256 of the token is stored. */
export const authTokens = pgTable(
	'auth_tokens',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		purpose: authTokenPurposeEnum('purpose').notNull(),
		tokenHash: text('token_hash').notNull().unique(),
		/** The address the link proves (a new email being verified). */
		email: text('email').notNull(),
		expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
		createdAt: createdAt(),
	},
	(t) => [index('auth_tokens_user_idx').on(t.userId, t.purpose)],
)

/** Secrets the site makes for itself and every process shares (the key that signs unsubscribe links). */
export const siteSecrets = pgTable('site_secrets', {
	name: text('name').primaryKey(),
	value: text('value').notNull(),
	createdAt: createdAt(),
})

/** Single sign-on tokens already used, by their `jti`, kept until they expire: a replayed token is refused. */
export const ssoTokenUses = pgTable(
	'sso_token_uses',
	{
		jti: text('jti').primaryKey(),
		expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
	},
	(t) => [index('sso_token_uses_expires_idx').on(t.expiresAt)],
)

/**
 * An OpenID Connect sign-in on its way through the provider: what the callback
 * must check (state, nonce) and prove (the PKCE verifier). Used once, within minutes.
 */
export const oidcSignIns = pgTable('oidc_sign_ins', {
	state: text('state').primaryKey(),
	codeVerifier: text('code_verifier').notNull(),
	nonce: text('nonce').notNull(),
	returnTo: text('return_to').notNull(),
	createdAt: createdAt(),
})

/** Settings an admin changes in the browser, one JSON value per name (see app/settings/). */
export const siteSettings = pgTable('site_settings', {
	name: text('name').primaryKey(),
	value: jsonb('value').$type<unknown>().notNull(),
	updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

/**
 * Who changed who may do what, kept: role changes, suspensions, invitations, API
 * tokens, single sign-on and webhook settings. Names are copied so the entry
 * still reads after the person is gone.
 */
export const auditEvents = pgTable(
	'audit_events',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
		actorName: text('actor_name').notNull(),
		action: text('action').notNull(),
		targetType: text('target_type').notNull(),
		targetId: text('target_id').notNull(),
		targetLabel: text('target_label').notNull(),
		details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
		createdAt: createdAt(),
	},
	(t) => [index('audit_events_created_idx').on(t.createdAt, t.id), index('audit_events_target_idx').on(t.targetType, t.targetId)],
)

export const flagReasons = ['spam', 'offensive', 'off_topic', 'wrong', 'other'] as const
export const flagReasonEnum = pgEnum('flag_reason', flagReasons)
export type FlagReason = (typeof flagReasons)[number]
export const flagTargetTypes = ['question', 'answer'] as const
export type FlagTargetType = (typeof flagTargetTypes)[number]

/**
 * A person's flag on a question or answer, once per person and post. Open until staff
 * review the post (`resolvedAt`); the author is never told who flagged.
 */
export const flags = pgTable(
	'flags',
	{
		id: serial('id').primaryKey(),
		targetType: text('target_type').$type<FlagTargetType>().notNull(),
		targetId: integer('target_id').notNull(),
		reporterId: text('reporter_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		reason: flagReasonEnum('reason').notNull(),
		comment: text('comment'),
		/** How much this flag counts toward hiding the post: trusted people's flags weigh more. */
		weight: smallint('weight').notNull().default(1),
		createdAt: createdAt(),
		resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
		resolvedById: text('resolved_by_id').references(() => users.id, { onDelete: 'set null' }),
		/** What staff did about it: `approved` (dismissed), `hidden`, `deleted`, `edited`, `locked`. */
		resolution: text('resolution'),
	},
	(t) => [
		uniqueIndex('flags_once_per_person').on(t.reporterId, t.targetType, t.targetId),
		index('flags_target_idx').on(t.targetType, t.targetId),
		index('flags_open_idx').on(t.createdAt).where(sql`${t.resolvedAt} is null`),
	],
)

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' })

export const attachmentKinds = ['image', 'file'] as const
export type AttachmentKind = (typeof attachmentKinds)[number]

/**
 * An image or file put into a post's Markdown. Stored in PostgreSQL so every web
 * process serves it and backups include it; images are kept only as re-encoded
 * (metadata stripped), with a thumbnail for lists.
 */
export const attachments = pgTable(
	'attachments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		uploaderId: text('uploader_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<AttachmentKind>().notNull(),
		/** Decided from the bytes, never from the name or the browser's claim. */
		contentType: text('content_type').notNull(),
		filename: text('filename').notNull(),
		byteSize: integer('byte_size').notNull(),
		width: integer('width'),
		height: integer('height'),
		sha256: text('sha256').notNull(),
		data: bytea('data').notNull(),
		thumbnail: bytea('thumbnail'),
		createdAt: createdAt(),
	},
	(t) => [index('attachments_uploader_idx').on(t.uploaderId, t.createdAt)],
)

export const attachmentUseKinds = ['question', 'answer', 'faq', 'tutorial_step'] as const
export type AttachmentUseKind = (typeof attachmentUseKinds)[number]

/**
 * Which posts name which attachments, kept by triggers on the posts' `body`
 * (migration 0016), so every writer (forms, API, import, demo, restores) keeps it
 * without knowing. Serving reads it: an attachment is public while a post that
 * everyone can read names it.
 */
export const attachmentUses = pgTable(
	'attachment_uses',
	{
		attachmentId: uuid('attachment_id')
			.notNull()
			.references(() => attachments.id, { onDelete: 'cascade' }),
		postType: text('post_type').$type<AttachmentUseKind>().notNull(),
		postId: integer('post_id').notNull(),
	},
	(t) => [primaryKey({ columns: [t.attachmentId, t.postType, t.postId] }), index('attachment_uses_post_idx').on(t.postType, t.postId)],
)

export const widgetRuleTargets = ['faq', 'tutorial', 'tag'] as const
export type WidgetRuleTarget = (typeof widgetRuleTargets)[number]

/**
 * Staff's suggestions for pages of the customer's product: a host-page path pattern
 * (`/settings/billing*`) and the FAQ, tutorial or tag the widget offers there.
 */
export const widgetPageRules = pgTable(
	'widget_page_rules',
	{
		id: serial('id').primaryKey(),
		pattern: text('pattern').notNull(),
		targetType: text('target_type').$type<WidgetRuleTarget>().notNull(),
		/** The FAQ or tutorial; null for a tag. */
		targetId: integer('target_id'),
		tag: text('tag'),
		position: integer('position').notNull().default(0),
		createdAt: createdAt(),
	},
	(t) => [index('widget_page_rules_pattern_idx').on(t.pattern)],
)
