import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from '@remix-run/react'
import { getFormProps } from '@conform-to/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import type { Role } from '#db/schema'
import { requireSignedIn } from '~/auth/pages.server'
import { can } from '~/auth/permissions.server'
import { limit } from '~/auth/rate-limit.server'
import { FilterSelect, FormError, SelectField, TextField, useSchemaForm } from '~/components/form'
import { Pager } from '~/components/pager'
import { loadConfig } from '~/config.server'
import { changePerson, searchPeople, type PersonView } from '~/people/admin.server'
import { invitePerson } from '~/people/invitations.server'
import { changeRoleSchema, inviteSchema, peopleSearchSchema, roles, staffRoles, suspensionSchema } from '~/people/validation'
import { writesMailToFiles } from '~/mail/transport.server'
import { parseForm, resultErrors, type FormResult } from '~/utils/form'
import { formAction } from '~/utils/http.server'
import { readPage } from '~/utils/paging'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('People'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request, 'people:view')
	const params = new URL(request.url).searchParams
	const parsed = peopleSearchSchema.safeParse(Object.fromEntries(params))
	const filters = parsed.success ? parsed.data : {}
	const found = await searchPeople(actor, filters, readPage(params))
	return {
		...found,
		filters: { q: parsed.success ? (filters.q ?? '') : (params.get('q') ?? '').slice(0, 100), role: filters.role },
		problem: parsed.success ? null : (parsed.error.issues[0]?.message ?? null),
		selfId: actor.id,
		canManage: can(actor, 'people:manage'),
	}
}

const actionSchema = z.discriminatedUnion('intent', [changeRoleSchema, suspensionSchema, inviteSchema], { errorMap: () => ({ message: 'Choose what to change' }) })

export async function action({ request, context }: ActionFunctionArgs) {
	return formAction(parseForm(await request.formData(), actionSchema), async (input, submission) => {
		if (input.intent === 'invite') {
			const actor = requireSignedIn(context, request, 'people:manage')
			await limit('invitation', actor.id)
			const invited = await invitePerson(actor, input, { showLink: writesMailToFiles(loadConfig()), locale: context.locale })
			return json({ done: 'invite' as const, invited, result: submission.reply({ resetForm: true }) })
		}
		const change = input.intent === 'role' ? { role: input.role } : { suspended: input.intent === 'suspend' }
		const person = await changePerson(context.actor, input.userId, change)
		return json({ done: input.intent, person, result: submission.reply() })
	})
}

type ActionData = { done: string; invited?: { email: string; link: string | null }; result: FormResult['result'] } | FormResult

export default function People() {
	const { t } = useTranslation()
	const { people, page, filters, problem, selfId, canManage } = useLoaderData<typeof loader>()
	return (
		<section className="people-admin">
			<h1>{t('People')}</h1>
			{canManage ? null : <p className="muted">{t('You can look people up here; only admins change roles, suspend people or invite staff.')}</p>}
			<section className="card">
				<Form method="get" className="people-filters" role="search">
					<div className="field">
						<label htmlFor="people-q">{t('Name, email or account')}</label>
						<input id="people-q" name="q" type="search" defaultValue={filters.q} maxLength={100} aria-invalid={problem ? true : undefined} />
					</div>
					<FilterSelect name="role" label={t('Role')} value={filters.role} options={roles.map((role) => ({ value: role, label: t(`role.${role}`) }))} />
					<button type="submit" className="button">
						{t('Search')}
					</button>
				</Form>
				<FormError errors={problem ? [problem] : null} />
				{people.length === 0 ? (
					<p className="muted">{t('Nobody matches this search.')}</p>
				) : (
					<div className="table-scroll">
						<table className="data-table">
							<thead>
								<tr>
									<th scope="col">{t('Name')}</th>
									<th scope="col">{t('Email')}</th>
									<th scope="col">{t('Role')}</th>
									<th scope="col">{t('Account')}</th>
									<th scope="col">{t('Status')}</th>
								</tr>
							</thead>
							<tbody>
								{people.map((person) => (
									<PersonRow key={person.id} person={person} manage={canManage && person.id !== selfId} />
								))}
							</tbody>
						</table>
					</div>
				)}
				<Pager info={page} label={t('Pages of people')} />
			</section>
			{canManage ? <InviteForm /> : null}
		</section>
	)
}

