import { useFetcher } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

type Suggestions = { accounts?: Array<{ externalId: string; name: string }> }

/**
 * The insights account filter: a CRM id with suggestions by name or id as staff
 * type (a select of every account does not scale to tens of thousands). Empty
 * means all accounts.
 */
export function AccountPicker({ account, error }: { account: { externalId: string; name: string } | null; error?: string }) {
	const { t } = useTranslation()
	const suggestions = useFetcher<Suggestions>()
	return (
		<div className="field">
			<label htmlFor="filter-account">{t('Account')}</label>
			<input
				id="filter-account"
				name="account"
				type="search"
				list="account-suggestions"
				autoComplete="off"
				maxLength={100}
				defaultValue={account?.externalId ?? ''}
				placeholder={t('All accounts')}
				aria-describedby="filter-account-hint"
				aria-invalid={error ? true : undefined}
				onChange={(event) => suggestions.load(`/resources/account-suggest?q=${encodeURIComponent(event.currentTarget.value)}`)}
			/>
			<datalist id="account-suggestions">
				{(suggestions.data?.accounts ?? []).map((option) => (
					<option key={option.externalId} value={option.externalId}>
						{option.name}
					</option>
				))}
			</datalist>
			<p className="hint" id="filter-account-hint">
				{account ? account.name : t('Type an account name or CRM id; leave it empty for all accounts.')}
			</p>
			{error ? <p className="field-error">{t(error)}</p> : null}
		</div>
	)
}
