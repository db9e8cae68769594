import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { NotificationType } from '#db/schema'
import { translateMessage } from '~/i18n/i18n'
import { notificationTypeLabels } from '~/mail/types'
import { describeUnsubscribe, MAX_TOKEN_LENGTH, unsubscribe, type UnsubscribeSubject } from '~/mail/unsubscribe.server'
import { DomainError } from '~/utils/errors.server'
import { failureOf } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Unsubscribe'))

type Answer = { subject: UnsubscribeSubject; problem: null } | { subject: null; problem: string }

/** A refusal as the page's answer, with its status: the page explains it rather than an error screen. */
async function answer(run: () => Promise<UnsubscribeSubject>) {
	try {
		return json<Answer>({ subject: await run(), problem: null }, { headers: { 'Cache-Control': 'no-store' } })
	} catch (error) {
		const failure = failureOf(error)
		if (failure.status >= 500) throw error
		return json<Answer>({ subject: null, problem: failure.message }, { status: failure.status, headers: { ...failure.headers, 'Cache-Control': 'no-store' } })
	}
}

function tokenOf(value: string | undefined): string {
	if (!value || value.length > MAX_TOKEN_LENGTH) throw new DomainError('invalid', 'This unsubscribe link is not valid. Change what Kizuna mails you in your email settings instead.')
	return value
}

/** Only shows what the link would stop: mail scanners open links, and must not unsubscribe anyone by doing so. */
export async function loader({ params }: LoaderFunctionArgs) {
	return answer(async () => describeUnsubscribe(tokenOf(params.token)))
}

/**
 * The button on the page, or a mail client's one-click POST (RFC 8058, body
 * `List-Unsubscribe=One-Click`, no cookies): either unsubscribes, without sign-in.
 * The body is not needed and not read.
 */
export async function action({ params, context }: ActionFunctionArgs) {
	return answer(async () => {
		return unsubscribe(tokenOf(params.token), { clientIp: context.clientIp })
	})
}

export default function Unsubscribe() {
	const { t, i18n } = useTranslation()
	const shown = useLoaderData<typeof loader>()
	const done = useActionData<typeof action>()
	const busy = useNavigation().state === 'submitting'
	const problem = done?.problem ?? shown.problem
	if (problem) {
		return (
			<section className="narrow card unsubscribe">
				<h1>{t('This unsubscribe link does not work')}</h1>
				<p role="alert">{translateMessage(i18n, problem)}</p>
				<p>
					<Link to="/settings/email">{t('Email settings')}</Link>
				</p>
			</section>
		)
	}
	const subject = (done?.subject ?? shown.subject)!
	return (
		<section className="narrow card unsubscribe">
			<h1>{t('Unsubscribe')}</h1>
			{done?.subject ? (
				<p role="status">{t('Done: Kizuna no longer mails {{email}} about these notifications.', { email: subject.email })}</p>
			) : (
				<p>{t('Kizuna will stop mailing {{email}} about:', { email: subject.email })}</p>
			)}
			<TypeList types={subject.types} digest={subject.scope === 'digest'} />
			{done?.subject ? null : (
				<Form method="post">
					<input type="hidden" name="List-Unsubscribe" value="One-Click" />
					<button type="submit" className="button primary" disabled={busy}>
						{t('Unsubscribe')}
					</button>
				</Form>
			)}
			<p className="muted">
				{t('You can change this at any time in your email settings.')} <Link to="/settings/email">{t('Email settings')}</Link>
			</p>
		</section>
	)
}

function TypeList({ types, digest }: { types: NotificationType[]; digest: boolean }) {
	const { t } = useTranslation()
	if (types.length === 0) return <p className="muted">{t('Nothing is sent in your daily digest any more.')}</p>
	return (
		<>
			{digest ? <p>{t('The daily digest, which holds:')}</p> : null}
			<ul>
				{types.map((type) => (
					<li key={type}>{t(notificationTypeLabels[type])}</li>
				))}
			</ul>
		</>
	)
}
