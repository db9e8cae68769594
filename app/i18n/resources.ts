import { en } from './en'
import { ja as jaAccounts } from './ja-accounts'
import { ja as jaAttachments } from './ja-attachments'
import { ja as jaBoundary } from './ja-boundary'
import { ja as jaCommunity } from './ja-community'
import { ja as jaContentLanguage } from './ja-content-language'
import { ja as jaFeedback } from './ja-feedback'
import { ja as jaFixes } from './ja-fixes'
import { ja as jaInsights } from './ja-insights'
import { ja as jaKnowledge } from './ja-knowledge'
import { ja as jaMail } from './ja-mail'
import { ja as jaModeration } from './ja-moderation'
import { ja as jaModerationFlags } from './ja-moderation-flags'
import { ja as jaModerationVisibility } from './ja-moderation-visibility'
import { ja as jaModerationHolds } from './ja-moderation-holds'
import { ja as jaModerationFinish } from './ja-moderation-finish'
import { ja as jaNotifications } from './ja-notifications'
import { ja as jaOperations } from './ja-operations'
import { ja as jaPeople } from './ja-people'
import { ja as jaPeopleAdmin } from './ja-people-admin'
import { ja as jaSearch } from './ja-search'
import { ja as jaSeo } from './ja-seo'
import { ja as jaSso } from './ja-sso'
import { ja as jaStaffSignIn } from './ja-staff-sign-in'
import { ja as jaTutorials } from './ja-tutorials'
import { ja as jaWebhooks } from './ja-webhooks'
import { ja as jaWidgetInsights } from './ja-widget-insights'
import { ja as jaWidget } from './ja-widget'

/**
 * Joins the catalogs of each area into one. A key may live in one area only:
 * with object spread a second definition silently replaced the first (six keys
 * did), so a duplicate stops the start instead. `npm run i18n:check` also finds
 * keys defined twice within one file, which JavaScript cannot see at run time.
 */
export function mergeCatalogs(catalogs: Record<string, Record<string, string>>): Record<string, string> {
	const merged: Record<string, string> = {}
	const origin = new Map<string, string>()
	for (const [area, catalog] of Object.entries(catalogs)) {
		for (const [key, value] of Object.entries(catalog)) {
			const first = origin.get(key)
			if (first !== undefined) throw new Error(`Translation key "${key}" is defined in both ${first} and ${area}`)
			origin.set(key, area)
			merged[key] = value
		}
	}
	return merged
}

/**
 * Keys are the English text: English lists only plural forms and names
 * (en.ts), Japanese translates every key. Server messages (form and API
 * refusals) are keys too, so they reach people in their language.
 */
export const jaCatalogs = {
	'ja-accounts': jaAccounts,
	'ja-attachments': jaAttachments,
	'ja-boundary': jaBoundary,
	'ja-community': jaCommunity,
	'ja-content-language': jaContentLanguage,
	'ja-feedback': jaFeedback,
	'ja-fixes': jaFixes,
	'ja-insights': jaInsights,
	'ja-knowledge': jaKnowledge,
	'ja-mail': jaMail,
	'ja-moderation': jaModeration,
	'ja-moderation-flags': jaModerationFlags,
	'ja-moderation-visibility': jaModerationVisibility,
	'ja-moderation-holds': jaModerationHolds,
	'ja-moderation-finish': jaModerationFinish,
	'ja-notifications': jaNotifications,
	'ja-operations': jaOperations,
	'ja-people': jaPeople,
	'ja-people-admin': jaPeopleAdmin,
	'ja-search': jaSearch,
	'ja-seo': jaSeo,
	'ja-sso': jaSso,
	'ja-staff-sign-in': jaStaffSignIn,
	'ja-tutorials': jaTutorials,
	'ja-webhooks': jaWebhooks,
	'ja-widget-insights': jaWidgetInsights,
	'ja-widget': jaWidget,
}

export const resources = {
	en: { translation: en },
	ja: { translation: mergeCatalogs(jaCatalogs) },
}
