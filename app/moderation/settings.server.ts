import { db } from '#db/client.server'
import { recordAudit } from '~/audit/audit.server'
import { authorize, type Actor } from '~/auth/permissions.server'
import { readSetting, writeSetting, type SiteSetting } from '~/settings/settings.server'
import type { ModerationSettingsInput } from './validation'

/** What /admin/moderation shows: the rules in force (the defaults until an admin saves). */
export async function moderationSettings(actor: Actor | null): Promise<SiteSetting<'moderation'>> {
	authorize(actor, 'moderation:configure')
	return readSetting(db, 'moderation')
}

/** Saves the rules, with an audit entry naming each change (from, to) in the same transaction; an unchanged form writes no entry. */
export async function saveModerationSettings(actor: Actor | null, input: ModerationSettingsInput): Promise<SiteSetting<'moderation'>> {
	authorize(actor, 'moderation:configure')
	const next: SiteSetting<'moderation'> = {
		flagsToHide: input.flagsToHide,
		newPersonPosts: input.newPersonPosts,
		newPersonHours: input.newPersonHours,
		maxLinks: input.maxLinks,
		heldWords: input.heldWords,
		postsPerHour: { new: input.postsPerHourNew, basic: input.postsPerHourBasic, trusted: input.postsPerHourTrusted },
	}
	return db.transaction(async (tx) => {
		const before = await writeSetting(tx, 'moderation', next)
		const changed = (Object.keys(next) as Array<keyof typeof next>).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(next[key]))
		if (changed.length > 0) {
			await recordAudit(tx, actor, {
				action: 'moderation.settings_changed',
				target: { type: 'moderation', id: 'moderation', label: 'Moderation settings' },
				details: Object.fromEntries(changed.map((key) => [key, { from: before[key], to: next[key] }])),
			})
		}
		return next
	})
}
