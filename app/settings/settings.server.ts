import { eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Queryable } from '#db/client.server'
import { siteSettings } from '#db/schema'

/**
 * Settings an admin changes in the browser, each with its shape and its value
 * until someone saves one. Stored as JSON so adding a setting needs no migration;
 * read through the schema so a stored value from an older version cannot break a page.
 */
export const siteSettingDefinitions = {
	/** With single sign-on, whether staff may still sign in with a Kizuna password (customers never may). */
	sso: { schema: z.object({ staffPasswords: z.boolean() }), defaults: { staffPasswords: true } },
	/** Moderation thresholds and rules (/admin/moderation); see app/moderation/. */
	moderation: {
		schema: z.object({
			/** Weighted spam/offensive flags from distinct people that hide a post until reviewed. */
			flagsToHide: z.number().int().min(1).max(100),
			/** People count as new for their first posts… */
			newPersonPosts: z.number().int().min(0).max(1000),
			/** …or their first hours, whichever lasts longer. */
			newPersonHours: z.number().int().min(0).max(24 * 365),
			/** New people's posts with any link wait for review; anyone's with more than this many links do. */
			maxLinks: z.number().int().min(0).max(100),
			/** Posts containing any of these (case- and width-insensitive, Japanese included) wait for review. */
			heldWords: z.array(z.string().min(1).max(100)).max(500),
			/** Questions plus answers per hour, by trust level. */
			postsPerHour: z.object({ new: z.number().int().min(1).max(1000), basic: z.number().int().min(1).max(1000), trusted: z.number().int().min(1).max(1000) }),
		}),
		defaults: { flagsToHide: 3, newPersonPosts: 3, newPersonHours: 24, maxLinks: 3, heldWords: [] as string[], postsPerHour: { new: 5, basic: 20, trusted: 60 } },
	},
	/** The in-product help widget (/admin/widget); see app/widget/. */
	widget: {
		schema: z.object({
			/** Origins of the product allowed to embed the panel (CSP frame-ancestors). */
			allowedOrigins: z.array(z.string().min(1).max(200)).max(20),
			/** "Contact support": an https URL or a mailto: link; null hides the button. */
			supportLink: z.string().min(1).max(500).nullable(),
		}),
		defaults: { allowedOrigins: [] as string[], supportLink: null as string | null },
	},
}
type Definitions = typeof siteSettingDefinitions
export type SiteSettingName = keyof Definitions
export type SiteSetting<N extends SiteSettingName> = z.infer<Definitions[N]['schema']>

export async function readSetting<N extends SiteSettingName>(q: Queryable, name: N): Promise<SiteSetting<N>> {
	const definition = siteSettingDefinitions[name]
	const [row] = await q.select({ value: siteSettings.value }).from(siteSettings).where(eq(siteSettings.name, name))
	const parsed = definition.schema.safeParse(row?.value)
	return (parsed.success ? parsed.data : definition.defaults) as SiteSetting<N>
}

/** Saves a setting (checked by its schema) in the caller's transaction; returns the value it replaced. */
export async function writeSetting<N extends SiteSettingName>(tx: Queryable, name: N, value: SiteSetting<N>): Promise<SiteSetting<N>> {
	const before = await readSetting(tx, name)
	const checked = siteSettingDefinitions[name].schema.parse(value)
	await tx
		.insert(siteSettings)
		.values({ name, value: checked })
		.onConflictDoUpdate({ target: siteSettings.name, set: { value: checked, updatedAt: sql`now()` } })
	return before
}
