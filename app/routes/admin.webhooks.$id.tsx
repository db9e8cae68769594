import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useFetcher, useLoaderData, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireSignedIn } from '~/auth/pages.server'
import { Pager } from '~/components/pager'
import { FormError } from '~/components/form'
import { resultErrors, type FormResult } from '~/utils/form'
import { formResponse, idParam, pageError, parseInput, routeId } from '~/utils/http.server'
import { readPage } from '~/utils/paging'
import { retryDelivery, sendTestDelivery, webhookLog } from '~/webhooks/webhooks.server'
import { privateMeta } from '~/utils/seo'
import { dateTimeFormat } from '~/utils/intl'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Webhook deliveries'))

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request, 'webhooks:manage')
	const id = routeId(params.id)
	try {
		return await webhookLog(actor, id, readPage(new URL(request.url).searchParams))
	} catch (error) {
		pageError(error)
	}
}

const actionSchema = z.discriminatedUnion('intent', [z.object({ intent: z.literal('retry'), deliveryId: idParam }), z.object({ intent: z.literal('test') })])

export async function action({ params, request, context }: ActionFunctionArgs) {
	const id = routeId(params.id)
	const fields = Object.fromEntries(await request.formData())
	return formResponse(async () => {
		const input = parseInput(actionSchema, fields)
		if (input.intent === 'retry') await retryDelivery(context.actor, id, input.deliveryId)
		else await sendTestDelivery(context.actor, id)
		return json({ ok: true as const })
	})
}

type ActionResult = { ok: true } | FormResult
const failure = (data: ActionResult | undefined) => (data && 'result' in data ? data.result : undefined)

// Deliveries go out in the background: while some wait, the log refreshes itself.
const REFRESH_MS = 3000

export default function WebhookDeliveries() {
	const { t } = useTranslation()
	const { webhook, deliveries, page, standardSecret } = useLoaderData<typeof loader>()
	const revalidator = useRevalidator()
	const waiting = deliveries.some((delivery) => delivery.status === 'pending')
	useEffect(() => {
		if (!waiting || !webhook.active) return
		const timer = setInterval(() => {
			if (revalidator.state === 'idle') revalidator.revalidate()
		}, REFRESH_MS)
		return () => clearInterval(timer)
	}, [waiting, webhook.active, revalidator])
	const test = useFetcher<ActionResult>()
	return (
		<section className="webhooks">
			<p className="faq-breadcrumb">
				<Link to="/admin/webhooks">{t('Webhooks')}</Link>
			</p>
			{/* Without JavaScript the buttons' forms post the page, and their refusal comes back as the page's. */}
			<FormError errors={resultErrors(failure(useActionData<typeof action>()))} />
			<div className="page-heading">
				<h1>{t('Delivery log')}</h1>
				<test.Form method="post">
					<button type="submit" name="intent" value="test" className="button" disabled={test.state !== 'idle' || !webhook.active}>
						{t('Send test')}
					</button>
					<FormError errors={resultErrors(failure(test.data))} inline />
				</test.Form>
			</div>
			<p>
				<code className="webhook-url">{webhook.url}</code>{' '}
				<span className={webhook.active ? 'badge solved' : 'badge draft'}>{webhook.active ? t('Enabled') : t('Paused')}</span>
			</p>
			<p className="muted">
				{t('Events')}: {webhook.events.join(', ')}
			</p>
			<details className="webhook-standard-secret">
				<summary>{t('Standard Webhooks secret')}</summary>
				<p>{t('Every request is also signed the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature). Give this secret to a Standard Webhooks library to verify them.')}</p>
				<code className="webhook-url" data-testid="standard-webhook-secret">
					{standardSecret}
				</code>
			</details>
			{!webhook.active && waiting ? <p className="notice">{t('This webhook is paused: pending deliveries are sent once it is resumed.')}</p> : null}
			{deliveries.length === 0 ? (
				<p className="empty">{t('No deliveries yet.')}</p>
			) : (
				<div className="table-scroll">
					<table className="delivery-log">
						<thead>
							<tr>
								<th scope="col">{t('Event')}</th>
								<th scope="col">{t('Status')}</th>
								<th scope="col">{t('Attempts')}</th>
								<th scope="col">{t('Last response')}</th>
								<th scope="col">{t('Next attempt')}</th>
								<th scope="col">{t('Delivered at')}</th>
								<th scope="col">{t('Created')}</th>
								<th scope="col">
									<span className="visually-hidden">{t('Actions')}</span>
								</th>
							</tr>
						</thead>
						<tbody>
							{deliveries.map((delivery) => (
								<DeliveryRow key={delivery.id} delivery={delivery} />
							))}
						</tbody>
					</table>
				</div>
			)}
			<Pager info={page} label={t('Pages of deliveries')} />
		</section>
	)
}

type DeliveryData = {
	id: number
	event: string
	status: 'pending' | 'delivered' | 'failed'
	attempts: number
	lastStatusCode: number | null
	lastError: string | null
	nextAttemptAt: string | null
	deliveredAt: string | null
	createdAt: string
	payload: string
}

const statusLabels = { pending: 'Pending', delivered: 'Delivered', failed: 'Failed' } as const
const statusBadges = { pending: 'badge draft', delivered: 'badge solved', failed: 'badge failed' } as const

function DeliveryRow({ delivery }: { delivery: DeliveryData }) {
	const { t } = useTranslation()
	const retry = useFetcher<ActionResult>()
	const problem = failure(retry.data)
	return (
		<tr data-testid="delivery">
			<td>
				<code>{delivery.event}</code>
				<details>
					<summary>{t('Payload')}</summary>
					<pre className="revision-body">{delivery.payload}</pre>
				</details>
			</td>
			<td>
				<span className={statusBadges[delivery.status]}>{t(statusLabels[delivery.status])}</span>
			</td>
			<td>{delivery.attempts}</td>
			<td>
				{delivery.lastStatusCode !== null ? <strong>{delivery.lastStatusCode}</strong> : null}
				{delivery.lastError ? <span className="delivery-error">{delivery.lastError}</span> : null}
				{delivery.lastStatusCode === null && !delivery.lastError ? '—' : null}
			</td>
			<td>{delivery.nextAttemptAt ? <DateTime iso={delivery.nextAttemptAt} /> : '—'}</td>
			<td>{delivery.deliveredAt ? <DateTime iso={delivery.deliveredAt} /> : '—'}</td>
			<td>
				<DateTime iso={delivery.createdAt} />
			</td>
			<td>
				{delivery.status === 'delivered' ? null : (
					<retry.Form method="post">
						<input type="hidden" name="deliveryId" value={delivery.id} />
						<button type="submit" name="intent" value="retry" className="button small" disabled={retry.state !== 'idle'}>
							{t('Retry now')}
						</button>
						<FormError errors={resultErrors(problem)} inline />
					</retry.Form>
				)}
			</td>
		</tr>
	)
}

/** Date and time to the second in UTC: a delivery log is read for exact times, and UTC renders the same on server and client. */
function DateTime({ iso }: { iso: string }) {
	const { i18n } = useTranslation()
	const locale = i18n.language === 'ja' ? 'ja-JP' : 'en-US'
	const text = dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso))
	return <time dateTime={iso}>{text} UTC</time>
}
