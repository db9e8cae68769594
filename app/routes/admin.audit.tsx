import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { auditActions } from '~/audit/audit.server'
import { auditActionLabels } from '~/audit/labels'
import { auditLog } from '~/audit/log.server'
import { requireSignedIn } from '~/auth/pages.server'
import { FilterSelect } from '~/components/form'
import { Pager } from '~/components/pager'
import { UtcTime } from '~/components/utc-time'
import { readPage } from '~/utils/paging'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Audit log'))

// A filter the page cannot use shows everything rather than an error page: the log is read, never written, here.
const filtersSchema = z.object({
	action: z.enum(auditActions).optional().catch(undefined),
	person: z.string().max(100).optional().catch(undefined),
})

export async function loader({ context, request }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request, 'audit:view')
	const params = new URL(request.url).searchParams
	const filters = filtersSchema.parse(Object.fromEntries(params))
	return { ...(await auditLog(actor, filters, readPage(params))), filters, actions: auditActions }
}

/** What changed, in words: a role's old and new name, a webhook's state, the staff password choice; a token's owner is not shown (the target says whose). */
function Details({ action, details }: { action: string; details: Record<string, unknown> }) {
	const { t } = useTranslation()
	if (action === 'person.role_changed') return <>{t('{{from}} → {{to}}', { from: t(`role.${String(details.from)}`), to: t(`role.${String(details.to)}`) })}</>
	if (action === 'person.invited') return <>{t(`role.${String(details.role)}`)}</>
	if (action === 'webhook.updated') return <>{details.active ? t('Resumed') : t('Paused')}</>
	// Recorded only when it changed (app/sso/settings.server.ts), so where it went says it all.
	if (action === 'sso.settings_changed') return <>{(details.staffPasswords as { to?: unknown } | undefined)?.to ? t('Staff passwords turned on') : t('Staff passwords turned off')}</>
	if (action === 'webhook.created' && Array.isArray(details.events)) return <>{details.events.join(', ')}</>
	return null
}

export default function AuditLog() {
	const { t } = useTranslation()
	const { events, page, filters, actions } = useLoaderData<typeof loader>()
	const filtered = filters.action !== undefined || filters.person !== undefined
	return (
		<section className="audit-log">
			<h1>{t('Audit log')}</h1>
			<p className="muted">{t('Who changed roles, suspensions, invitations, API tokens, single sign-on and webhooks, and when. Entries are kept.')}</p>
			<section className="card">
				<Form method="get" className="people-filters">
					<FilterSelect name="action" label={t('Action')} value={filters.action} options={actions.map((action) => ({ value: action, label: t(auditActionLabels[action]) }))} />
					{filters.person ? <input type="hidden" name="person" value={filters.person} /> : null}
					<button type="submit" className="button">
						{t('Apply')}
					</button>
					{filtered ? <Link to="/admin/audit">{t('Clear filters')}</Link> : null}
				</Form>
				{events.length === 0 ? (
					<p className="muted">{t('Nothing recorded yet.')}</p>
				) : (
					<div className="table-scroll">
						<table className="data-table">
							<thead>
								<tr>
									<th scope="col">{t('When')}</th>
									<th scope="col">{t('Who')}</th>
									<th scope="col">{t('Action')}</th>
									<th scope="col">{t('Target')}</th>
									<th scope="col">{t('Details')}</th>
								</tr>
							</thead>
							<tbody>
								{events.map((event) => (
									<tr key={event.id} data-testid="audit-row">
										<td>
											<UtcTime at={event.at} />
										</td>
										<td>{event.actorId ? <Link to={`/admin/audit?person=${encodeURIComponent(event.actorId)}`}>{event.actorName}</Link> : event.actorName === 'Automatic moderation' ? t('Automatic moderation') : t('Command line')}</td>
										<td>{t(auditActionLabels[event.action] ?? event.action)}</td>
										<td>
											{event.targetType === 'person' ? <Link to={`/admin/audit?person=${encodeURIComponent(event.targetId)}`}>{event.targetLabel}</Link> : event.targetLabel}
										</td>
										<td className="audit-details">
											<Details action={event.action} details={event.details} />
										</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				)}
				<Pager info={page} label={t('Pages of the audit log')} />
			</section>
		</section>
	)
}
