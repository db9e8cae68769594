import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from '@remix-run/react'
import { getFormProps } from '@conform-to/react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireSignedIn } from '~/auth/pages.server'
import { controlProps, ErrorList, FormError, TextField, useSchemaForm } from '~/components/form'
import { parseForm, resultErrors, type FormResult } from '~/utils/form'
import { formAction, formResponse, idParam, parseInput } from '~/utils/http.server'
import {
	deleteWebhook,
	listWebhooks,
	registerWebhook,
	sendTestDelivery,
	setWebhookActive,
	webhookEvents,
	webhookSchema,
} from '~/webhooks/webhooks.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Webhooks'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request, 'webhooks:manage')
	return { webhooks: await listWebhooks(actor), events: webhookEvents }
}

const intentSchema = z.object({ intent: z.enum(['pause', 'resume', 'test', 'delete']) })
const idSchema = z.object({ id: idParam })

export async function action({ request, context }: ActionFunctionArgs) {
	const form = await request.formData()
	const fields = Object.fromEntries(form)
	if (fields.intent === 'create') {
		// The webhook's schema is checked on the server only: it decides which addresses may be called.
		return formAction(parseForm(form, webhookSchema), async (input, submission) => {
			const created = await registerWebhook(context.actor, input)
			const secret = created.generatedSecret ? created.secret : null
			return json({ ok: true as const, intent: 'create', created: { url: created.url, secret }, result: submission.reply({ resetForm: true }) })
		})
	}
	return formResponse(async () => {
		const { intent } = parseInput(intentSchema, fields)
		const { id } = parseInput(idSchema, fields)
		if (intent === 'pause' || intent === 'resume') await setWebhookActive(context.actor, id, intent === 'resume')
		if (intent === 'test') await sendTestDelivery(context.actor, id)
		if (intent === 'delete') await deleteWebhook(context.actor, id)
		return json({ ok: true as const, intent, created: null })
	})
}

type ActionResult = { ok: true; intent: string; created: { url: string; secret: string | null } | null } | FormResult
const failure = (data: ActionResult | undefined) => (data && 'result' in data ? data.result : undefined)

export default function Webhooks() {
	const { t } = useTranslation()
	const { webhooks, events } = useLoaderData<typeof loader>()
	return (
		<section className="webhooks">
			<h1>{t('Webhooks')}</h1>
			<p className="muted">
				{t('Kizuna POSTs a signed JSON body to each URL when one of its events happens, and retries with backoff when the receiver fails.')}
			</p>
			<section className="card">
				<h2>{t('Registered webhooks')}</h2>
				{webhooks.length === 0 ? <p className="muted">{t('No webhooks yet.')}</p> : null}
				<ul className="manage-list">
					{webhooks.map((webhook) => (
						<WebhookRow key={webhook.id} webhook={webhook} />
					))}
				</ul>
			</section>
			<NewWebhookForm events={events} />
			<SignatureHelp />
		</section>
	)
}

type WebhookData = { id: number; url: string; events: string[]; active: boolean; pending: number; failed: number }

