import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { assignMember, csmOptions, getAccount, removeMember, updateAccount } from '~/accounts/accounts.server'
import { accountFormSchema, assignMemberSchema } from '~/accounts/validation'
import { requireSignedIn } from '~/auth/pages.server'
import { AccountFields } from '~/components/account-fields'
import { FormError } from '~/components/form'
import { Pager } from '~/components/pager'
import { RelativeTime } from '~/components/relative-time'
import stylesUrl from '~/styles/accounts.css?url'
import { formResponse, pageError, parseInput, type FormFailure } from '~/utils/http.server'
import { readPage } from '~/utils/paging'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.account.name ?? 'Account'} · Kizuna` }]
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesUrl }]

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request, 'accounts:manage')
	try {
		return { account: await getAccount(actor, params.externalId ?? '', readPage(new URL(request.url).searchParams)), csms: await csmOptions(actor) }
	} catch (error) {
		pageError(error)
	}
}

const intentSchema = z.object({ intent: z.enum(['update', 'assign', 'remove']) })

export async function action({ request, params, context }: ActionFunctionArgs) {
	const externalId = params.externalId ?? ''
	const form = Object.fromEntries(await request.formData())
	return formResponse(async () => {
		const { intent } = parseInput(intentSchema, form)
		switch (intent) {
			case 'update': {
				const account = await updateAccount(context.actor, externalId, parseInput(accountFormSchema, form))
				// A new CRM id is a new address for the page.
				if (account.externalId !== externalId) return redirect(account.url)
				return json({ ok: true as const, intent, attached: account.attached })
			}
			case 'assign': {
				const { email } = parseInput(assignMemberSchema, form)
				const member = await assignMember(context.actor, externalId, email)
				return json({ ok: true as const, intent, displayName: member.displayName })
			}
			case 'remove': {
				const { userId } = parseInput(z.object({ userId: z.string().min(1) }), form)
				await removeMember(context.actor, externalId, userId)
				return json({ ok: true as const, intent })
			}
		}
	})
}

type AssignResult = { ok: true; displayName: string } | FormFailure
const failure = <T extends object>(data: T | FormFailure | undefined) => (data && 'formError' in data ? data : null)

export default function AccountPage() {
	const { t } = useTranslation()
	const { account, csms } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const problem = failure(result)
	const saved = result?.ok && result.intent === 'update' ? result : null
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="accounts-page">
			<p className="faq-breadcrumb">
				<Link to="/admin/accounts">{t('Accounts')}</Link>
			</p>
			<h1>{account.name}</h1>

			<section className="card">
				<h2>{t('Details')}</h2>
				{/* Keyed by the saved values so the fields show what was stored, e.g. normalised domains. */}
				<Form method="post" noValidate key={JSON.stringify(account)}>
					<input type="hidden" name="intent" value="update" />
					<FormError message={problem?.formError} />
					{saved ? (
						<p className="notice" role="status">
							{saved.attached > 0 ? t('Saved. People who joined by email domain: {{n}}', { n: saved.attached }) : t('Saved.')}
						</p>
					) : null}
					<AccountFields defaults={account} errors={problem?.fieldErrors ?? {}} csms={csms} />
					<button type="submit" className="button primary" disabled={busy}>
						{t('Save changes')}
					</button>
				</Form>
			</section>

			<section className="card">
				<h2>{t('Members ({{n}})', { n: account.membersPage.total })}</h2>
				{account.members.length === 0 ? (
					<p className="muted">{t('No members yet. People join when they sign up with one of the email domains, or when you assign them.')}</p>
				) : (
					<ul className="account-members">
						{account.members.map((member) => (
							<MemberRow key={member.id} member={member} />
						))}
					</ul>
				)}
				<Pager info={account.membersPage} label={t('Pages of members')} />
				<AssignForm />
			</section>
		</section>
	)
}

function MemberRow({ member }: { member: { id: string; displayName: string; email: string; lastSeenAt: string | null } }) {
	const { t } = useTranslation()
	const fetcher = useFetcher<{ ok: true } | FormFailure>()
	const problem = failure(fetcher.data)
	return (
		<li className="account-member" data-testid="account-member">
			<span className="account-member-name">{member.displayName}</span>
			<span className="muted">{member.email}</span>
			<span className="muted">{member.lastSeenAt ? <>{t('Last seen')} <RelativeTime iso={member.lastSeenAt} /></> : t('Not seen yet')}</span>
			<fetcher.Form method="post" className="inline-form">
				<input type="hidden" name="intent" value="remove" />
				<input type="hidden" name="userId" value={member.id} />
				<button type="submit" className="button small" disabled={fetcher.state !== 'idle'} aria-label={t('Remove {{name}}', { name: member.displayName })}>
					{t('Remove')}
				</button>
			</fetcher.Form>
			{problem ? <span className="field-error">{t(problem.formError)}</span> : null}
		</li>
	)
}

function AssignForm() {
	const { t } = useTranslation()
	const fetcher = useFetcher<AssignResult>()
	const form = useRef<HTMLFormElement>(null)
	const problem = failure(fetcher.data)
	const assigned = fetcher.data?.ok ? fetcher.data : null
	useEffect(() => {
		if (fetcher.state === 'idle' && assigned) form.current?.reset()
	}, [fetcher.state, assigned])
	const error = problem?.fieldErrors.email ?? problem?.formError
	return (
		<fetcher.Form method="post" ref={form} className="assign-form" noValidate>
			<input type="hidden" name="intent" value="assign" />
			<div className="field">
				<label htmlFor="assign-email">{t('Assign by email')}</label>
				<input
					id="assign-email"
					name="email"
					type="email"
					aria-invalid={error ? true : undefined}
					aria-describedby={error ? 'assign-email-error' : 'assign-email-hint'}
				/>
				<p className="hint" id="assign-email-hint">
					{t('The person must have signed up already; they move here from any other account.')}
				</p>
				{error ? (
					<p className="field-error" id="assign-email-error" role="alert">
						{t(error)}
					</p>
				) : null}
				{assigned ? (
					<p className="notice" role="status">
						{t('{{name}} now belongs to this account.', { name: assigned.displayName })}
					</p>
				) : null}
			</div>
			<button type="submit" className="button" disabled={fetcher.state !== 'idle'}>
				{t('Assign')}
			</button>
		</fetcher.Form>
	)
}
