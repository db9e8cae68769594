import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { MailFilesNotice, MailStatusBadge } from '~/components/mail-status'
import { Pager } from '~/components/pager'
import { UtcTime } from '~/components/utc-time'
import { listMails } from '~/mail/admin.server'
import { readPage } from '~/utils/paging'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Mail'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request, 'mail:view')
	return listMails(actor, readPage(new URL(request.url).searchParams))
}

export default function MailLog() {
	const { t } = useTranslation()
	const { mails, page, files } = useLoaderData<typeof loader>()
	return (
		<section className="mail-log">
			<h1>{t('Mail')}</h1>
			<p className="muted">{t('Every mail Kizuna queued, newest first. Failed sends are retried with backoff for about a day and a half.')}</p>
			<MailFilesNotice folder={files} />
			{mails.length === 0 ? (
				<p className="empty">{t('No mail yet.')}</p>
			) : (
				<div className="table-scroll">
					<table className="delivery-log">
						<thead>
							<tr>
								<th scope="col">{t('Subject')}</th>
								<th scope="col">{t('Recipient')}</th>
								<th scope="col">{t('Status')}</th>
								<th scope="col">{t('Attempts')}</th>
								<th scope="col">{t('Last error')}</th>
								<th scope="col">{t('Next attempt')}</th>
								<th scope="col">{t('Created')}</th>
							</tr>
						</thead>
						<tbody>
							{mails.map((mail) => (
								<tr key={mail.id} data-testid="mail">
									<td>
										<Link to={`/admin/mail/${mail.id}`}>{mail.subject}</Link>
									</td>
									<td>{mail.to}</td>
									<td>
										<MailStatusBadge status={mail.status} attempts={mail.attempts} />
									</td>
									<td>{mail.attempts}</td>
									<td>{mail.lastError ? <span className="delivery-error">{mail.lastError}</span> : '—'}</td>
									<td>{mail.nextAttemptAt ? <UtcTime at={mail.nextAttemptAt} /> : '—'}</td>
									<td>
										<UtcTime at={mail.createdAt} />
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			<Pager info={page} label={t('Pages of mail')} />
		</section>
	)
}
