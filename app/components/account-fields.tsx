import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { LifecyclePhase } from '#db/schema'
import { TextField } from './form'
import { phaseLabels } from '~/insights/labels'

export type AccountFormDefaults = {
	externalId: string
	name: string
	plan: string
	size: string
	industry: string
	phase: LifecyclePhase
	csmId: string | null
	domains: string[]
}

/**
 * Messages that name domains or accounts are a fixed sentence, ": " and the
 * names; only the sentence is a translation key.
 */
export function localizeMessage(t: TFunction, message: string) {
	const at = message.indexOf(': ')
	return at < 0 ? t(message) : `${t(message.slice(0, at))}: ${message.slice(at + 2)}`
}

function FieldMessage({ id, error }: { id: string; error?: string }) {
	const { t } = useTranslation()
	if (!error) return null
	return (
		<p className="field-error" id={`${id}-error`} role="alert">
			{localizeMessage(t, error)}
		</p>
	)
}

/** The fields of the new-account and edit-account forms. */
export function AccountFields({
	defaults,
	errors,
	csms,
}: {
	defaults?: AccountFormDefaults
	errors: Record<string, string>
	csms: Array<{ id: string; displayName: string }>
}) {
	const { t } = useTranslation()
	return (
		<>
			<div className="account-form-row">
				<TextField name="name" label={t('Account name')} defaultValue={defaults?.name} error={errors.name} maxLength={200} />
				<TextField
					name="externalId"
					label={t('CRM id')}
					hint={t('The id of this customer in your CRM; imports match accounts by it.')}
					defaultValue={defaults?.externalId}
					error={errors.externalId}
					maxLength={100}
				/>
			</div>
			<div className="account-form-row">
				<TextField name="plan" label={t('Plan')} defaultValue={defaults?.plan} error={errors.plan} maxLength={100} />
				<TextField name="size" label={t('Size')} defaultValue={defaults?.size} error={errors.size} maxLength={100} />
				<TextField name="industry" label={t('Industry')} defaultValue={defaults?.industry} error={errors.industry} maxLength={100} />
			</div>
			<div className="account-form-row">
				<div className="field">
					<label htmlFor="field-phase">{t('Lifecycle phase')}</label>
					<select id="field-phase" name="phase" defaultValue={defaults?.phase ?? 'onboarding'} aria-invalid={errors.phase ? true : undefined}>
						{Object.entries(phaseLabels).map(([value, label]) => (
							<option key={value} value={value}>
								{t(label)}
							</option>
						))}
					</select>
					<FieldMessage id="field-phase" error={errors.phase} />
				</div>
				<div className="field">
					<label htmlFor="field-csmId">{t('CSM')}</label>
					<select id="field-csmId" name="csmId" defaultValue={defaults?.csmId ?? ''} aria-invalid={errors.csmId ? true : undefined}>
						<option value="">{t('No CSM')}</option>
						{csms.map((csm) => (
							<option key={csm.id} value={csm.id}>
								{csm.displayName}
							</option>
						))}
					</select>
					<FieldMessage id="field-csmId" error={errors.csmId} />
				</div>
			</div>
			<div className="field">
				<label htmlFor="field-domains">{t('Email domains')}</label>
				<textarea
					id="field-domains"
					name="domains"
					rows={3}
					defaultValue={defaults?.domains.join('\n')}
					aria-invalid={errors.domains ? true : undefined}
					aria-describedby={errors.domains ? 'field-domains-error' : 'field-domains-hint'}
				/>
				<p className="hint" id="field-domains-hint">
					{t('People who sign up with an email at these domains join the account. Separate them with commas or new lines, e.g. acme.com')}
				</p>
				<FieldMessage id="field-domains" error={errors.domains} />
			</div>
		</>
	)
}
