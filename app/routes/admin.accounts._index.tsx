import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { createAccount, listAccounts } from '~/accounts/accounts.server'
import { accountFiltersSchema, accountFormSchema } from '~/accounts/validation'
import { requireSignedIn } from '~/auth/pages.server'
import { AccountFields } from '~/components/account-fields'
import { getFormProps } from '@conform-to/react'
import { FilterSelect, FormError, useSchemaForm } from '~/components/form'
import { Pager } from '~/components/pager'
import stylesUrl from '~/styles/accounts.css?url'
import { parseForm } from '~/utils/form'
import { formAction } from '~/utils/http.server'
import { readPage } from '~/utils/paging'
import { phaseLabels } from '~/insights/labels'
import { ColumnHeads, figures } from '~/components/column-heads'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Accounts'))
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesUrl }]

export async function loader({ context, request }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request, 'accounts:manage')
	const params = new URL(request.url).searchParams
	const filters = accountFiltersSchema.parse(Object.fromEntries(params))
	return { ...(await listAccounts(actor, filters, readPage(params))), filters }
}

export async function action({ request, context }: ActionFunctionArgs) {
	// The account schema is checked on the server only: it loads the database's enums.
	return formAction(parseForm(await request.formData(), accountFormSchema), async (input) => {
		const account = await createAccount(context.actor, input)
		return redirect(account.url)
	})
}

export default function Accounts() {
	const { t } = useTranslation()
	const { accounts, page, plans, csms, filters } = useLoaderData<typeof loader>()
	const [form, fields] = useSchemaForm<typeof accountFormSchema>(null, { lastResult: useActionData<typeof action>()?.result })
	const busy = useNavigation().state === 'submitting'
	const filtered = filters.plan !== undefined || filters.phase !== undefined || filters.csm !== undefined
	return (
		<section className="accounts-page">
			<div className="page-heading">
				<h1>{t('Accounts')}</h1>
				<a href="#new-account" className="button primary">
					{t('New account')}
				</a>
			</div>

			<section className="card">
				<Form method="get" className="account-filters">
					<FilterSelect name="plan" label={t('Plan')} value={filters.plan} options={plans.map((plan) => ({ value: plan, label: plan }))} />
					<FilterSelect name="phase" label={t('Lifecycle phase')} value={filters.phase} options={Object.entries(phaseLabels).map(([value, label]) => ({ value, label: t(label) }))} />
					<FilterSelect name="csm" label={t('CSM')} value={filters.csm} options={csms.map((csm) => ({ value: csm.id, label: csm.displayName }))} />
					<button type="submit" className="button">
						{t('Apply')}
					</button>
					{filtered ? <Link to="/admin/accounts">{t('Clear filters')}</Link> : null}
				</Form>

				{accounts.length === 0 ? (
					<p className="muted">{filtered ? t('No accounts match these filters.') : t('No accounts yet. Create one below or import them with the command line.')}</p>
				) : (
					<div className="table-scroll">
						<table className="data-table">
							<ColumnHeads columns={[t('Account name'), t('CRM id'), t('Plan'), t('Lifecycle phase'), t('CSM'), figures(t('Members')), t('Email domains')]} />
							<tbody>
								{accounts.map((account) => (
									<tr key={account.externalId} data-testid="account-row">
										<th scope="row">
											<Link to={account.url}>{account.name}</Link>
										</th>
										<td>
											<code>{account.externalId}</code>
										</td>
										<td>{account.plan}</td>
										<td>{t(phaseLabels[account.phase])}</td>
										<td>{account.csm ?? <span className="muted">{t('No CSM')}</span>}</td>
										<td className="number">{account.members}</td>
										<td>{account.domains.join(', ')}</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				)}
				<Pager info={page} label={t('Pages of accounts')} />
			</section>

			<section className="card" id="new-account">
				<h2>{t('New account')}</h2>
				<Form method="post" {...getFormProps(form)}>
					<FormError errors={form.errors} />
					<AccountFields fields={fields} csms={csms} />
					<button type="submit" className="button primary" disabled={busy}>
						{t('Create account')}
					</button>
				</Form>
			</section>
		</section>
	)
}
