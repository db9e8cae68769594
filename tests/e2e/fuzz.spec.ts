/**
 * Fuzz suite (issue 10): generated hostile input to every API endpoint, every form
 * action and the loaders that read URL parameters, over real HTTP against the server
 * `npm test` starts, as a visitor, a member, CS and an admin (sessions and API tokens),
 * plus malformed cookies and tokens. Whatever a case sends, the answer must be:
 *   - never a 5xx, and never a stack trace, a source path or SQL;
 *   - from the API, a 4xx refusal as JSON {"error": "<reason>"};
 *   - from a form action or a page, a 4xx with a message, or a same-site redirect / 200;
 *   - when refused, nothing stored (rows of every table people create through the site
 *     are counted before and after).
 *
 * Replay: every failure prints fast-check's seed and path and the environment that
 * replays it: FUZZ_SEED=<seed> FUZZ_PATH=<path> FUZZ_ONLY='<endpoint name>' goes straight
 * to the failing case. FUZZ_RUNS sets the cases per endpoint (default 20).
 */
import fc from 'fast-check'
import { unsubscribeToken } from '../../app/mail/unsubscribe.server'
import { db as appDb } from '../../db/client.server'
import { apiToken, createUser, expect, test, unique } from './support'
import {
	database,
	describe as describeCase,
	field,
	fieldsOf,
	hostileText,
	idText,
	jsonField,
	markdown,
	MISSING,
	NoAnswer,
	percent,
	problems,
	query,
	send,
	words,
	type Answer,
	type Body,
	type Case,
	type Expect,
	type FieldSpec,
	type FieldValue,
	type Identity,
	type Origin,
} from './fuzz-support'

const SEED = Number(process.env.FUZZ_SEED ?? 20261129)
const PATH = process.env.FUZZ_PATH
const RUNS = Number(process.env.FUZZ_RUNS ?? 20)
const ONLY = process.env.FUZZ_ONLY

type Role = 'visitor' | 'member' | 'cs' | 'admin'
type Fixtures = {
	base: string
	sessions: Record<Exclude<Role, 'visitor'>, string>
	tokens: { member: string; cs: string }
	member: { email: string; password: string }
	memberId: string
	/** Someone the people endpoints may change (role, suspension) without touching the fixtures' identities. */
	targetId: string
	questionId: number
	answerId: number
	/** A question of its own for moderation, so that hiding or locking it leaves the other endpoints' fixture question alone. */
	moderatedQuestionId: number
	faqId: number
	faqRevisionId: number
	tutorialId: number
	stepId: number
	webhookId: number
	deliveryId: number
	accountId: string
	searchId: string
	phrasingId: number
	unsubscribeToken: string
	mailId: number
}

type Endpoint = {
	name: string
	expect: Expect
	method: string
	path: (f: Fixtures) => fc.Arbitrary<string>
	/** form: an HTML form post; json: an API body; query: parameters in the URL. */
	input: 'form' | 'json' | 'query' | 'none'
	fields?: (f: Fixtures) => Record<string, FieldSpec>
	jsonFields?: (f: Fixtures) => Record<string, FieldSpec>
	roles: Role[]
	/** Roles that may only come with a broken or foreign identity (e.g. sign-out would end the fixtures' sessions). */
	visitorOnly?: boolean
	runs?: number
}

// ------------------------------------------------------------------ valid-looking values

const title = words(5, 60)
const body = words(10, 200)
const tags = fc.constantFrom('export', 'billing csv', 'Team Invites, api', 'api,sso', '', 'a'.repeat(31), 'one, two, three, four, five, six')
const phase = fc.constantFrom('onboarding', 'adoption', 'expansion')
const language = fc.constantFrom('en', 'ja')
const bool = fc.constantFrom('true', 'false', 'on', '')
const day = fc.constantFrom('2026-01-01', '9999-12-31', '0000-01-01', '2024-02-30', '275760-09-13')
// Webhook URLs only ever point at a closed loopback port: the worker delivers to them.
const loopbackUrl = fc.constantFrom('http://127.0.0.1:9/hook', 'http://localhost:9/x', 'http://[::1]:9/', 'http://127.0.0.1:9/\u0000')
// The valid target is a plain path; the bad ones leave the site once a browser reads them (it drops tabs and newlines) or break the header.
const redirectTo: FieldSpec = {
	valid: fc.constant('/questions'),
	bad: fc.oneof(
		{ weight: 3, arbitrary: fc.constantFrom('/\t/evil.example/x', ' /\t/evil.example/x', '/\r\nSet-Cookie: a=b', '//evil.example', '/\\evil.example', 'https://evil.example/', '/\u0000', '/%0d%0aX-Injected: 1') },
		{ weight: 1, arbitrary: field(fc.constant('/questions')).bad },
	),
}
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])
const foreignUrl = (value: unknown): boolean => {
	if (Array.isArray(value)) return value.some(foreignUrl)
	if (typeof value !== 'string') return false
	try {
		return !LOOPBACK.has(new URL(value.trim()).hostname)
	} catch {
		return false
	}
}
const loopbackOnly = (spec: FieldSpec): FieldSpec => ({ valid: spec.valid, bad: spec.bad.filter((v) => !foreignUrl(v)) })

const json = <T>(valid: fc.Arbitrary<T>) => jsonField(valid)
const jsonMarkdown: FieldSpec = { valid: body, bad: fc.oneof(markdown(body).bad, jsonField(body).bad) }

// Node refuses a request line or headers over 16 KB (431) before Kizuna sees them: values in URLs stay below that.
const URL_VALUE = 150
const inUrl = (value: FieldValue): FieldValue => (typeof value === 'string' ? value.slice(0, URL_VALUE) : Array.isArray(value) ? value.map((v) => v.slice(0, URL_VALUE)) : value)
const hostileSegment = hostileText.map((value) => value.slice(0, URL_VALUE))

// ------------------------------------------------------------------ endpoints

// Staff-only actions are tried by everyone too: a visitor's or member's attempt must be refused as cleanly.
const anyone: Role[] = ['visitor', 'member', 'cs', 'admin']

