import { sql } from 'drizzle-orm'
import {
	boolean,
	check,
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
	uniqueIndex,
	uuid,
} from 'drizzle-orm/pg-core'

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
		createdAt: createdAt(),
	},
	(t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
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
	createdAt: createdAt(),
	lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
})

export const tags = pgTable('tags', {
	id: serial('id').primaryKey(),
	name: text('name').notNull().unique(),
	createdAt: createdAt(),
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
		slug: text('slug').notNull(),
		externalId: text('external_id').unique(),
		acceptedAnswerId: integer('accepted_answer_id'),
		score: integer('score').notNull().default(0),
		answerCount: integer('answer_count').notNull().default(0),
		meTooCount: integer('me_too_count').notNull().default(0),
		viewCount: integer('view_count').notNull().default(0),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
		lastActivityAt: timestamp('last_activity_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
	},
	(t) => [
		index('questions_created_at_idx').on(t.createdAt),
		index('questions_last_activity_idx').on(t.lastActivityAt),
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
		score: integer('score').notNull().default(0),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
	},
	(t) => [index('answers_question_idx').on(t.questionId)],
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

export const searchIndexTasks = pgTable('search_index_tasks', {
	id: serial('id').primaryKey(),
	documentType: text('document_type').notNull(),
	entityId: integer('entity_id').notNull(),
	attempts: integer('attempts').notNull().default(0),
	lastError: text('last_error'),
	runAfter: timestamp('run_after', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
	createdAt: createdAt(),
})

export const searches = pgTable('searches', {
	id: uuid('id').primaryKey(),
	query: text('query').notNull(),
	filters: jsonb('filters').$type<Record<string, string>>().notNull(),
	total: integer('total').notNull(),
	userId: text('user_id'),
	visitorId: text('visitor_id'),
	createdAt: createdAt(),
})
