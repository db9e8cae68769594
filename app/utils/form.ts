import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod, type Submission } from '@conform-to/zod'
import { z, type ZodTypeAny } from 'zod'
import { cleanInput } from './input'

/**
 * A form's schema behind the input boundary (./input.ts), so the browser refuses
 * control characters and reads invisible text as empty exactly as the server does.
 */
function atBoundary<S extends ZodTypeAny>(schema: S) {
	return z.preprocess((value, ctx) => {
		const cleaned = cleanInput(value)
		for (const issue of cleaned.issues) ctx.addIssue(issue)
		return cleaned.value
	}, schema)
}

/**
 * The one way a form is read, in the browser (Conform's onValidate) and in the
 * action: field names such as `steps[0].title` become nested values. Conform's
 * coercion stays off: it reads an empty field as a missing one, which would answer
 * zod's untranslated "Required" where the shared schemas (also used by the JSON API
 * and imports) say what to enter; they convert numbers and checkboxes themselves.
 */
export function parseForm<S extends ZodTypeAny>(formData: FormData, schema: S): Submission<z.input<S>, string[], z.output<S>> {
	const read = (data: FormData) => parseWithZod(withinListBounds(data), { schema: atBoundary(schema), disableAutoCoercion: true }) as Submission<z.input<S>, string[], z.output<S>>
	try {
		return read(formData)
	} catch (error) {
		// Conform throws on an intent it cannot apply (not JSON, or a list change on a
		// field that is no list), which no page of Kizuna's sends: the form is read as
		// plainly sent instead of failing with a 500.
		if (!formData.has(INTENT)) throw error
		const plain = new FormData()
		for (const [name, value] of formData) if (name !== INTENT) plain.append(name, value)
		return read(plain)
	}
}

/** The field in which Conform's buttons (add, remove, move a list item; validate one field) say what they do. */
const INTENT = '__intent__'

// The longest list a form has is 30 tutorial steps. Conform builds an array as long as
// the largest index posted, so `steps[99999999].title` would make the schema (and the
// boundary) walk a hundred million entries before refusing them: such fields are dropped.
const MAX_LIST_INDEX = 99

function withinListBounds(formData: FormData): FormData {
	const beyond = (name: string) => [...name.matchAll(/\[(\d+)\]/g)].some((match) => Number(match[1]) > MAX_LIST_INDEX)
	if (![...formData.keys()].some(beyond)) return formData
	const kept = new FormData()
	for (const [name, value] of formData) if (!beyond(name)) kept.append(name, value)
	return kept
}

/** What a form action answers when it refuses: Conform's submission result, read by the form's useForm (lastResult) or, for a lone button, resultErrors. */
export type FormResult = { result: SubmissionResult<string[]> }

/** The messages of one field (or of the whole form, '') in an action's result, for forms without Conform state such as a single button. */
export const resultErrors = (result: FormResult['result'] | undefined, name = '') => result?.error?.[name] ?? undefined