const endpoints: Endpoint[] = [
	// Form actions (app/routes/*.tsx and resource routes with an action).
	{
		name: 'POST /signin',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/signin'),
		input: 'form',
		fields: (f) => ({
			email: field(fc.constant(f.member.email)),
			password: field(fc.constant(f.member.password)),
			redirectTo,
		}),
		roles: ['visitor'],
	},
	{
		name: 'POST /signup',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/signup'),
		input: 'form',
		fields: () => ({ email: field(fc.constant(`${unique('fuzz')}@example.test`)), displayName: field(words(1, 30)), password: field(fc.constant('correct horse battery')) }),
		roles: ['visitor'],
	},
	{
		name: 'POST /settings/language',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/settings/language'),
		input: 'form',
		fields: () => ({ locale: field(language), redirectTo }),
		roles: anyone,
	},
	// Accounts (app/routes/forgot-password, reset-password.$token, verify-email.*, settings.*).
	{ name: 'POST /forgot-password', expect: 'form', method: 'POST', path: () => fc.constant('/forgot-password'), input: 'form', fields: (f) => ({ email: field(fc.constantFrom(f.member.email, 'nobody@example.test')) }), roles: ['visitor'], runs: Math.ceil(RUNS / 2) },
	{
		name: 'POST /reset-password/{token}',
		expect: 'form',
		method: 'POST',
		path: () => fc.oneof(fc.constant('A'.repeat(43)), hostileSegment).map((token) => `/reset-password/${percent(token)}`),
		input: 'form',
		fields: () => ({ password: field(fc.constant('correct horse battery')) }),
		roles: ['visitor', 'member'],
	},
	{ name: 'POST /verify-email/{token}', expect: 'form', method: 'POST', path: () => fc.oneof(fc.constant('A'.repeat(43)), hostileSegment).map((token) => `/verify-email/${percent(token)}`), input: 'form', fields: () => ({ intent: field(fc.constant('confirm')) }), roles: ['visitor', 'member'] },
	// Staff sign-in with OpenID Connect (app/routes/auth.oidc*): the shared server has no provider, so these are refused as pages that do not exist.
	{ name: 'POST /auth/oidc', expect: 'form', method: 'POST', path: () => fc.constant('/auth/oidc'), input: 'form', fields: () => ({ redirectTo }), roles: ['visitor', 'member'] },
	{
		name: 'GET /auth/oidc/callback',
		expect: 'page',
		method: 'GET',
		path: () => fc.constant('/auth/oidc/callback'),
		input: 'query',
		fields: () => ({ state: field(fc.oneof(words(1, 60), hostileSegment)), code: field(fc.oneof(words(1, 60), hostileSegment)), error: field(fc.constantFrom('access_denied', 'server_error')), iss: field(fc.constantFrom('http://127.0.0.1:1', 'https://evil.example')) }),
		roles: ['visitor', 'member'],
	},
	{ name: 'POST /verify-email', expect: 'form', method: 'POST', path: () => fc.constant('/verify-email?index'), input: 'form', fields: () => ({ redirectTo }), roles: ['visitor', 'member'] },
	{ name: 'POST /settings', expect: 'form', method: 'POST', path: () => fc.constant('/settings?index'), input: 'form', fields: () => ({ displayName: field(words(1, 60)), locale: field(language) }), roles: ['visitor', 'member'] },
	{
		name: 'POST /settings/account',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/settings/account'),
		input: 'form',
		// Only email changes succeed here: a password change would end the fixture member's session for the endpoints after it.
		fields: (f) => ({ intent: field(fc.constant('email')), email: field(fc.constant(`${unique('fuzz-new')}@example.test`)), currentPassword: field(fc.constant(f.member.password)), newPassword: field(fc.constant('another password')) }),
		roles: ['visitor', 'member'],
	},
	{ name: 'POST /signout', expect: 'form', method: 'POST', path: () => fc.constant('/signout'), input: 'form', fields: () => ({ redirectTo }), roles: ['visitor'], visitorOnly: true },
	{
		name: 'POST /questions/ask',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/questions/ask'),
		input: 'form',
		fields: () => ({ title: field(title), body: markdown(body), tags: field(tags), language: field(language) }),
		roles: ['visitor', 'member'],
	},
	{
		name: 'POST /questions/{id}',
		expect: 'form',
		method: 'POST',
		path: (f) => idText(f.questionId).map((id) => `/questions/${percent(id)}`),
		input: 'form',
		fields: (f) => ({
			intent: field(fc.constantFrom('answer', 'vote', 'me-too', 'accept', 'close-duplicate', 'reopen', 'make-faq', 'moderate')),
			body: markdown(body),
			postType: field(fc.constantFrom('question', 'answer')),
			postId: field(idText(f.answerId)),
			value: field(fc.constantFrom('up', 'down', 'none')),
			answerId: field(idText(f.answerId)),
			targetType: field(fc.constantFrom('question', 'faq')),
			target: field(fc.constantFrom(String(f.questionId), `/faq/${f.faqId}`, '2147483648', '/questions/-1')),
			targetId: field(idText(f.moderatedQuestionId)),
			action: field(fc.constantFrom('hide', 'restore', 'delete', 'lock', 'unlock')),
			reason: field(words(1, 60)),
		}),
		roles: ['visitor', 'member', 'cs'],
	},
	{
		name: 'POST /questions/{id}/edit',
		expect: 'form',
		method: 'POST',
		path: (f) => idText(f.questionId).map((id) => `/questions/${percent(id)}/edit`),
		input: 'form',
		fields: () => ({ title: field(title), body: markdown(body), tags: field(tags), language: field(language) }),
		roles: ['visitor', 'member', 'cs'],
	},
	{
		name: 'POST /answers/{id}/edit',
		expect: 'form',
		method: 'POST',
		path: (f) => idText(f.answerId).map((id) => `/answers/${percent(id)}/edit`),
		input: 'form',
		fields: () => ({ body: markdown(body), language: field(language) }),
		roles: ['visitor', 'member', 'cs'],
	},
	{
		name: 'POST /faq/new',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/faq/new'),
		input: 'form',
		fields: () => ({ title: field(title), body: markdown(body), category: field(words(2, 40)), tags: field(tags), language: field(language) }),
		roles: anyone,
	},
	{
		name: 'POST /faq/{id}',
		expect: 'form',
		method: 'POST',
		path: (f) => idText(f.faqId).map((id) => `/faq/${percent(id)}`),
		input: 'form',
		fields: (f) => ({ intent: field(fc.constantFrom('publish', 'unpublish', 'translate', 'link-translation', 'unlink-translation')), language: field(language), other: field(idText(f.faqId)) }),
		roles: anyone,
	},
	{
		name: 'POST /faq/{id}/edit',
		expect: 'form',
		method: 'POST',
		path: (f) => idText(f.faqId).map((id) => `/faq/${percent(id)}/edit`),
		input: 'form',
		fields: () => ({ title: field(title), body: markdown(body), category: field(words(2, 40)), tags: field(tags), language: field(language) }),
		roles: anyone,
	},
	{
		name: 'POST /faq/{id}/history',
		expect: 'form',
		method: 'POST',
		path: (f) => idText(f.faqId).map((id) => `/faq/${percent(id)}/history`),
		input: 'form',
		fields: (f) => ({ revisionId: field(idText(f.faqRevisionId)) }),
		roles: anyone,
	},
	{
		name: 'POST /faq/manage',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/faq/manage'),
		input: 'form',
		fields: (f) => ({
			intent: field(fc.constantFrom('create-category', 'update-category', 'move-category', 'move-faq', 'translate-category')),
			language: field(language),
			name: field(words(2, 40)),
			description: field(words(1, 100)),
			id: field(idText(f.faqId)),
			direction: field(fc.constantFrom('up', 'down')),
		}),
		roles: anyone,
	},
	{
		name: 'POST /tutorials/new',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/tutorials/new'),
		input: 'form',
		fields: () => tutorialFields(),
		roles: anyone,
	},
	{
		name: 'POST /tutorials/{id}/edit',
		expect: 'form',
		method: 'POST',
		path: (f) => idText(f.tutorialId).map((id) => `/tutorials/${percent(id)}/edit`),
		input: 'form',
		fields: () => tutorialFields(),
		roles: anyone,
	},
	{
		name: 'POST /tutorials/{id}',
		expect: 'form',
		method: 'POST',
		path: (f) => idText(f.tutorialId).map((id) => `/tutorials/${percent(id)}`),
		input: 'form',
		fields: (f) => ({
			intent: field(fc.constantFrom('progress', 'publish', 'translate', 'link-translation', 'unlink-translation')),
			stepId: field(idText(f.stepId)),
			done: field(bool),
			published: field(fc.constant('true')),
			language: field(language),
			other: field(idText(f.tutorialId)),
		}),
		roles: anyone,
	},
	{
		name: 'POST /admin/accounts',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/admin/accounts?index'),
		input: 'form',
		fields: () => accountFields(),
		roles: anyone,
	},
	{
		name: 'POST /admin/accounts/{externalId}',
		expect: 'form',
		method: 'POST',
		path: (f) => fc.oneof(fc.constant(f.accountId), hostileSegment).map((id) => `/admin/accounts/${percent(id)}`),
		input: 'form',
		fields: (f) => ({
			intent: field(fc.constantFrom('update', 'assign', 'remove')),
			...accountFields(fc.constant(f.accountId)),
			email: field(fc.constant(f.member.email)),
			userId: field(fc.uuid()),
		}),
		roles: anyone,
	},
	{
		name: 'POST /admin/search',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/admin/search'),
		input: 'form',
		fields: () => ({ synonyms: field(fc.constantFrom('fuzzalpha, fuzzbeta', 'fuzzalpha', 'fuzzalpha,fuzzbeta\nfuzzgamma,fuzzdelta')), stopWords: field(fc.constantFrom('fuzzepsilon', 'x'.repeat(41))) }),
		roles: anyone,
	},
	{
		name: 'POST /admin/webhooks',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/admin/webhooks?index'),
		input: 'form',
		fields: (f) => ({
			intent: field(fc.constantFrom('create', 'pause', 'resume', 'test')),
			url: loopbackOnly(field(loopbackUrl)),
			secret: field(fc.string({ minLength: 16, maxLength: 40, unit: 'grapheme-ascii' })),
			events: field(fc.constantFrom('question.created', 'account.alert', 'no.such.event')),
			id: field(idText(f.webhookId)),
		}),
		roles: anyone,
	},
	{ name: 'POST /admin/sso', expect: 'form', method: 'POST', path: () => fc.constant('/admin/sso'), input: 'form', fields: () => ({ staffPasswords: field(bool) }), roles: anyone },
	{
		name: 'POST /admin/moderation',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/admin/moderation'),
		input: 'form',
		fields: () => {
			const count = field(fc.constantFrom('0', '3', '1000', '99999999', '-1', '1.5', '1e3'))
			return {
				flagsToHide: count,
				newPersonPosts: count,
				newPersonHours: count,
				// Never a value that saves: the worker's other specs post under the default rules.
				maxLinks: { valid: fc.constantFrom('-1', 'many', '101'), bad: count.bad },
				postsPerHourNew: count,
				postsPerHourBasic: count,
				postsPerHourTrusted: count,
				heldWords: field(fc.constantFrom('casino\nスパム', 'ＳＰＡＭ', '')),
			}
		},
		roles: anyone,
	},
	{
		name: 'POST /admin/webhooks/{id}',
		expect: 'form',
		method: 'POST',
		path: (f) => idText(f.webhookId).map((id) => `/admin/webhooks/${percent(id)}`),
		input: 'form',
		fields: (f) => ({ intent: field(fc.constantFrom('retry', 'test')), deliveryId: field(idText(f.deliveryId)) }),
		roles: anyone,
	},
	{
		name: 'POST /settings/email',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/settings/email'),
		input: 'form',
		fields: () => Object.fromEntries(['answer', 'followed_answer', 'accepted', 'solved', 'duplicate', 'faq', 'mention', 'tag_question'].map((type) => [type, field(fc.constantFrom('now', 'digest', 'never'))])),
		roles: anyone,
	},
	{
		name: 'POST /unsubscribe/{token}',
		expect: 'form',
		method: 'POST',
		path: (f) => fc.oneof(fc.constant(f.unsubscribeToken), fc.constant(`${f.unsubscribeToken.slice(0, -1)}A`), hostileSegment).map((token) => `/unsubscribe/${percent(token)}`),
		input: 'form',
		fields: () => ({ 'List-Unsubscribe': field(fc.constant('One-Click')) }),
		roles: ['visitor', 'member'],
	},
	{
		name: 'POST /admin/mail/{id}',
		expect: 'form',
		method: 'POST',
		path: (f) => idText(f.mailId).map((id) => `/admin/mail/${percent(id)}`),
		input: 'form',
		fields: () => ({ intent: field(fc.constantFrom('retry', 'resend')) }),
		roles: anyone,
	},
	{
		name: 'POST /resources/feedback',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/resources/feedback'),
		input: 'form',
		fields: (f) => ({
			targetType: field(fc.constantFrom('question', 'faq', 'tutorial')),
			targetId: field(fc.constantFrom(String(f.questionId), String(f.faqId), String(f.tutorialId))),
			helpful: field(fc.constantFrom('true', 'false')),
			reason: field(fc.constantFrom('not_my_problem', 'unclear', 'outdated', 'did_not_work', 'other')),
			comment: field(words(1, 100)),
			searchId: field(fc.constant(f.searchId)),
		}),
		roles: anyone,
	},
	{
		name: 'POST /resources/learned-phrasings',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/resources/learned-phrasings'),
		input: 'form',
		fields: (f) => ({ id: field(idText(f.phrasingId)) }),
		roles: anyone,
	},
	// Flags and the review queue (issue 14). Valid flags never hide (spam from three fixture people would), and only "approve" is a valid decision: hiding, locking or suspending would change the fixtures the endpoints after it use.
	{
		name: 'POST /resources/flag',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/resources/flag'),
		input: 'form',
		fields: (f) => ({
			targetType: field(fc.constantFrom('question', 'answer')),
			targetId: field(fc.constantFrom(String(f.questionId), String(f.answerId))),
			reason: field(fc.constantFrom('off_topic', 'wrong', 'other')),
			comment: field(words(1, 100)),
			redirectTo,
		}),
		roles: anyone,
	},
	{
		name: 'POST /admin/review',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/admin/review'),
		input: 'form',
		fields: (f) => ({
			targetType: field(fc.constantFrom('question', 'answer')),
			targetId: field(fc.constantFrom(String(f.questionId), String(f.answerId))),
			decision: field(fc.constant('approve')),
			reason: field(words(1, 100)),
		}),
		roles: anyone,
	},
	// People administration, API tokens and invitations (issue 13).
	{
		name: 'POST /admin/people',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/admin/people'),
		input: 'form',
		fields: (f) => ({
			intent: field(fc.constantFrom('role', 'suspend', 'restore', 'invite')),
			userId: field(fc.oneof(fc.constant(f.targetId), fc.uuid())),
			role: field(fc.constantFrom('member', 'cs', 'product', 'admin')),
			email: field(fc.constant(`${unique('fuzz-invite')}@example.test`)),
			displayName: field(words(1, 60)),
		}),
		roles: anyone,
	},
	{
		name: 'POST /settings/tokens',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/settings/tokens'),
		input: 'form',
		// Never "sign out everywhere": it would end the fixtures' sessions for the endpoints after it.
		fields: () => ({ intent: field(fc.constantFrom('create', 'revoke')), name: field(words(1, 60)), id: field(idText(1)) }),
		roles: ['visitor', 'member'],
	},
	{
		name: 'POST /invitations/{token}',
		expect: 'form',
		method: 'POST',
		path: () => fc.oneof(fc.constant('A'.repeat(43)), hostileSegment).map((token) => `/invitations/${percent(token)}`),
		input: 'form',
		fields: () => ({ displayName: field(words(1, 60)), password: field(fc.constant('correct horse battery')), locale: field(language) }),
		roles: ['visitor', 'member'],
	},
	{ name: 'GET /api/v1/me', expect: 'api', method: 'GET', path: () => fc.constant('/api/v1/me'), input: 'none', roles: anyone },
	// Operations (app/server/metrics.ts): the suite's clients are on loopback, so they may scrape; the query is ignored.
	{ name: 'GET /metrics', expect: 'page', method: 'GET', path: () => fc.constant('/metrics'), input: 'query', fields: () => ({ name: field(words(1, 20)) }), roles: anyone, runs: Math.ceil(RUNS / 4) },
	{
		name: 'GET /api/v1/people',
		expect: 'api',
		method: 'GET',
		path: () => fc.constant('/api/v1/people'),
		input: 'query',
		fields: (f) => ({ email: field(fc.constant(f.member.email)), account: field(fc.constant(f.accountId)) }),
		roles: anyone,
	},
	{
		name: 'PATCH /api/v1/people/{id}',
		expect: 'api',
		method: 'PATCH',
		path: (f) => fc.oneof(fc.constant(f.targetId), hostileSegment).map((id) => `/api/v1/people/${percent(id)}`),
		input: 'json',
		jsonFields: () => ({ role: json(fc.constantFrom('member', 'cs', 'product', 'admin')), suspended: json(fc.boolean()) }),
		roles: anyone,
	},
	// The preview answers JSON (it is fetched by the editor), so it is held to the API's rules.
	{ name: 'POST /resources/markdown-preview', expect: 'api', method: 'POST', path: () => fc.constant('/resources/markdown-preview'), input: 'form', fields: () => ({ markdown: markdown(body) }), roles: ['visitor', 'member'], runs: Math.ceil(RUNS / 2) },
	// The editor's upload answers JSON too; a field that is text, not a file, is refused like any broken upload.
	{ name: 'POST /resources/attachments', expect: 'api', method: 'POST', path: () => fc.constant('/resources/attachments'), input: 'form', fields: () => ({ file: field(words(1, 200)) }), roles: ['visitor', 'member'], runs: Math.ceil(RUNS / 2) },
	{
		name: 'GET /attachments/{id}/{name}',
		expect: 'page',
		method: 'GET',
		path: () => fc.tuple(fc.oneof(fc.uuid(), hostileSegment), fc.oneof(fc.constantFrom('thumbnail', 'a.png', 'report.pdf'), hostileSegment)).map(([id, name]) => `/attachments/${percent(id)}/${percent(name)}`),
		input: 'none',
		roles: ['visitor', 'member'],
		runs: Math.ceil(RUNS / 2),
	},

	// JSON API v1.
	{
		name: 'POST /api/v1/questions',
		expect: 'api',
		method: 'POST',
		path: () => fc.constant('/api/v1/questions'),
		input: 'json',
		jsonFields: () => ({ title: json(title), body: jsonMarkdown, tags: json(fc.oneof(tags, fc.constant(['api', 'export']))), language: json(language) }),
		roles: ['visitor', 'member', 'cs'],
	},
	{
		name: 'POST /api/v1/questions/{id}/answers',
		expect: 'api',
		method: 'POST',
		path: (f) => idText(f.questionId).map((id) => `/api/v1/questions/${percent(id)}/answers`),
		input: 'json',
		jsonFields: () => ({ body: jsonMarkdown, language: json(language) }),
		roles: ['visitor', 'member', 'cs'],
	},
	{ name: 'POST /api/v1/questions/{id}/me-too', expect: 'api', method: 'POST', path: (f) => idText(f.questionId).map((id) => `/api/v1/questions/${percent(id)}/me-too`), input: 'none', roles: ['visitor', 'member', 'cs'] },
	{
		name: 'POST /api/v1/moderation/{targetType}/{targetId}',
		expect: 'api',
		method: 'POST',
		path: (f) => fc.tuple(fc.constantFrom('question', 'answer', 'comment'), idText(f.moderatedQuestionId)).map(([type, id]) => `/api/v1/moderation/${type}/${percent(id)}`),
		input: 'json',
		jsonFields: () => ({ action: json(fc.constantFrom('hide', 'restore', 'delete', 'lock', 'unlock')), reason: json(words(1, 60)) }),
		roles: ['visitor', 'member', 'cs'],
	},
	{
		name: 'POST /api/v1/flags',
		expect: 'api',
		method: 'POST',
		path: () => fc.constant('/api/v1/flags'),
		input: 'json',
		jsonFields: (f) => ({
			targetType: json(fc.constantFrom('question', 'answer')),
			targetId: json(fc.constantFrom(f.questionId, f.answerId)),
			reason: json(fc.constantFrom('off_topic', 'wrong', 'other')),
			comment: json(words(1, 100)),
		}),
		roles: ['visitor', 'member', 'cs'],
	},
	{
		name: 'GET /api/v1/questions',
		expect: 'api',
		method: 'GET',
		path: () => fc.constant('/api/v1/questions'),
		input: 'query',
		fields: () => ({
			lang: field(fc.constantFrom('en', 'ja', 'all', 'fr')),
			sort: field(fc.constantFrom('newest', 'active', 'unanswered', 'solved', 'frequent', 'best')),
			tag: field(fc.constantFrom('export', 'billing')),
			page: field(fc.constantFrom('1', '10000', '10001', '0')),
		}),
		roles: anyone,
	},
	// After the posts above: a poisoned answer on the fixture question shows here.
	{ name: 'GET /api/v1/questions/{id}', expect: 'api', method: 'GET', path: (f) => idText(f.questionId).map((id) => `/api/v1/questions/${percent(id)}`), input: 'none', roles: anyone },
	{
		name: 'POST /api/v1/feedback',
		expect: 'api',
		method: 'POST',
		path: () => fc.constant('/api/v1/feedback'),
		input: 'json',
		jsonFields: (f) => ({
			targetType: json(fc.constantFrom('question', 'faq', 'tutorial')),
			targetId: json(fc.constantFrom(f.questionId, f.faqId, f.tutorialId)),
			helpful: json(fc.boolean()),
			reason: json(fc.constantFrom('unclear', 'other')),
			comment: json(words(1, 100)),
			searchId: json(fc.constant(f.searchId)),
		}),
		roles: anyone,
	},
	{
		name: 'POST /api/v1/searches/{searchId}/clicks',
		expect: 'api',
		method: 'POST',
		path: (f) => fc.oneof(fc.constant(f.searchId), hostileSegment).map((id) => `/api/v1/searches/${percent(id)}/clicks`),
		input: 'json',
		jsonFields: (f) => ({ hitId: json(fc.constant(f.questionId)), hitType: json(fc.constantFrom('question', 'faq', 'tutorial')) }),
		roles: anyone,
	},
	// The in-product help widget (issue 17): the panel page, its API and /admin/widget.
	{
		name: 'GET /widget',
		expect: 'page',
		method: 'GET',
		path: () => fc.constant('/widget'),
		input: 'query',
		fields: () => ({ origin: field(fc.constantFrom('http://127.0.0.1:9', 'https://evil.example', 'javascript:alert(1)')), page: field(fc.constantFrom('/settings/billing', 'https://x.example/a?b#c')), lang: field(language) }),
		roles: ['visitor', 'member'],
	},
	{ name: 'GET /widget.js', expect: 'page', method: 'GET', path: () => fc.constant('/widget.js'), input: 'query', fields: () => ({ v: field(words(1, 20)) }), roles: ['visitor'] },
	{
		name: 'GET /api/v1/widget/suggestions',
		expect: 'api',
		method: 'GET',
		path: () => fc.constant('/api/v1/widget/suggestions'),
		input: 'query',
		fields: () => ({ page: field(fc.constantFrom('/settings/billing', '/', '/a*b')), lang: field(language) }),
		roles: ['visitor', 'member'],
	},
	{
		name: 'POST /api/v1/widget/session',
		expect: 'api',
		method: 'POST',
		path: () => fc.constant('/api/v1/widget/session'),
		input: 'json',
		jsonFields: () => ({ token: json(fc.constantFrom('eyJhbGciOiJIUzI1NiJ9.e30.x', 'a.b.c')) }),
		roles: ['visitor', 'member'],
	},
	{
		name: 'GET /api/v1/widget/articles/{type}/{id}',
		expect: 'api',
		method: 'GET',
		path: (f) =>
			fc
				.tuple(fc.constantFrom('faq', 'tutorial', 'question', 'answer'), fc.oneof(idText(f.faqId), idText(f.tutorialId), idText(f.questionId)), fc.constantFrom('', '?page=/settings', '?lang=ja&page=%00'))
				.map(([type, id, query]) => `/api/v1/widget/articles/${type}/${percent(id)}${query}`),
		input: 'none',
		roles: ['visitor', 'member'],
	},
	{
		name: 'POST /api/v1/widget/feedback',
		expect: 'api',
		method: 'POST',
		path: () => fc.constantFrom('/api/v1/widget/feedback?page=/settings/billing', '/api/v1/widget/feedback'),
		input: 'json',
		jsonFields: (f) => ({
			targetType: json(fc.constantFrom('question', 'faq', 'tutorial')),
			targetId: json(fc.constantFrom(f.questionId, f.faqId, f.tutorialId)),
			helpful: json(fc.boolean()),
			searchId: json(fc.constant(f.searchId)),
		}),
		roles: anyone,
	},
	{ name: 'GET /api/v1/widget/checklist', expect: 'api', method: 'GET', path: () => fc.constant('/api/v1/widget/checklist'), input: 'query', fields: () => ({ lang: field(language) }), roles: ['visitor', 'member'] },
	{
		name: 'POST /api/v1/widget/steps',
		expect: 'api',
		method: 'POST',
		path: () => fc.constant('/api/v1/widget/steps?page=/onboarding'),
		input: 'json',
		jsonFields: (f) => ({ tutorialId: json(fc.constant(f.tutorialId)), stepId: json(fc.constant(f.stepId)), done: json(fc.boolean()) }),
		roles: ['visitor', 'member'],
	},
	{
		name: 'POST /api/v1/widget/questions',
		expect: 'api',
		method: 'POST',
		path: () => fc.constant('/api/v1/widget/questions?page=/settings/billing'),
		input: 'json',
		jsonFields: () => ({ title: json(title), body: jsonMarkdown, tags: json(tags) }),
		roles: ['visitor', 'member'],
	},
	{
		name: 'POST /api/v1/widget/events',
		expect: 'api',
		method: 'POST',
		path: () => fc.constant('/api/v1/widget/events?page=/settings/billing'),
		input: 'json',
		jsonFields: () => ({ type: json(fc.constantFrom('ask_form_opened', 'support_contacted', 'search')) }),
		roles: ['visitor', 'member'],
	},
	{
		name: 'POST /admin/widget',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/admin/widget'),
		input: 'form',
		fields: (f) => ({
			intent: field(fc.constantFrom('settings', 'add-rule', 'remove-rule')),
			allowedOrigins: field(fc.constantFrom('http://127.0.0.1:9', 'https://app.example.test\nhttps://b.example.test', 'ftp://x')),
			supportLink: field(fc.constantFrom('mailto:help@example.test', 'https://support.example.test', 'javascript:alert(1)')),
			pattern: field(fc.constantFrom('/settings/billing*', 'settings', '/a b')),
			targetType: field(fc.constantFrom('faq', 'tutorial', 'tag')),
			target: field(fc.constantFrom(String(f.faqId), String(f.tutorialId), 'billing', '/faq/99999')),
			id: field(fc.constantFrom('1', '99999')),
		}),
		roles: anyone,
	},
	...['summary', 'unanswered-topics', 'zero-result-queries', 'accounts', 'pages'].map(
		(name): Endpoint => ({
			name: `GET /api/v1/insights/${name}`,
			expect: 'api',
			method: 'GET',
			path: () => fc.constant(`/api/v1/insights/${name}`),
			input: 'query',
			fields: (f) => ({ from: field(day), to: field(day), account: field(fc.constant(f.accountId)), plan: field(words(1, 20)), phase: field(phase), csm: field(fc.uuid()) }),
			roles: ['visitor', 'cs'],
		}),
	),
	{
		name: 'GET /api/v1/search',
		expect: 'api',
		method: 'GET',
		path: () => fc.constant('/api/v1/search'),
		input: 'query',
		// With channel=widget, page is the host page's path instead of a page of results.
		fields: () => ({
			...searchFields(),
			channel: field(fc.constantFrom('widget', 'community', 'email')),
			page: field(fc.constantFrom('1', '101', '/settings/billing', 'https://app.example/projects?id=1', 'javascript:alert(1)')),
		}),
		roles: anyone,
	},
	// Notifications and following (issue 12).
	{
		name: 'GET /api/v1/notifications',
		expect: 'api',
		method: 'GET',
		path: () => fc.constant('/api/v1/notifications'),
		input: 'query',
		fields: () => ({ limit: field(fc.constantFrom('1', '30', '100', '0', '101', '-1', '1.5', '1e309')) }),
		roles: ['visitor', 'member'],
	},
	{
		name: 'POST /api/v1/notifications/read',
		expect: 'api',
		method: 'POST',
		path: () => fc.constant('/api/v1/notifications/read'),
		input: 'json',
		jsonFields: () => ({ ids: json(fc.oneof(fc.constant([1, 2]), fc.array(fc.integer({ min: -5, max: 2 ** 40 }), { maxLength: 150 }))) }),
		roles: ['visitor', 'member'],
	},
	...['POST', 'DELETE'].flatMap((method): Endpoint[] => [
		{ name: `${method} /api/v1/questions/{id}/follow`, expect: 'api', method, path: (f) => idText(f.questionId).map((id) => `/api/v1/questions/${percent(id)}/follow`), input: 'none', roles: ['visitor', 'member'] },
		{ name: `${method} /api/v1/tags/{name}/follow`, expect: 'api', method, path: () => fc.oneof(fc.constantFrom('export', 'billing'), hostileSegment).map((name) => `/api/v1/tags/${percent(name)}/follow`), input: 'none', roles: ['visitor', 'member'] },
	]),
	{
		name: 'POST /resources/follow',
		expect: 'form',
		method: 'POST',
		path: () => fc.constant('/resources/follow'),
		input: 'form',
		fields: (f) => ({ kind: field(fc.constantFrom('question', 'tag')), questionId: field(idText(f.questionId)), tag: field(fc.constantFrom('export', 'billing')), following: field(fc.constantFrom('true', 'false')), redirectTo }),
		roles: ['visitor', 'member'],
	},
	{ name: 'POST /notifications', expect: 'form', method: 'POST', path: () => fc.constant('/notifications'), input: 'form', fields: () => ({ intent: field(fc.constant('mark-all-read')) }), roles: ['visitor', 'member'] },
	{
		name: 'GET /resources/mention-suggest',
		expect: 'api',
		method: 'GET',
		path: () => fc.constant('/resources/mention-suggest'),
		input: 'query',
		fields: () => ({ q: field(words(1, 20)) }),
		roles: ['visitor', 'member'],
	},
	{
		name: 'GET notification and mention pages',
		expect: 'page',
		method: 'GET',
		path: () =>
			fc
				.tuple(fc.constantFrom('/notifications/', '/u/', '/settings/following', '/notifications'), fc.oneof(fc.constantFrom('1', '2147483648', 'member'), hostileSegment))
				.map(([prefix, rest]) => (prefix.endsWith('/') ? `${prefix}${percent(rest)}` : prefix)),
		input: 'query',
		fields: () => ({ page: field(fc.constantFrom('1', '0', '10001', 'x')) }),
		roles: ['visitor', 'member'],
	},
	{
		name: 'other methods and paths under /api/',
		expect: 'api',
		method: 'PUT',
		path: (f) =>
			fc.oneof(
				fc.constantFrom('/api/v1/questions', `/api/v1/questions/${f.questionId}`, '/api/v1/search', '/api/v1/feedback', '/api/v1/insights/summary', '/api/v1/me', '/api/v1/people', `/api/v1/people/${f.targetId}`),
				hostileSegment.map((p) => `/api/${percent(p)}`),
			),
		input: 'json',
		jsonFields: () => ({ title: json(title) }),
		roles: ['visitor', 'member'],
	},

	// Loaders that read URL parameters.
	{
		name: 'GET /sso/jwt',
		expect: 'page',
		method: 'GET',
		path: () => fc.constant('/sso/jwt'),
		input: 'query',
		// This server has no single sign-on set up: every token is refused, and none may start a session or fail with a 500.
		fields: () => ({ token: field(fc.constantFrom('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'a.b.c', 'eyJhbGciOiJIUzI1NiJ9.e30.sig')), return_to: redirectTo }),
		roles: ['visitor', 'member'],
	},
	{
		name: 'GET /resources/search-suggest',
		expect: 'api',
		method: 'GET',
		path: () => fc.constant('/resources/search-suggest'),
		input: 'query',
		fields: () => ({ ...searchFields(), scope: field(fc.constantFrom('answers', 'originals', 'all')) }),
		roles: ['visitor', 'member'],
	},
	{
		name: 'GET /resources/account-suggest',
		expect: 'api',
		method: 'GET',
		path: () => fc.constant('/resources/account-suggest'),
		input: 'query',
		fields: () => ({ q: field(words(1, 20)) }),
		roles: ['visitor', 'member', 'cs'],
	},
	{
		name: 'GET /resources/feedback',
		expect: 'api',
		method: 'GET',
		path: () => fc.constant('/resources/feedback'),
		input: 'query',
		fields: (f) => ({ targetType: field(fc.constantFrom('question', 'faq', 'tutorial')), targetId: field(idText(f.faqId)) }),
		roles: ['visitor', 'member'],
	},
	{
		name: 'GET /insights/export/{file}',
		expect: 'page',
		method: 'GET',
		path: () => fc.oneof(fc.constantFrom('daily.csv', 'accounts.csv', 'unanswered-topics.csv', 'account-questions.csv', 'pages.csv'), hostileSegment).map((file) => `/insights/export/${percent(file)}`),
		input: 'query',
		fields: (f) => ({ from: field(day), to: field(day), account: field(fc.constant(f.accountId)), plan: field(words(1, 20)), phase: field(phase) }),
		roles: ['visitor', 'cs'],
	},
	{
		name: 'GET pages with parameters',
		expect: 'page',
		method: 'GET',
		path: (f) =>
			fc.oneof(
				fc.constantFrom('/admin/people', '/admin/audit', '/admin/review', '/admin/moderation', '/settings/tokens', '/search', '/questions', '/insights', '/insights/accounts', '/insights/product', '/insights/pages', `/insights/accounts/${percent(f.accountId)}`, '/admin/accounts', '/admin/sso', '/tags', '/faq', '/tutorials', '/admin/mail', '/settings/email', `/unsubscribe/${f.unsubscribeToken}`, '/settings', '/settings/account', '/verify-email', '/forgot-password', `/users/${f.memberId}`),
				fc
					.tuple(fc.constantFrom('/questions/', '/faq/', '/tutorials/', '/faq/c/', '/answers/', '/admin/webhooks/', '/admin/accounts/', '/insights/accounts/', '/admin/mail/', '/unsubscribe/', '/users/', '/verify-email/', '/reset-password/', '/invitations/'), fc.oneof(idText(f.questionId), hostileSegment), fc.constantFrom('', '/edit', '/revisions', '/history', '/some-slug'))
					.map(([prefix, id, suffix]) => `${prefix}${percent(id)}${suffix}`),
			),
		input: 'query',
		fields: () => ({ ...searchFields(), questions: field(fc.constantFrom('1', '2', '0', '99999')), answers: field(fc.constantFrom('1', '-1')), sort: field(fc.constantFrom('newest', 'frequent')), from: field(day), to: field(day), account: field(words(1, 20)), plan: field(words(1, 20)), phase: field(phase), csm: field(fc.uuid()), role: field(fc.constantFrom('cs', 'owner')), action: field(fc.constantFrom('person.role_changed', 'nope')), person: field(fc.uuid()) }),
		roles: anyone,
		runs: RUNS * 2,
	},
	{
		name: 'GET sitemaps, robots.txt and feeds',
		expect: 'page',
		method: 'GET',
		path: () =>
			fc.oneof(
				fc.constantFrom('/sitemap.xml', '/robots.txt', '/feeds/questions.atom', '/feeds/faqs.atom'),
				fc.tuple(fc.constantFrom('questions', 'faqs', 'tutorials', 'categories', 'pages', 'users'), fc.oneof(fc.constantFrom('1', '0', '2', '999999', '1000000', '-1'), hostileSegment)).map(([kind, n]) => `/sitemaps/${kind}-${percent(n)}.xml`),
				fc.oneof(fc.constantFrom('billing', 'no-such-tag', ''), hostileSegment).map((tag) => `/feeds/tags/${percent(tag)}.atom`),
			),
		input: 'query',
		fields: () => ({ page: field(fc.constantFrom('1', 'x')) }),
		roles: ['visitor'],
	},
]

function tutorialFields(): Record<string, FieldSpec> {
	return {
		title: field(title),
		summary: field(body),
		estimatedMinutes: field(fc.constantFrom('5', '600', '0', '601', '1.5', '-3')),
		phase: field(phase),
		language: field(language),
		position: field(fc.constantFrom('0', '10000', '10001', '-1')),
		published: field(bool),
		'steps[0].title': field(words(1, 40)),
		'steps[0].body': markdown(body),
		'steps[99999999].title': field(words(1, 40)),
		'steps[99999999].body': markdown(body),
	}
}

function accountFields(externalId: fc.Arbitrary<string> = fc.stringMatching(/^fuzz-[a-z0-9]{4,12}$/)): Record<string, FieldSpec> {
	return {
		externalId: field(externalId),
		name: field(words(1, 60)),
		plan: field(words(1, 20)),
		size: field(words(1, 20)),
		industry: field(words(1, 20)),
		phase: field(phase),
		domains: field(fc.constantFrom('fuzz-acme.example', '@Fuzz.EXAMPLE', 'a..b', `${'x'.repeat(300)}.com`, 'fuzz-one.example; fuzz-two.example')),
		csmId: field(fc.uuid()),
	}
}

function searchFields(): Record<string, FieldSpec> {
	return {
		q: field(words(1, 60)),
		type: field(fc.constantFrom('question', 'faq', 'tutorial')),
		tag: field(fc.constantFrom('export', 'billing')),
		category: field(words(2, 30)),
		status: field(fc.constantFrom('solved', 'answered', 'unanswered')),
		limit: field(fc.constantFrom('1', '50', '51', '0')),
		page: field(fc.constantFrom('1', '100', '101', '0')),
		lang: field(fc.constantFrom('en', 'ja', 'all', 'fr')),
	}
}

// ------------------------------------------------------------------ cases

// What the cookie parser, the session lookup and the token lookup meet in the wild.
const badCookies = ['kz_session=%00', 'kz_session=%E0%A4%A', `kz_session=${'a'.repeat(4000)}`, 'kz_session="unterminated', 'kz_vid=%00; kz_session=%00', 'kz_session=a; kz_session=b', 'kz_lang=%00', 'kz_vid=../../etc']
const badTokens = ['Bearer ', 'Bearer kz_', `Bearer kz_${'x'.repeat(3000)}`, 'Bearer %00', 'Basic Zm9vOmJhcg==', 'Bearer a b', 'bearer KZ_UPPER']

function identities(endpoint: Endpoint, f: Fixtures): fc.Arbitrary<Identity> {
	const broken = fc.oneof(fc.constantFrom(...badCookies).map((cookie): Identity => ({ kind: 'bad-cookie', cookie })), fc.constantFrom(...badTokens).map((header): Identity => ({ kind: 'bad-token', header })))
	const own = endpoint.roles.flatMap((role): Identity[] => {
		if (role === 'visitor') return [{ kind: 'visitor' }]
		const session: Identity = { kind: 'session', role, cookie: f.sessions[role] }
		const token = role === 'member' || role === 'cs' ? f.tokens[role] : null
		return endpoint.expect === 'api' && token ? [session, { kind: 'token', role, token }] : [session]
	})
	return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...own) }, { weight: 2, arbitrary: broken })
}

const origins = (identity: Identity): fc.Arbitrary<Origin> =>
	identity.kind === 'session' ? fc.oneof({ weight: 6, arbitrary: fc.constant<Origin>('same') }, { weight: 1, arbitrary: fc.constantFrom<Origin>('foreign', 'none', 'null') }) : fc.constantFrom<Origin>('same', 'same', 'foreign', 'none')

function formBody(fields: Record<string, FieldSpec>): fc.Arbitrary<Body> {
	const record = fieldsOf(fields) as fc.Arbitrary<Array<[string, FieldValue]>>
	return fc.oneof(
		{ weight: 6, arbitrary: record.map((list): Body => ({ kind: 'form', fields: list })) },
		{ weight: 2, arbitrary: record.map((list): Body => ({ kind: 'multipart', fields: list })) },
		{ weight: 1, arbitrary: record.map((list): Body => ({ kind: 'json', value: Object.fromEntries(list) })) },
		{ weight: 2, arbitrary: hostileBody },
	)
}

function jsonBody(fields: Record<string, FieldSpec>): fc.Arbitrary<Body> {
	const record = fieldsOf(fields).map((entries) => Object.fromEntries(entries))
	return fc.oneof(
		{ weight: 6, arbitrary: record.map((value): Body => ({ kind: 'json', value })) },
		{ weight: 1, arbitrary: fc.oneof(record, hostileText, fc.array(fc.string())).map((value): Body => ({ kind: 'json', value })) },
		{ weight: 1, arbitrary: record.map((r): Body => ({ kind: 'form', fields: Object.entries(r).map(([k, v]) => [k, typeof v === 'string' || v === MISSING ? v : JSON.stringify(v)]) })) },
		{ weight: 2, arbitrary: hostileBody },
	)
}

/** Bodies no form or client of ours sends: wrong types, broken encodings, deep nesting, size. */
const hostileBody: fc.Arbitrary<Body> = fc.oneof(
	fc.constant<Body>({ kind: 'none' }),
	fc.constantFrom<string | null>('application/json', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=x', 'text/plain', 'application/xml', null).chain((contentType) =>
		fc
			.constantFrom('{oops', '\u0000\u0001\u0002', '%%%', 'a=%ZZ&b=%', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, `{"a":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_001)}`, '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nunterminated', `title=${'x'.repeat(2_000_000)}`, '"just a string"', '[1,2,3]', '')
			.map((text): Body => ({ kind: 'raw', contentType, text })),
	),
)

function caseArbitrary(endpoint: Endpoint, f: Fixtures): fc.Arbitrary<Case> {
	const bodyArb: fc.Arbitrary<Body> =
		endpoint.input === 'form' ? formBody(endpoint.fields!(f)) : endpoint.input === 'json' ? jsonBody(endpoint.jsonFields!(f)) : fc.constant({ kind: 'none' })
	const queryArb = endpoint.input === 'query' ? fieldsOf(endpoint.fields!(f)).map((entries) => query(entries.map(([k, v]) => [k, inUrl(v as FieldValue)]))) : fc.constant('')
	const identity = endpoint.visitorOnly ? fc.constantFrom<Identity>({ kind: 'visitor' }, ...badCookies.map((cookie): Identity => ({ kind: 'bad-cookie', cookie }))) : identities(endpoint, f)
	return fc
		.record({ path: endpoint.path(f), query: queryArb, body: bodyArb, identity, forwardedFor: fc.option(fc.ipV4(), { nil: undefined }) })
		.chain((c) => origins(c.identity).map((origin): Case => ({ method: endpoint.method, path: c.path + c.query, body: c.body, identity: c.identity, origin, forwardedFor: c.forwardedFor })))
}

// ------------------------------------------------------------------ fixtures


async function signIn(base: string, user: { email: string; password: string }): Promise<string> {
	const response = await fetch(`${base}/signin`, { method: 'POST', body: new URLSearchParams({ email: user.email, password: user.password }), redirect: 'manual', headers: { Origin: base } })
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith('kz_session='))
	if (response.status !== 302 || !cookie) throw new Error(`Signing in ${user.email} failed: ${response.status}`)
	return cookie.split(';')[0]!
}

