/**
 * Test data built through the domain modules, as the app itself writes it: the
 * integration tests call these directly, and the Playwright fixtures call them in the
 * worker's process against the worker's database (tests/e2e/support.ts), instead of
 * one CLI process per person, token or import (3–6 s each on this machine, most of the
 * end-to-end run before). Every name and email is unique, so tests that share a
 * database never collide.
 */
import type { Role } from '../../db/schema'
import { createAccount } from '../../app/accounts/accounts.server'
import { importAccountsCsv } from '../../app/accounts/import.server'
import { accountFormSchema } from '../../app/accounts/validation'
import { createApiToken } from '../../app/auth/api-tokens.server'
import type { Actor } from '../../app/auth/permissions.server'
import { startSession } from '../../app/auth/session.server'
import { createUser } from '../../app/auth/users.server'
import { createAnswer, createQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { createFaq, faqSchema, setFaqPublished } from '../../app/knowledge/faqs.server'
import { importContent as importKnowledge } from '../../app/knowledge/import.server'
import { createTutorial, tutorialSchema } from '../../app/knowledge/tutorials.server'
import { runPendingJobs } from '../../app/jobs/worker.server'

export const PASSWORD = 'correct horse battery'

let counter = 0
/** A label no other test, worker or run uses. */
export const unique = (label: string) => `${label}-${Date.now().toString(36)}-${process.pid.toString(36)}-${++counter}`

export type Person = Actor & { password: string }

/**
 * A person with the given role, called "`name` N" unless `displayName` is given;
 * `email` chooses the address (e.g. at a customer account's domain).
 */
export async function person(role: Role = 'member', name: string = role, options: { email?: string; displayName?: string } = {}): Promise<Person> {
	const email = options.email ?? `${unique(name.toLowerCase().replace(/[^a-z0-9]+/g, '-'))}@example.test`
	const user = await createUser({ email, password: PASSWORD, displayName: options.displayName ?? `${name} ${++counter}`, role })
	return { ...user, password: PASSWORD }
}

/** An API token of this person, as `token:create` makes it. */
export const apiToken = (who: Actor) => createApiToken(who.id)

/** The value of a session cookie (`kz_session`) of this person, as signing in sets it. */
export async function sessionCookie(who: Actor): Promise<string> {
	const header = await startSession(who.id, false)
	return decodeURIComponent(/^kz_session=([^;]*)/.exec(header)![1]!)
}

/** A customer account made by CS. */
export async function account(staff: Actor, overrides: Record<string, unknown> = {}) {
	const externalId = unique('crm')
	const input = accountFormSchema.parse({ externalId, name: `Account ${externalId}`, phase: 'adoption', domains: `${externalId}.example.test`, ...overrides })
	await createAccount(staff, input)
	return input
}

/** Accounts loaded from CRM CSV text, as `accounts:import` does. */
export const importAccounts = (csv: string) => importAccountsCsv(csv)

export async function question(asker: Actor, overrides: Record<string, unknown> = {}) {
	return createQuestion(asker, questionSchema.parse({ title: `A question ${unique('q')}`, body: 'What happens when I try this?', ...overrides }))
}

export const answer = (author: Actor, questionId: number, body = 'This is how it works for us.') => createAnswer(author, questionId, body)

/** A published FAQ (unless `published: false`). */
export async function faq(staff: Actor, overrides: Record<string, unknown> & { published?: boolean } = {}) {
	const { published = true, ...fields } = overrides
	const created = await createFaq(staff, faqSchema.parse({ title: `An FAQ ${unique('faq')}`, body: 'Here is the answer.', language: 'en', ...fields }))
	if (published) await setFaqPublished(staff, created.id, true)
	return created
}

export async function tutorial(staff: Actor, overrides: Record<string, unknown> = {}) {
	return createTutorial(
		staff,
		tutorialSchema.parse({ title: `A tutorial ${unique('t')}`, summary: 'What it teaches.', estimatedMinutes: 5, phase: 'onboarding', language: 'en', published: true, steps: [{ title: 'First', body: 'Do this.' }], ...overrides }),
	)
}

/** Questions, FAQs and tutorials in the import format, loaded and indexed as `npm run cli -- import` does. */
export async function importContent(content: object) {
	const report = await importKnowledge(content)
	await runPendingJobs()
	return report
}
