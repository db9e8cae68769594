/**
 * Test data built through the domain modules, as the app itself writes it: the
 * integration tests call these directly, and the Playwright fixtures call them in the
 * worker's process against the worker's database (tests/e2e/support.ts), instead of
 * one CLI process per person, token or import (3–6 s each on this machine, most of the
 * end-to-end run before). Every name and email is unique, so tests that share a
 * database never collide.
 */
import { sql } from 'drizzle-orm'
import { db } from '../../db/client.server'
import { apiTokens, users, type Role } from '../../db/schema'
import { importAccountsCsv } from '../../app/accounts/import.server'
import { digest, newApiToken } from '../../app/auth/api-tokens.server'
import type { Actor } from '../../app/auth/permissions.server'
import { startSession } from '../../app/auth/session.server'
import { createUser } from '../../app/auth/users.server'
import { createQuestion } from '../../app/community/questions.server'
import { questionSchema } from '../../app/community/validation'
import { importContent as importKnowledge } from '../../app/knowledge/import.server'
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

/**
 * Confirms the address of someone who signed up through the form, as following
 * the link in their mail does (the link itself is only in the mail: its hash is stored).
 */
export async function confirmAddressOf(email: string) {
	await db.update(users).set({ emailVerifiedAt: new Date() }).where(sql`lower(${users.email}) = lower(${email})`)
}

/**
 * A working API token of `userId`, written straight to the table: test data, not an
 * action anyone took, so it has no audit entry (the app issues tokens only through
 * app/people/api-tokens.server.ts).
 */
export async function createApiToken(userId: string, name?: string): Promise<string> {
	const token = newApiToken()
	await db.insert(apiTokens).values({ userId, tokenHash: digest(token), name })
	return token
}

/** An API token of this person. */
export const apiToken = (who: Actor) => createApiToken(who.id)

/** The value of a session cookie (`kz_session`) of this person, as signing in sets it. */
export async function sessionCookie(who: Actor): Promise<string> {
	const header = await startSession(who.id, false)
	return decodeURIComponent(/^kz_session=([^;]*)/.exec(header)![1]!)
}

/** Accounts loaded from CRM CSV text, as `accounts:import` does. */
export const importAccounts = (csv: string) => importAccountsCsv(csv)

export async function question(asker: Actor, overrides: Record<string, unknown> = {}) {
	return createQuestion(asker, questionSchema.parse({ title: `A question ${unique('q')}`, body: 'What happens when I try this?', ...overrides }))
}

/** Questions, FAQs and tutorials in the import format, loaded and indexed as `npm run cli -- import` does. */
export async function importContent(content: object) {
	const report = await importKnowledge(content)
	await runPendingJobs()
	return report
}
