import { useTranslation } from 'react-i18next'

export function FormError({ message }: { message?: string }) {
	const { t } = useTranslation()
	if (!message) return null
	return (
		<p className="form-error" role="alert">
			{t(message)}
		</p>
	)
}

export function TextField({
	name,
	label,
	error,
	hint,
	type = 'text',
	defaultValue,
	autoComplete,
	maxLength,
	list,
	placeholder,
	onChange,
}: {
	name: string
	label: string
	error?: string
	hint?: string
	type?: string
	defaultValue?: string
	autoComplete?: string
	maxLength?: number
	/** The id of a <datalist> of suggestions. */
	list?: string
	placeholder?: string
	onChange?: (value: string) => void
}) {
	const { t } = useTranslation()
	const id = `field-${name}`
	return (
		<div className="field">
			<label htmlFor={id}>{label}</label>
			<input
				id={id}
				name={name}
				type={type}
				defaultValue={defaultValue}
				autoComplete={autoComplete}
				maxLength={maxLength}
				list={list}
				placeholder={placeholder}
				aria-invalid={error ? true : undefined}
				aria-describedby={error ? `${id}-error` : undefined}
				onChange={onChange ? (e) => onChange(e.target.value) : undefined}
			/>
			{hint ? <p className="hint">{hint}</p> : null}
			{error ? (
				<p className="field-error" id={`${id}-error`} role="alert">
					{t(error)}
				</p>
			) : null}
		</div>
	)
}

/** A select among the filters; `error` marks a value the page could not use. */
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
	return (
		<div className="field">
			<label htmlFor={`filter-${name}`}>{label}</label>
			<select id={`filter-${name}`} name={name} defaultValue={value ?? ''} aria-invalid={error ? true : undefined}>
				<option value="">{anyLabel ?? t('Any')}</option>
				{options.map((option) => (
					<option key={option.value} value={option.value}>
						{option.label}
					</option>
				))}
			</select>
			{error ? <p className="field-error">{t(error)}</p> : null}
		</div>
	)
}
