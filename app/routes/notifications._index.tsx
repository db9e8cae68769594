import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { Pager } from '~/components/pager'
import { RelativeTime } from '~/components/relative-time'
import { notificationTitle } from '~/notifications/describe'
import { markNotificationsRead, notificationsPage } from '~/notifications/notifications.server'
import { pageError } from '~/utils/http.server'
import { readPage } from '~/utils/paging'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Notifications'))

export async function loader({ request, context }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request)
	const data = await notificationsPage(actor, readPage(new URL(request.url).searchParams)).catch(pageError)
	return {
		...data,
		groups: data.groups.map((group) => ({
			questionId: group.questionId,
			items: group.items.map((item) => ({ id: item.id, type: item.type, actorName: item.actorName, subjectTitle: item.subjectTitle, read: item.read, createdAt: item.createdAt.toISOString() })),
		})),
	}
}

/** "Mark all read": the one form on this page. */
export async function action({ request, context }: ActionFunctionArgs) {
	const actor = requireSignedIn(context, request)
	await markNotificationsRead(actor, 'all').catch(pageError)
	return redirect('/notifications')
}

export default function Notifications() {
	const { t } = useTranslation()
	const { groups, page, unread } = useLoaderData<typeof loader>()
	return (
		<section className="notifications-page">
			<div className="page-heading">
				<h1>{t('Notifications')}</h1>
				{unread > 0 ? (
					<Form method="post">
						<button type="submit" className="button">
							{t('Mark all read')}
						</button>
					</Form>
				) : null}
			</div>
			<p>
				<Link to="/settings/following">{t('What you follow')}</Link>
			</p>
			{groups.length === 0 ? (
				<p className="empty">{t('Nothing yet. You will be told here when someone answers your questions or mentions you.')}</p>
			) : (
				<ul className="notification-groups">
					{groups.map((group) => (
						<li key={group.items[0]!.id} className="notification-group card">
							<ul className="notification-list">
								{group.items.map((item) => (
									<li key={item.id} className={item.read ? 'notification read' : 'notification unread'} data-testid="notification">
										{item.read ? null : <span className="badge unread">{t('Unread')}</span>}
										<Link to={`/notifications/${item.id}`}>{notificationTitle(t, item)}</Link>{' '}
										<span className="muted">
											<RelativeTime iso={item.createdAt} />
										</span>
									</li>
								))}
							</ul>
						</li>
					))}
				</ul>
			)}
			<Pager info={page} />
		</section>
	)
}
