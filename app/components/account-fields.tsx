import { useTranslation } from 'react-i18next'
import type { LifecyclePhase } from '#db/schema'
import { SelectField, TextareaField, TextField, type FieldState } from './form'
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

/** The fields of the new-account and edit-account forms. */
export function AccountFields({ fields, csms }: { fields: Record<'name' | 'externalId' | 'plan' | 'size' | 'industry' | 'phase' | 'csmId' | 'domains', FieldState>; csms: Array<{ id: string; displayName: string }> }) {
	const { t } = useTranslation()
	return (
		<>
			<div className="account-form-row">
				<TextField field={fields.name} label={t('Account name')} maxLength={200} />
				<TextField field={fields.externalId} label={t('CRM id')} hint={t('The id of this customer in your CRM; imports match accounts by it.')} maxLength={100} />
			</div>
			<div className="account-form-row">
				<TextField field={fields.plan} label={t('Plan')} maxLength={100} />
				<TextField field={fields.size} label={t('Size')} maxLength={100} />
				<TextField field={fields.industry} label={t('Industry')} maxLength={100} />
			</div>
			<div className="account-form-row">
				<SelectField field={fields.phase} label={t('Lifecycle phase')} defaultValue="onboarding" options={Object.entries(phaseLabels).map(([value, label]) => ({ value, label: t(label) }))} />
				<SelectField field={fields.csmId} label={t('CSM')} options={[{ value: '', label: t('No CSM') }, ...csms.map((csm) => ({ value: csm.id, label: csm.displayName }))]} />
			</div>
			<TextareaField
				field={fields.domains}
				label={t('Email domains')}
				rows={3}
				hint={t('People who sign up with an email at these domains join the account. Separate them with commas or new lines, e.g. acme.com')}
			/>
		</>
	)
}
