import type { Submission, SubmissionResult } from '@conform-to/react'
import { json, type AppLoadContext, type TypedResponse } from '@remix-run/node'
import { translateRefusal } from '~/i18n/i18n'
import type { Locale } from '~/i18n/locales'
import type { FormResult } from './form'
import { z, ZodError, type ZodTypeAny } from 'zod'
import { asDomainError, DomainError } from './errors.server'
import { log } from './log.server'
import { idSchema, safeParseInput } from './input'

/** Parses input through the input boundary and a zod schema, or refuses with the first problem as a readable reason. */
export function parseInput<S extends ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
	const result = safeParseInput(schema, input)
	if (result.success) return result.data
	throw invalidInput(result.error)
}

export function invalidInput(error: ZodError): DomainError {
	const fieldErrors: Record<string, string> = {}
	for (const issue of error.issues) {
		const field = issue.path.join('.') || 'form'
		fieldErrors[field] ??= issue.message
	}
	const first = error.issues[0]
	const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : ''
	return new DomainError('invalid', `${where}${first?.message ?? 'Invalid input'}`, fieldErrors)
}

export async function readJsonBody(request: Request): Promise<unknown> {
	const type = request.headers.get('content-type') ?? ''
	if (!type.includes('application/json')) throw new DomainError('invalid', 'Send a JSON body with Content-Type: application/json')
	// Its size was bounded while it streamed in (app/server/body-limit.ts).
	const text = await request.text()
	try {
		return text ? JSON.parse(text) : {}
	} catch {
		throw new DomainError('invalid', 'The request body is not valid JSON')
	}
}

export const idParam = idSchema

/** For page loaders: a route id that is not a valid id is a page that does not exist, not a 400. */
export function routeId(value: string | undefined): number {
	const id = idParam.safeParse(value)
	if (!id.success) throw new Response('Not found', { status: 404 })
	return id.data
}

/** For page loaders: refusals become 4xx responses so the ErrorBoundary shows 404/403/401, never a 500. */
export function pageError(error: unknown): never {
	const refusal = asDomainError(error)
	if (refusal) throw new Response(refusal.message, { status: refusal.status, headers: refusalHeaders(refusal) })
	throw error
}

/** A rate-limit refusal says when to come back. */
export const refusalHeaders = (error: DomainError): Record<string, string> => (error.retryAfter ? { 'Retry-After': String(error.retryAfter) } : {})

/** A failure as its status and English reason: refusals are 4xx, anything else a logged 500. */
export function failureOf(error: unknown): { status: number; message: string; headers: Record<string, string> } {
	const refusal = error instanceof ZodError ? invalidInput(error) : asDomainError(error)
	if (refusal) {
		if (refusal.code === 'unavailable') log.error({ err: error }, refusal.message)
		return { status: refusal.status, message: refusal.message, headers: refusalHeaders(refusal) }
	}
	log.error({ err: error }, 'Request failed')
	return { status: 500, message: 'Something went wrong on our side', headers: {} }
}

/** An API failure as `{"error": reason}` in the requester's language, and its status. */
export function apiFailure(error: unknown, locale: Locale): { status: number; body: { error: string }; headers: Record<string, string> } {
	const { status, message, headers } = failureOf(error)
	return { status, body: { error: translateRefusal(locale, message) }, headers }
}

/** For API routes: refusals become `{"error": reason}` with their 4xx status. */
export async function apiResponse(context: AppLoadContext, run: () => Promise<Response>): Promise<Response> {
	try {
		return await run()
	} catch (error) {
		if (error instanceof Response) throw error
		const failure = apiFailure(error, context.locale)
		return json(failure.body, { status: failure.status, headers: failure.headers })
	}
}

const CORRECT_FIELDS = 'Please correct the highlighted fields.'

// Never sent back to the browser in a form's result.
const SECRET_FIELDS = ['password', 'currentPassword', 'newPassword']

/** Zod's path (`steps.0.title`) as the form field's name (`steps[0].title`). */
const fieldName = (path: string) => path.replace(/\.(\d+)(?=\.|$)/g, '[$1]')

function refusalResult(refusal: DomainError, submission?: Submission<unknown>): SubmissionResult<string[]> {
	const fields = Object.entries(refusal.fieldErrors).filter(([field]) => field !== 'form')
	// Field problems are shown beside their fields; the summary only points at them.
	const formErrors = [fields.length > 0 ? CORRECT_FIELDS : refusal.message]
	const fieldErrors = Object.fromEntries(fields.map(([field, message]) => [fieldName(field), [message]]))
	return submission ? submission.reply({ formErrors, fieldErrors, hideFields: SECRET_FIELDS }) : { status: 'error', error: { '': formErrors, ...fieldErrors } }
}

/** For form actions without a form schema of their own (a lone button): refusals come back as the form's messages. */
export async function formResponse<T>(run: () => Promise<T>): Promise<T | TypedResponse<FormResult>> {
	try {
		return await run()
	} catch (error) {
		const refusal = asDomainError(error)
		if (refusal) return json<FormResult>({ result: refusalResult(refusal) }, { status: refusal.status, headers: refusalHeaders(refusal) })
		throw error
	}
}

/**
 * For form actions: a submission its schema refused (or a list intent such as "add
 * a step" sent without JavaScript) goes back to the form; otherwise `run` gets the
 * parsed value (and the submission, to answer `submission.reply({ resetForm: true })`
 * when a form that stays on the page should start afresh), and a refusal from the
 * domain goes back with its status, its field messages on their fields.
 */
export async function formAction<V, T>(submission: Submission<unknown, string[], V>, run: (value: V, submission: Submission<unknown, string[], V>) => Promise<T>): Promise<T | TypedResponse<FormResult>> {
	if (submission.status !== 'success') {
		const formErrors = submission.status === 'error' ? (submission.error?.[''] ?? [CORRECT_FIELDS]) : undefined
		return json<FormResult>({ result: submission.reply({ formErrors, hideFields: SECRET_FIELDS }) }, { status: submission.status === 'error' ? 400 : 200 })
	}
	try {
		return await run(submission.value, submission)
	} catch (error) {
		const refusal = asDomainError(error)
		if (refusal) return json<FormResult>({ result: refusalResult(refusal, submission) }, { status: refusal.status, headers: refusalHeaders(refusal) })
		throw error
	}
}
