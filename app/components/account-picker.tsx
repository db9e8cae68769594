import { useFetcher } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { plainField, TextField } from './form'

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
		<>
			<TextField
				field={plainField('account', error)}
				label={t('Account')}
				type="search"
				list="account-suggestions"
				autoComplete="off"
				maxLength={100}
				defaultValue={account?.externalId ?? ''}
				placeholder={t('All accounts')}
				hint={account ? account.name : t('Type an account name or CRM id; leave it empty for all accounts.')}
				onChange={(typed) => suggestions.load(`/resources/account-suggest?q=${encodeURIComponent(typed)}`)}
			/>
			<datalist id="account-suggestions">
				{(suggestions.data?.accounts ?? []).map((option) => (
					<option key={option.externalId} value={option.externalId}>
						{option.name}
					</option>
				))}
			</datalist>
		</>
	)
}