async function formPost(base: string, cookie: string, path: string, fields: Record<string, string>): Promise<Response> {
	const response = await fetch(base + path, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual', headers: { Origin: base, Cookie: cookie } })
	if (response.status >= 400) throw new Error(`Fixture ${path} failed: ${response.status} ${(await response.text()).slice(0, 300)}`)
	return response
}

let db: ReturnType<typeof database>
let fixtures: Fixtures
let vocabulary: { synonyms: string; stopWords: string } = { synonyms: '', stopWords: '' }
let webhooksBefore = 0

test.beforeAll(async () => {
	test.setTimeout(90_000)
	db = database()
	const base = process.env.E2E_BASE_URL!
	const users = { member: await createUser('member'), cs: await createUser('cs'), admin: await createUser('admin') }
	const target = await createUser('member')
	const [memberToken, csToken] = [await apiToken(users.member), await apiToken(users.cs)]
	const sessions = { member: await signIn(base, users.member), cs: await signIn(base, users.cs), admin: await signIn(base, users.admin) }

	const api = (token: string, path: string, data: unknown) =>
		fetch(base + path, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(data) }).then((r) => r.json() as Promise<{ id: number }>)
	const question = await api(memberToken, '/api/v1/questions', { title: 'Fuzz fixture: exporting boards', body: 'How do I export a board for the fuzz suite?', tags: ['export'] })
	const answer = await api(csToken, `/api/v1/questions/${question.id}/answers`, { body: 'Use the board menu, then Export.' })
	const moderated = await api(memberToken, '/api/v1/questions', { title: 'Fuzz fixture: a question to moderate', body: 'Staff hide, lock and restore this one in the fuzz suite.', tags: ['export'] })
	const idFrom = (response: Response) => Number(/\/(\d+)/.exec(response.headers.get('location') ?? '')?.[1])
	const faqId = idFrom(await formPost(base, sessions.cs, '/faq/new', { title: 'Fuzz fixture FAQ about exports', body: 'Open the board menu and choose Export.', language: 'en', category: 'Fuzz' }))
	await formPost(base, sessions.cs, `/faq/${faqId}`, { intent: 'publish' })
	const tutorialId = idFrom(await formPost(base, sessions.cs, '/tutorials/new', { title: 'Fuzz fixture tutorial', summary: 'Steps for the fuzz suite.', estimatedMinutes: '5', phase: 'adoption', language: 'en', 'steps[0].title': 'First', 'steps[0].body': 'Do the first thing.' }))
	const accountId = unique('fuzz-account')
	await formPost(base, sessions.cs, '/admin/accounts?index', { externalId: accountId, name: 'Fuzz fixture account', phase: 'adoption', domains: '' })
	const searched = (await (await fetch(`${base}/api/v1/search?q=export`)).json()) as { searchId: string }

	const [saved] = (await db.sql`select synonyms, stop_words from search_vocabulary where id = 1`) as unknown as Array<{ synonyms: string[][]; stop_words: string[] }>
	vocabulary = { synonyms: (saved?.synonyms ?? []).map((group) => group.join(', ')).join('\n'), stopWords: (saved?.stop_words ?? []).join(' ') }
	webhooksBefore = ((await db.sql`select coalesce(max(id), 0)::int as max from webhooks`) as unknown as Array<{ max: number }>)[0]!.max
	// Refused where private addresses are (KIZUNA_ALLOW_PRIVATE_URLS unset): the cases then fuzz ids of webhooks that may not exist.
	await fetch(`${base}/admin/webhooks?index`, { method: 'POST', body: new URLSearchParams({ intent: 'create', url: 'http://127.0.0.1:9/fuzz-fixture', events: 'question.created' }), redirect: 'manual', headers: { Origin: base, Cookie: sessions.admin } })
	const [ids] = await db.sql`select
		(select max(id) from faq_revisions where faq_id = ${faqId})::int as "faqRevisionId",
		(select max(id) from tutorial_steps where tutorial_id = ${tutorialId})::int as "stepId",
		coalesce((select max(id) from webhooks), 1)::int as "webhookId",
		coalesce((select max(id) from webhook_deliveries), 1)::int as "deliveryId",
		coalesce((select max(id) from learned_phrasings), 1)::int as "phrasingId",
		coalesce((select max(id) from mails), 1)::int as "mailId"`
	fixtures = {
		base,
		sessions,
		tokens: { member: memberToken, cs: csToken },
		member: { email: users.member.email, password: users.member.password },
		memberId: users.member.id,
		targetId: target.id,
		questionId: question.id,
		answerId: answer.id,
		moderatedQuestionId: moderated.id,
		faqId,
		tutorialId,
		accountId,
		searchId: searched.searchId,
		unsubscribeToken: await unsubscribeToken(appDb, users.member.id, 'answer'),
		...(ids as { faqRevisionId: number; stepId: number; webhookId: number; deliveryId: number; phrasingId: number; mailId: number }),
	}
})

