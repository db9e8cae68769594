import { db } from '#db/client.server'
import { recordAudit } from '~/audit/audit.server'
import { authorize, type Actor } from '~/auth/permissions.server'
import { staffPasswordsAllowed } from '~/settings/password-sign-in.server'
import { readSetting, writeSetting } from '~/settings/settings.server'
import { DomainError } from '~/utils/errors.server'
import { productLoginUrl, type SsoConfig } from './config.server'
import type { SsoSettingsInput } from './validation'

/** What /admin/sso shows: which parts are set up (never the secret itself) and the admin's choice. */
export async function ssoOverview(actor: Actor | null, config: SsoConfig) {
	authorize(actor, 'sso:configure')
	return {
		secretSet: Boolean(config.secret),
		jwksUrl: config.jwksUrl ?? null,
		loginUrl: config.loginUrl ?? null,
		settings: await readSetting(db, 'sso'),
	}
}

/**
 * Saves the admin's choice, audited in the same transaction. Turning staff passwords
 * off is refused while staff have no other way in (`staffSignInElsewhere`: OpenID
 * Connect set up), so an admin cannot lock everyone out of the administration.
 */
export async function saveSsoSettings(actor: Actor | null, input: SsoSettingsInput, options: { staffSignInElsewhere: boolean }) {
	authorize(actor, 'sso:configure')
	if (!input.staffPasswords && !options.staffSignInElsewhere) {
		throw new DomainError('conflict', 'Staff would have no way to sign in: set up OpenID Connect for staff before turning passwords off')
	}
	await db.transaction(async (tx) => {
		const before = await writeSetting(tx, 'sso', { staffPasswords: input.staffPasswords })
		if (before.staffPasswords === input.staffPasswords) return
		await recordAudit(tx, actor, {
			action: 'sso.settings_changed',
			target: { type: 'sso', id: 'sso', label: 'Single sign-on' },
			details: { staffPasswords: { from: before.staffPasswords, to: input.staffPasswords } },
		})
	})
}

/**
 * What /signin offers. Without the product's login page: the password form, as ever.
 * With it, customers are sent to the product (`redirect`), while `?staff` opens the
 * staff password form when the admin allows it (`staff`), or says it is closed.
 */
export async function signInPage(config: SsoConfig, request: { staff: boolean; returnTo: string }): Promise<{ redirect: string } | { form: 'everyone' | 'staff' | 'closed' }> {
	if (!config.loginUrl) return { form: 'everyone' }
	if (!request.staff) return { redirect: productLoginUrl(config.loginUrl, request.returnTo) }
	return { form: (await staffPasswordsAllowed(config.loginUrl)) ? 'staff' : 'closed' }
}