function WebhookRow({ webhook }: { webhook: WebhookData }) {
	const { t } = useTranslation()
	const fetcher = useFetcher<ActionResult>()
	const busy = fetcher.state !== 'idle'
	const problem = failure(fetcher.data)
	const tested = fetcher.state === 'idle' && fetcher.data && 'ok' in fetcher.data && fetcher.data.intent === 'test'
	return (
		<li className="webhook-row" data-testid="webhook">
			<div className="webhook-summary">
				<code className="webhook-url">{webhook.url}</code>
				<span className={webhook.active ? 'badge solved' : 'badge draft'}>{webhook.active ? t('Enabled') : t('Paused')}</span>
				<ul className="tags" aria-label={t('Events')}>
					{webhook.events.map((event) => (
						<li key={event}>
							<span className="tag">{event}</span>
						</li>
					))}
				</ul>
				<p className="muted">
					<Link to={`/admin/webhooks/${webhook.id}`}>{t('Delivery log')}</Link>
					{' · '}
					{t('Pending: {{pending}} · Failed: {{failed}}', { pending: webhook.pending, failed: webhook.failed })}
				</p>
			</div>
			<fetcher.Form
				method="post"
				className="webhook-actions"
				onSubmit={(event) => {
					const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null
					if (submitter?.value === 'delete' && !window.confirm(t('Delete this webhook and its delivery log?'))) event.preventDefault()
				}}
			>
				<input type="hidden" name="id" value={webhook.id} />
				<button type="submit" name="intent" value={webhook.active ? 'pause' : 'resume'} className="button small" disabled={busy}>
					{webhook.active ? t('Pause') : t('Resume')}
				</button>
				<button type="submit" name="intent" value="test" className="button small" disabled={busy || !webhook.active}>
					{t('Send test')}
				</button>
				<button type="submit" name="intent" value="delete" className="button small" disabled={busy}>
					{t('Delete')}
				</button>
				{tested ? (
					<span className="muted" role="status">
						{t('Test queued: see the delivery log.')}
					</span>
				) : null}
				<FormError errors={resultErrors(problem)} inline />
			</fetcher.Form>
		</li>
	)
}

function NewWebhookForm({ events }: { events: Array<{ name: string; description: string }> }) {
	const { t } = useTranslation()
	const result = useActionData<typeof action>()
	const busy = useNavigation().state === 'submitting'
	const [form, fields] = useSchemaForm<typeof webhookSchema>(null, { lastResult: result && 'result' in result ? result.result : undefined })
	const created = result && 'created' in result && result.created ? (result.created as { url: string; secret: string | null }) : null
	return (
		<section className="card">
			<h2>{t('Add a webhook')}</h2>
			{created ? (
				<div className="notice" role="status">
					<p>{t('Webhook added for {{url}}.', { url: created.url })}</p>
					{created.secret ? (
						<p>
							{t('Copy its secret now: it will not be shown again.')} <code data-testid="webhook-secret">{created.secret}</code>
						</p>
					) : null}
				</div>
			) : null}
			<Form method="post" {...getFormProps(form)}>
				<FormError errors={form.errors} />
				<input type="hidden" name="intent" value="create" />
				<TextField field={fields.url} label={t('Payload URL')} type="url" hint={t('For example https://cs.example.com/hooks/kizuna')} maxLength={2000} />
				<TextField field={fields.secret} label={t('Secret')} hint={t('At least 16 characters, used to sign every request. Leave empty to generate one.')} autoComplete="off" maxLength={200} />
				<fieldset className="webhook-events" {...controlProps(fields.events)} name={undefined} key={fields.events.key}>
					<legend>{t('Events')}</legend>
					{events.map((event) => (
						<label key={event.name} className="checkbox">
							<input type="checkbox" name={fields.events.name} value={event.name} /> <code>{event.name}</code> <span className="muted">{t(event.description)}</span>
						</label>
					))}
					<ErrorList id={fields.events.errorId} errors={fields.events.errors} />
				</fieldset>
				<button type="submit" className="button primary" disabled={busy}>
					{t('Add webhook')}
				</button>
			</Form>
		</section>
	)
}

function SignatureHelp() {
	const { t } = useTranslation()
	return (
		<section className="card">
			<h2>{t('Checking requests')}</h2>
			<p>{t('Every request has the headers X-Kizuna-Event, X-Kizuna-Delivery (the same on every retry), X-Kizuna-Timestamp (Unix seconds) and X-Kizuna-Signature.')}</p>
			<p>{t('The signature is sha256= followed by the hex HMAC-SHA256 of the timestamp, a dot and the raw body, keyed with the secret. Answer with any 2xx status within 10 seconds.')}</p>
			<p>{t('They are also signed the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature: v1,…): verify them with a Standard Webhooks library and the secret shown on the webhook’s page.')}</p>
			<pre className="revision-body">{'{ "id": 42, "event": "question.created", "createdAt": "…", "data": { … } }'}</pre>
		</section>
	)
}