test.afterAll(async () => {
	// The suite shares its server with the other specs: leave search vocabulary and webhooks as they were.
	if (fixtures) {
		const admin = fixtures.sessions.admin
		await fetch(`${fixtures.base}/admin/search`, { method: 'POST', body: new URLSearchParams(vocabulary), headers: { Origin: fixtures.base, Cookie: admin } })
		const created = await db.sql`select id from webhooks where id > ${webhooksBefore}`
		for (const { id } of created) await fetch(`${fixtures.base}/admin/webhooks?index`, { method: 'POST', body: new URLSearchParams({ intent: 'delete', id: String(id) }), headers: { Origin: fixtures.base, Cookie: admin } })
	}
	await db?.sql.end()
})

// Control characters other than tab and newlines, as sent or as JSON escapes them, and percent-encoded in a URL.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|\\u00[01][0-9a-f]|%[01][0-9A-F]/
const hasControl = (value: unknown) => CONTROL.test(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))

/**
 * One stored post must not break the page it lands on (issue 10: `>` × 3,000 made a
 * thread answer 500 until staff repaired it): whatever was accepted is fetched back.
 */
async function afterwards(c: Case, answer: Answer): Promise<string[]> {
	let target: string | null = null
	if (c.method === 'POST' && answer.status === 201 && answer.contentType.includes('application/json')) target = (JSON.parse(answer.text) as { url?: string }).url ?? null
	if (c.method === 'POST' && answer.status >= 300 && answer.status < 400 && answer.location) target = answer.location
	if (!target?.startsWith('/') || target.startsWith('//')) return []
	const page = target.split('#')[0]!
	const reads = [page, ...(/^\/questions\/(\d+)/.exec(page) ? [`/api/v1/questions/${/^\/questions\/(\d+)/.exec(page)![1]}`] : [])]
	const found: string[] = []
	for (const path of reads) {
		const read = await send(fixtures.base, { method: 'GET', path, body: { kind: 'none' }, identity: c.identity, origin: 'none' })
		if (read.status >= 500) found.push(`accepted (${answer.status}), but then GET ${path} answered ${read.status}`)
	}
	return found
}