function PersonRow({ person, manage }: { person: PersonView; manage: boolean }) {
	const { t } = useTranslation()
	const fetcher = useFetcher<ActionData>()
	const busy = fetcher.state !== 'idle'
	const problem = fetcher.data && !('done' in fetcher.data) ? resultErrors(fetcher.data.result) : undefined
	const saved = fetcher.state === 'idle' && fetcher.data !== undefined && 'done' in fetcher.data
	return (
		<tr data-testid="person-row">
			<th scope="row">
				<Link to={`/users/${person.id}`}>{person.displayName}</Link>
			</th>
			<td>{person.email}</td>
			<td>
				{manage ? (
					<fetcher.Form method="post" className="inline-form">
						<input type="hidden" name="intent" value="role" />
						<input type="hidden" name="userId" value={person.id} />
						<label className="visually-hidden" htmlFor={`role-${person.id}`}>
							{t('Role of {{name}}', { name: person.displayName })}
						</label>
						<select id={`role-${person.id}`} name="role" defaultValue={person.role} key={person.role}>
							{roles.map((role) => (
								<option key={role} value={role}>
									{t(`role.${role}`)}
								</option>
							))}
						</select>{' '}
						<button type="submit" className="button small" disabled={busy}>
							{t('Change role')}
						</button>
					</fetcher.Form>
				) : (
					t(`role.${person.role}`)
				)}
			</td>
			<td>{person.account ? `${person.account.name} (${person.account.externalId})` : <span className="muted">—</span>}</td>
			<td>
				<span className={person.suspended ? 'badge draft' : 'badge solved'}>{person.suspended ? t('Suspended') : t('Active')}</span>
				{/* Before giving anyone staff rights: an unconfirmed address may be someone else's. */}
				{person.verified ? null : <span className="badge draft">{t('Unconfirmed')}</span>}
				{person.signsInThroughProduct ? <span className="badge">{t('Signs in through the product')}</span> : null}
				{manage ? (
					<fetcher.Form
						method="post"
						className="inline-form"
						onSubmit={(event) => {
							const question = person.suspended ? t('Restore {{name}}? Their API tokens work again.', { name: person.displayName }) : t('Suspend {{name}}? They are signed out everywhere and their API tokens stop working.', { name: person.displayName })
							if (!window.confirm(question)) event.preventDefault()
						}}
					>
						<input type="hidden" name="userId" value={person.id} />
						<button type="submit" name="intent" value={person.suspended ? 'restore' : 'suspend'} className="button small" disabled={busy}>
							{person.suspended ? t('Restore') : t('Suspend')}
						</button>
					</fetcher.Form>
				) : null}
				{saved ? (
					<span className="muted" role="status">
						{' '}
						{t('Saved.')}
					</span>
				) : null}
				<FormError errors={problem} inline />
			</td>
		</tr>
	)
}

function InviteForm() {
	const { t } = useTranslation()
	const answer = useActionData<typeof action>()
	const busy = useNavigation().state === 'submitting'
	// The role's default is Conform's too, so the form starts again at CS after an invitation is sent.
	const [form, fields] = useSchemaForm(inviteSchema, { id: 'invite', lastResult: answer?.result, defaultValue: { intent: 'invite', role: 'cs' } })
	const invited = answer && 'invited' in answer ? answer.invited : null
	return (
		<section className="card" id="invite">
			<h2>{t('Invite staff')}</h2>
			{invited ? (
				<div className="notice" role="status">
					{invited.link ? (
						<p>
							{t('{{email}} is invited. Mail is not set up on this server, so send them this link yourself (it works once, for 7 days):', { email: invited.email })}{' '}
							<code data-testid="invitation-link">{invited.link}</code>
						</p>
					) : (
						<p>{t('{{email}} is invited: we sent them a link that works once, for 7 days.', { email: invited.email })}</p>
					)}
				</div>
			) : null}
			<Form method="post" {...getFormProps(form)}>
				<FormError errors={invited ? null : form.errors} />
				<input type="hidden" name="intent" value="invite" />
				<TextField field={fields.email} type="email" label={t('Email')} autoComplete="off" maxLength={254} />
				<TextField field={fields.displayName} label={t('Name')} autoComplete="off" maxLength={60} />
				<SelectField field={fields.role} label={t('Role')} options={staffRoles.map((role: Role) => ({ value: role, label: t(`role.${role}`) }))} />
				<button type="submit" className="button primary" disabled={busy}>
					{t('Send invitation')}
				</button>
			</Form>
		</section>
	)
}
