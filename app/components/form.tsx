import { useForm, type DefaultValue, type SubmissionResult } from '@conform-to/react'
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react'
import { useTranslation } from 'react-i18next'
import { translateMessage } from '~/i18n/i18n'
import type { z, ZodTypeAny } from 'zod'
import { parseForm } from '~/utils/form'

/**
 * A form checked in the browser with the schema its action parses (app/utils/form.ts):
 * a field is checked when it loses focus, then again as it is corrected (a form whose
 * schema only the server can run is checked when sent), and the
 * action's result (`{ result }`, see formAction) brings the server's messages,
 * which are the only ones when JavaScript is off.
 */
export function useSchemaForm<S extends ZodTypeAny>(
	/** Null for a form whose schema only the server can run (it reads the database or server-only modules). */
	schema: S | null,
	{ lastResult, defaultValue, id }: { lastResult?: SubmissionResult<string[]> | null; defaultValue?: DefaultValue<z.input<S>>; id?: string } = {},
) {
	return useForm<z.input<S>, z.output<S>>({
		id,
		lastResult,
		defaultValue,
		onValidate: schema ? ({ formData }) => parseForm(formData, schema) : undefined,
		// Without a schema in the browser, Conform would check a field on blur by posting the
		// form: such a request could land after the submit that followed and replace its
		// result, hiding the messages of the fields it did not check (seen with the webhook form).
		shouldValidate: schema ? 'onBlur' : 'onSubmit',
		shouldRevalidate: schema ? 'onInput' : 'onSubmit',
	})
}

/**
 * What a field component needs of a field: Conform's field metadata has it, and
 * `plainField` gives it to the fields of GET filter forms, whose problems come from
 * the loader. Every field's `aria-invalid` and `aria-describedby` are set here.
 */
export type FieldState = {
	id: string
	name: string
	errorId: string
	descriptionId: string
	errors?: string[]
	initialValue?: unknown
	key?: string | undefined
}

export const plainField = (name: string, error?: string, id = `field-${name}`): FieldState => ({
	id,
	name,
	errorId: `${id}-error`,
	descriptionId: `${id}-hint`,
	errors: error ? [error] : undefined,
})

const invalid = (field: FieldState) => Boolean(field.errors?.length)

/** The attributes tying a control to its field: name, id, validity and the hint and error that describe it. */
export function controlProps(field: FieldState, { hint = false }: { hint?: boolean } = {}) {
	const describedBy = [hint ? field.descriptionId : null, invalid(field) ? field.errorId : null].filter(Boolean).join(' ')
	return { id: field.id, name: field.name, 'aria-invalid': invalid(field) || undefined, 'aria-describedby': describedBy || undefined }
}

/** A value Conform keeps for a field (what was submitted, or the form's default) as a control's initial text. */
export const initialText = (field: FieldState, fallback = '') => (typeof field.initialValue === 'string' ? field.initialValue : fallback)

/** A field's first problem (a field shows one at a time, the one to fix first). */
export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
	const { i18n } = useTranslation()
	const message = errors?.[0]
	if (!message) return null
	return (
		<p className="field-error" id={id} role="alert">
			{translateMessage(i18n, message)}
		</p>
	)
}

/**
 * The form's own problem: a refusal that belongs to no field, or the summary pointing
 * at the fields. `inline` sets it beside a lone button (a vote, a move) instead of
 * above a form.
 */
export function FormError({ errors, inline = false }: { errors?: string[] | null; inline?: boolean }) {
	const { i18n } = useTranslation()
	const message = errors?.[0]
	if (!message) return null
	return inline ? (
		<span className="field-error" role="alert">
			{translateMessage(i18n, message)}
		</span>
	) : (
		<p className="form-error" role="alert">
			{translateMessage(i18n, message)}
		</p>
	)
}

function Hint({ field, hint }: { field: FieldState; hint?: ReactNode }) {
	return hint ? (
		<p className="hint" id={field.descriptionId}>
			{hint}
		</p>
	) : null
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name' | 'defaultValue' | 'onChange'> & { onChange?: (value: string) => void }

export function TextField({
	field,
	label,
	hint,
	type = 'text',
	defaultValue,
	onChange,
	...input
}: { field: FieldState; label: string; hint?: ReactNode; defaultValue?: string } & InputProps) {
	return (
		<div className="field">
			<label htmlFor={field.id}>{label}</label>
			<input
				key={field.key}
				type={type}
				defaultValue={initialText(field, defaultValue)}
				{...input}
				{...controlProps(field, { hint: Boolean(hint) })}
				onChange={onChange ? (e) => onChange(e.target.value) : undefined}
			/>
			<Hint field={field} hint={hint} />
			<ErrorList id={field.errorId} errors={field.errors} />
		</div>
	)
}

export function TextareaField({
	field,
	label,
	hint,
	...textarea
}: { field: FieldState; label: string; hint?: ReactNode } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'name' | 'defaultValue'>) {
	return (
		<div className="field">
			<label htmlFor={field.id}>{label}</label>
			<textarea key={field.key} defaultValue={initialText(field)} {...textarea} {...controlProps(field, { hint: Boolean(hint) })} />
			<Hint field={field} hint={hint} />
			<ErrorList id={field.errorId} errors={field.errors} />
		</div>
	)
}

export function SelectField({
	field,
	label,
	options,
	defaultValue,
	hint,
	...select
}: {
	field: FieldState
	label: string
	options: Array<{ value: string; label: string }>
	defaultValue?: string
	hint?: ReactNode
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'name' | 'defaultValue'>) {
	return (
		<div className="field">
			<label htmlFor={field.id}>{label}</label>
			<select key={field.key} defaultValue={initialText(field, defaultValue)} {...select} {...controlProps(field, { hint: Boolean(hint) })}>
				{options.map((option) => (
					<option key={option.value} value={option.value}>
						{option.label}
					</option>
				))}
			</select>
			<Hint field={field} hint={hint} />
			<ErrorList id={field.errorId} errors={field.errors} />
		</div>
	)
}

/** A select among the filters of a GET form; `error` marks a value the page could not use. */
export function FilterSelect({
	name,
	label,
	value,
	options,
	anyLabel,
	error,
}: {
	name: string
	label: string
	value: string | undefined
	options: Array<{ value: string; label: string }>
	anyLabel?: string
	error?: string
}) {
	const { t } = useTranslation()
	return <SelectField field={plainField(name, error, `filter-${name}`)} label={label} defaultValue={value ?? ''} options={[{ value: '', label: anyLabel ?? t('Any') }, ...options]} />
}
