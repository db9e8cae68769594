import type { Queryable } from '#db/client.server'
import { mailLink } from '~/mail/links.server'
import { i18nFor } from '~/i18n/i18n'
import type { Locale } from '~/i18n/locales'
import { composeMail } from '~/mail/compose.server'
import { queueMail } from '~/mail/outbox.server'

type Recipient = { userId: string; to: string; locale: Locale; displayName: string }

/** The link to confirm an address: for a new account, or for the new address of an email change. */
export async function queueVerificationMail(tx: Queryable, recipient: Recipient, link: { id: number; token: string }, reason: 'sign-up' | 'email-change') {
	const { t } = i18nFor(recipient.locale)
	const heading = reason === 'sign-up' ? t('Confirm your email address') : t('Confirm your new email address')
	const { text, html } = composeMail({
		heading,
		paragraphs: [
			t('Hello {{name}},', { name: recipient.displayName }),
			reason === 'sign-up'
				? t('Please confirm that this is your email address. Until you do, you can read, vote and follow questions on Kizuna, but not post.')
				: t('You asked to use this address for your Kizuna account. Your account keeps its old address until you confirm this one.'),
			t('The link works once, for 48 hours. If this was not you, ignore this mail.'),
		],
		action: { label: t('Confirm your email address'), url: mailLink(`/verify-email/${link.token}`) },
	})
	await queueMail(tx, { userId: recipient.userId, to: recipient.to, locale: recipient.locale, kind: 'email_verification', dedupeKey: `email_verification:${link.id}`, subject: `${heading} · Kizuna`, text, html })
}

export async function queuePasswordResetMail(tx: Queryable, recipient: Recipient, link: { id: number; token: string }) {
	const { t } = i18nFor(recipient.locale)
	const heading = t('Reset your password')
	const { text, html } = composeMail({
		heading,
		paragraphs: [
			t('Hello {{name}},', { name: recipient.displayName }),
			t('Someone, hopefully you, asked to reset the password of the Kizuna account with this email address.'),
			t('The link works once, for one hour. If you did not ask for it, ignore this mail: your password stays as it is.'),
		],
		action: { label: t('Choose a new password'), url: mailLink(`/reset-password/${link.token}`) },
	})
	await queueMail(tx, { userId: recipient.userId, to: recipient.to, locale: recipient.locale, kind: 'password_reset', dedupeKey: `password_reset:${link.id}`, subject: `${heading} · Kizuna`, text, html })
}

/** An admin's invitation to join as staff: the link sets a name and password. */
export async function queueInvitationMail(tx: Queryable, recipient: Recipient, link: { id: number; token: string }, invitedBy: string) {
	const { t } = i18nFor(recipient.locale)
	const heading = t('You are invited to Kizuna')
	const { text, html } = composeMail({
		heading,
		paragraphs: [
			t('Hello {{name}},', { name: recipient.displayName }),
			t('{{admin}} invited you to help run this Kizuna community. Choose your password to join.', { admin: invitedBy }),
			t('The link works once, for 7 days. If you did not expect it, ignore this mail.'),
		],
		action: { label: t('Accept the invitation'), url: mailLink(invitationPath(link.token)) },
	})
	await queueMail(tx, { userId: recipient.userId, to: recipient.to, locale: recipient.locale, kind: 'invitation', dedupeKey: `invitation:${link.id}`, subject: `${heading} · Kizuna`, text, html })
}

export const invitationPath = (token: string) => `/invitations/${token}`
