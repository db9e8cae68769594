import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { requireSignedIn } from '~/auth/pages.server'
import { FormError } from '~/components/form'
import { MailFilesNotice, MailStatusBadge } from '~/components/mail-status'
import { UtcTime } from '~/components/utc-time'
import { mailDetail, retryMail } from '~/mail/admin.server'
import { resultErrors, type FormResult } from '~/utils/form'
import { formResponse, pageError, parseInput, routeId } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Mail'))

export async function loader({ params, context, request }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request, 'mail:view')
	const id = routeId(params.id)
	try {
		return await mailDetail(actor, id)
	} catch (error) {
		pageError(error)
	}
}

const actionSchema = z.object({ intent: z.literal('retry') })

export async function action({ params, request, context }: ActionFunctionArgs) {
	const id = routeId(params.id)
	const fields = Object.fromEntries(await request.formData())
	return formResponse(async () => {
		parseInput(actionSchema, fields)
		await retryMail(context.actor, id)
		return json({ ok: true as const })
	})
}

type ActionResult = { ok: true } | FormResult

/**
 * The HTML part in a sandboxed frame: no scripts, no forms, no access to this
 * page, and its own policy that loads nothing from the network (a mail's images
 * would tell their sender it was read).
 */
const MAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
const framed = (html: string) => `<meta http-equiv="Content-Security-Policy" content="${MAIL_CSP}">${html}`

export default function MailView() {
	const { t } = useTranslation()
	const { mail, bodyHidden, files, from } = useLoaderData<typeof loader>()
	const done = useActionData<typeof action>() as ActionResult | undefined
	const busy = useNavigation().state === 'submitting'
	const headers: Array<[string, string]> = [
		['From', from],
		['To', mail.toAddress],
		['Subject', mail.subject],
		['Message-ID', mail.messageId ?? t('Set when it is first sent')],
		...Object.entries(mail.headers),
	]
	return (
		<section className="mail-view">
			<p className="faq-breadcrumb">
				<Link to="/admin/mail">{t('Mail')}</Link>
			</p>
			<h1>{mail.subject}</h1>
			<MailFilesNotice folder={files} />
			<p>
				<MailStatusBadge status={mail.status} attempts={mail.attempts} /> {t('Attempts')}: {mail.attempts}
				{mail.sentAt ? (
					<>
						{' · '}
						{t('Sent')}: <UtcTime at={mail.sentAt} />
					</>
				) : null}
				{mail.nextAttemptAt ? (
					<>
						{' · '}
						{t('Next attempt')}: <UtcTime at={mail.nextAttemptAt} />
					</>
				) : null}
			</p>
			{mail.lastError ? (
				<p>
					{t('Last error')}: <span className="delivery-error">{mail.lastError}</span>
				</p>
			) : null}
			{mail.status === 'failed' ? (
				<Form method="post">
					<button type="submit" name="intent" value="retry" className="button" disabled={busy}>
						{t('Retry now')}
					</button>
					<FormError errors={resultErrors(done && 'result' in done ? done.result : undefined)} inline />
				</Form>
			) : null}
			{done && 'ok' in done ? <p role="status">{t('Queued again: it is sent in a moment.')}</p> : null}
			<h2>{t('Headers')}</h2>
			<table className="mail-headers">
				<tbody>
					{headers.map(([name, value]) => (
						<tr key={name}>
							<th scope="row">{name}</th>
							<td>
								<code>{value}</code>
							</td>
						</tr>
					))}
				</tbody>
			</table>
			{bodyHidden ? (
				<p className="notice" data-testid="mail-hidden">
					{t('This mail holds a link that opens its recipient’s account, so only they can read it here.')}
				</p>
			) : (
				<>
					<h2>{t('Text part')}</h2>
					<pre className="revision-body mail-text" data-testid="mail-text">
						{mail.textBody}
					</pre>
					<h2>{t('HTML part')}</h2>
					<iframe className="mail-html" title={t('HTML part')} sandbox="" referrerPolicy="no-referrer" srcDoc={framed(mail.htmlBody)} />
				</>
			)}
		</section>
	)
}
