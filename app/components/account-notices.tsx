import { Form, Link } from '@remix-run/react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { Role } from '#db/schema'

type NoticeUser = { email: string; emailVerified: boolean; role: Role } | null

/**
 * Above every page: the greeting after signing up or in (its cookie is deleted
 * once shown, see app/people/welcome.server.ts), and for a person whose address
 * is not confirmed yet, why they cannot post and how to get a new link.
 */
export function AccountNotices({ user, welcome, mailOnSite }: { user: NoticeUser; welcome: string | null; mailOnSite: boolean }) {
	const { t } = useTranslation()
	useEffect(() => {
		if (welcome) document.cookie = 'kz_welcome=; Max-Age=0; Path=/; SameSite=Lax'
	}, [welcome])
	const mailHint = mailOnSite ? (
		<>
			{' '}
			{t('This site sends no mail yet (SMTP_URL is not set): read it at')} <Link to="/admin/mail">/admin/mail</Link>.
		</>
	) : null
	return (
		<>
			{welcome ? (
				<p className="notice welcome" role="status" data-testid="welcome">
					{welcome === 'admin'
						? t('Welcome to Kizuna! You are the first person here, so you are this site’s admin.')
						: welcome === 'member'
							? t('Welcome to Kizuna! Your account is ready.')
							: welcome === 'password'
								? t('Your new password is saved, and you are signed in.')
								: t('Welcome back!')}
				</p>
			) : null}
			{user && !user.emailVerified ? (
				<div className="notice verify-email" role="status" data-testid="verify-banner">
					<p>
						{t('Confirm your email address to ask and answer questions: we sent a link to {{email}}.', { email: user.email })}
						{mailHint}
					</p>
					<Form method="post" action="/verify-email">
						<button type="submit" className="link-button">
							{t('Resend the link')}
						</button>
					</Form>
				</div>
			) : null}
		</>
	)
}
