import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FormError } from '~/components/form'
import { confirmEmail } from '~/people/verification.server'
import { tokenRefusal, tokenState } from '~/people/tokens.server'
import { resultErrors } from '~/utils/form'
import { formResponse } from '~/utils/http.server'
import { privateMeta } from '~/utils/seo'

export const meta: MetaFunction = (args) => privateMeta(args, (t) => t('Confirm your email address'))

/** Only looks: mail scanners open links before people do, so confirming takes the button's POST. */
export async function loader({ params }: LoaderFunctionArgs) {
	const state = await tokenState(params.token ?? '', 'email_verification')
	if (state === 'valid') return json({ problem: null })
	const refusal = tokenRefusal(state)
	return json({ problem: refusal.message }, { status: refusal.status })
}

export async function action({ params }: ActionFunctionArgs) {
	return formResponse(async () => {
		const confirmed = await confirmEmail(params.token ?? '')
		return json({ confirmed: confirmed.email })
	})
}

export default function VerifyEmail() {
	const { t } = useTranslation()
	const { problem } = useLoaderData<typeof loader>()
	const answer = useActionData<typeof action>()
	const busy = useNavigation().state === 'submitting'
	if (answer && 'confirmed' in answer) {
		return (
			<section className="narrow card">
				<h1>{t('Your email address is confirmed')}</h1>
				<p>{t('Thank you: {{email}} is confirmed, and you can ask and answer questions now.', { email: answer.confirmed })}</p>
				<p>
					<Link to="/" className="button primary">
						{t('Continue')}
					</Link>
				</p>
			</section>
		)
	}
	const refused = problem ?? resultErrors(answer && 'result' in answer ? answer.result : undefined)?.[0]
	return (
		<section className="narrow card">
			<h1>{t('Confirm your email address')}</h1>
			{refused ? (
				<>
					<FormError errors={[refused]} />
					<p>
						<Link to="/verify-email">{t('Get a new link')}</Link>
					</p>
				</>
			) : (
				<Form method="post">
					<p>{t('Confirm that this email address is yours.')}</p>
					<button type="submit" className="button primary" disabled={busy}>
						{t('Confirm my email address')}
					</button>
				</Form>
			)}
		</section>
	)
}