/** A failure in a line: what went wrong, with what kind of request, and which fields carried control characters. */
function signature(c: Case, found: string[]) {
	const entries = c.body.kind === 'form' || c.body.kind === 'multipart' ? c.body.fields : c.body.kind === 'json' && c.body.value && typeof c.body.value === 'object' ? Object.entries(c.body.value) : []
	const spiked = entries.filter(([, value]) => hasControl(value)).map(([name]) => name)
	if (CONTROL.test(c.path)) spiked.unshift('URL')
	const what = found
		.map((p) => p.replace(/ \(content-type [^)]*\)| \(\d+ → \d+\)/g, '').replace(/Location .*/, 'Location …').replace(/\/\d+(\/[^ ]*)?/g, '/{id}'))
		.join('; ')
	return `${what} [${c.body.kind}${c.body.kind === 'raw' ? ` ${c.body.contentType ?? 'no content-type'}` : ''}, ${c.identity.kind}${spiked.length ? `, control characters in ${spiked.join(', ')}` : ''}]`
}

// One test, so that a failing endpoint does not restart the worker (and redo the
// fixtures) or hide the endpoints after it. Every case runs even after a failure;
// each endpoint lists its kinds of failure, each with one case and how to replay it
// (fast-check's path for an unshrunk case is its run number).
test('fuzz: every API endpoint, form action and parameterised loader', async () => {
	test.setTimeout(240_000)
	const report: string[] = []
	for (const endpoint of endpoints.filter((e) => !ONLY || e.name.includes(ONLY))) {
		await test.step(endpoint.name, async () => {
			const kinds = new Map<string, { count: number; example: string; run: number }>()
			let run = PATH ? Number(PATH.split(':')[0]) : 0
			let failed = 0
			const property = fc.asyncProperty(caseArbitrary(endpoint, fixtures), async (c) => {
				const thisRun = run++
				const before = await db.counts()
				let found: string[]
				let text = ''
				try {
					const answer = await send(fixtures.base, c)
					text = answer.text
					const after = answer.status >= 400 ? await db.counts() : before
					found = problems(endpoint.expect, answer, fixtures.base, before, after)
					if (found.length === 0) found = await afterwards(c, answer)
				} catch (error) {
					if (!(error instanceof NoAnswer && error.refusedLargeBody)) found = [error instanceof Error ? error.message : String(error)]
					else {
						const after = await db.counts()
						const changed = Object.keys(before).filter((table) => before[table] !== after[table])
						found = changed.length > 0 ? [`closed the connection on a large body but stored rows in ${changed.join(', ')}`] : []
					}
				}
				if (found.length === 0) return
				failed++
				const kind = signature(c, found)
				const seen = kinds.get(kind)
				if (seen) seen.count++
				else kinds.set(kind, { count: 1, run: thisRun, example: `${describeCase(c)}\n      → ${found.join('\n      → ')}${text && !text.startsWith('<!DOCTYPE') ? `\n      body: ${JSON.stringify(text.slice(0, 160))}` : ''}` })
			})
			const runs = endpoint.runs ?? RUNS
			// With a path, only that case runs.
			await fc.assert(property, { seed: SEED, path: PATH, numRuns: PATH ? 1 : runs })
			if (failed === 0) return
			const lines = [...kinds.entries()].map(([kind, k]) => `  ${k.count}× ${kind}\n    e.g. (FUZZ_SEED=${SEED} FUZZ_PATH=${k.run} FUZZ_ONLY='${endpoint.name}') ${k.example}`)
			report.push(`${endpoint.name}: ${failed} of ${runs} cases failed\n${lines.join('\n')}`)
		})
	}
	expect(report.length, `${report.length} endpoint(s) failed (seed ${SEED}):\n\n${report.join('\n\n')}\n`).toBe(0)
})
