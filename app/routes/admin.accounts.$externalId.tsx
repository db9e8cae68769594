import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from '@remix-run/react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { assignMember, csmOptions, getAccount, removeMember, updateAccount } from '~/accounts/accounts.server'
import { accountFormSchema, assignMemberSchema } from '~/accounts/validation'
import { requireSignedIn } from '~/auth/pages.server'
import { AccountFields } from '~/components/account-fields'
import { getFormProps } from '@conform-to/react'
import { controlProps, ErrorList, FormError, useSchemaForm } from '~/components/form'
import { Pager } from '~/components/pager'
import { RelativeTime } from '~/components/relative-time'
import stylesUrl from '~/styles/accounts.css?url'
import { parseForm, resultErrors, type FormResult } from '~/utils/form'
import { formAction, formResponse, pageError, parseInput } from '~/utils/http.server'
import { readPage } from '~/utils/paging'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction<typeof loader> = (args) => privateMeta(args, (t) => args.data?.account.name ?? t('Account'))
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesUrl }]

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request, 'accounts:manage')
	try {
		return { account: await getAccount(actor, params.externalId ?? '', readPage(new URL(request.url).searchParams)), csms: await csmOptions(actor) }
	} catch (error) {
		pageError(error)
	}
}

const intentSchema = z.object({ intent: z.enum(['remove']) })

export async function action({ request, params, context }: ActionFunctionArgs) {
	const externalId = params.externalId ?? ''
	const formData = await request.formData()
	const form = Object.fromEntries(formData)
	// The account schema is checked on the server only: it loads the database's enums.
	if (form.intent === 'update') {
		return formAction(parseForm(formData, accountFormSchema), async (input) => {
			const account = await updateAccount(context.actor, externalId, input)
			// A new CRM id is a new address for the page.
			if (account.externalId !== externalId) return redirect(account.url)
			return json({ ok: true as const, intent: 'update' as const, attached: account.attached })
		})
	}
	if (form.intent === 'assign') {
		return formAction(parseForm(formData, assignMemberSchema), async ({ email }, submission) => {
			const member = await assignMember(context.actor, externalId, email)
			return json({ ok: true as const, intent: 'assign' as const, displayName: member.displayName, result: submission.reply({ resetForm: true }) })
		})
	}
	return formResponse(async () => {
		parseInput(intentSchema, form)
		const { userId } = parseInput(z.object({ userId: z.string().min(1) }), form)
		await removeMember(context.actor, externalId, userId)
		return json({ ok: true as const, intent: 'remove' as const })
	})
}

type AssignResult = ({ ok: true; displayName: string } & FormResult) | FormResult
const failure = <T extends object>(data: T | FormResult | undefined) => (data && 'result' in data ? data.result : undefined)

export default function AccountPage() {
	const { t } = useTranslation()
	const { account, csms } = useLoaderData<typeof loader>()
	const result = useActionData<typeof action>()
	const saved = result && 'ok' in result && result.intent === 'update' ? result : null
	// Keyed by the saved values so the fields show what was stored, e.g. normalised domains.
	const [form, fields] = useSchemaForm<typeof accountFormSchema>(null, {
		id: `account-${JSON.stringify(account)}`,
		lastResult: failure(result),
		defaultValue: { ...account, csmId: account.csmId ?? '', domains: account.domains.join('\n') },
	})
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="accounts-page">
			<p className="faq-breadcrumb">
				<Link to="/admin/accounts">{t('Accounts')}</Link>
			</p>
			<h1>{account.name}</h1>

			<section className="card">
				<h2>{t('Details')}</h2>
				<Form method="post" {...getFormProps(form)} key={form.id}>
					<input type="hidden" name="intent" value="update" />
					<FormError errors={form.errors} />
					{saved ? (
						<p className="notice" role="status">
							{saved.attached > 0 ? t('Saved. People who joined by email domain: {{n}}', { n: saved.attached }) : t('Saved.')}
						</p>
					) : null}
					<AccountFields fields={fields} csms={csms} />
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
	const fetcher = useFetcher<{ ok: true } | FormResult>()
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
			<FormError errors={resultErrors(problem)} inline />
		</li>
	)
}

function AssignForm() {
	const { t } = useTranslation()
	const fetcher = useFetcher<AssignResult>()
	const [form, fields] = useSchemaForm<typeof assignMemberSchema>(null, { lastResult: fetcher.data?.result })
	const assigned = fetcher.data && 'ok' in fetcher.data ? fetcher.data : null
	return (
		<fetcher.Form method="post" className="assign-form" {...getFormProps(form)}>
			<input type="hidden" name="intent" value="assign" />
			<FormError errors={form.errors} />
			<div className="field">
				<label htmlFor={fields.email.id}>{t('Assign by email')}</label>
				<input type="email" key={fields.email.key} {...controlProps(fields.email, { hint: true })} />
				<p className="hint" id={fields.email.descriptionId}>
					{t('The person must have signed up already; they move here from any other account.')}
				</p>
				<ErrorList id={fields.email.errorId} errors={fields.email.errors} />
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
