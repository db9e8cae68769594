import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FormError } from '~/components/form'

/** Why a sign-in through the staff's identity provider was refused, and the way back to try again. */
export function SignInRefused({ problem }: { problem: string }) {
	const { t } = useTranslation()
	return (
		<section className="narrow card">
			<h1>{t('You are not signed in')}</h1>
			<FormError errors={[problem]} />
			<p>
				<Link to="/signin">{t('Back to sign in')}</Link>
			</p>
		</section>
	)
}
