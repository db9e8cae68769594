import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireSignedIn } from '~/auth/pages.server'
import { FormError } from '~/components/form'
import { resendVerification } from '~/people/verification.server'
import { resultErrors } from '~/utils/form'
import { formResponse } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Confirm your email address'))

export async function loader({ context, request }: LoaderFunctionArgs) {
	const actor = requireSignedIn(context, request)
	return { email: actor.email, verified: actor.emailVerified }
}

/** "Resend the link" (the banner on every page posts here). */
export async function action({ context }: ActionFunctionArgs) {
	return formResponse(async () => {
		await resendVerification(context.actor)
		return json({ sent: true as const })
	})
}

export default function VerifyEmailIndex() {
	const { t } = useTranslation()
	const { email, verified } = useLoaderData<typeof loader>()
	const answer = useActionData<typeof action>()
	const busy = useNavigation().state === 'submitting'
	return (
		<section className="narrow card">
			<h1>{t('Confirm your email address')}</h1>
			<FormError errors={resultErrors(answer && 'result' in answer ? answer.result : undefined)} />
			{verified ? (
				<p>{t('Your email address {{email}} is confirmed.', { email })}</p>
			) : (
				<>
					{answer && 'sent' in answer ? <p role="status">{t('We sent a new link to {{email}}. It works for 48 hours.', { email })}</p> : <p>{t('We sent a link to {{email}}. Open it to confirm your address.', { email })}</p>}
					<Form method="post">
						<button type="submit" className="button" disabled={busy}>
							{t('Resend the link')}
						</button>
					</Form>
				</>
			)}
		</section>
	)
}
