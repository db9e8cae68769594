/**
 * Why a post waits, stored as its state reason and shown to its author after "Waiting
 * for review". Fixed sentences (no numbers or words from the post), so they are
 * translation keys and tell a spammer nothing about which word caught them.
 */
export const holdReasons = {
	newPersonLinks: 'Links in posts by new members are checked by staff first',
	manyLinks: 'Posts with many links are checked by staff first',
	heldWord: 'This post contains words that staff check first',
	repeated: 'You posted the same text a short time ago, which is held as possible spam',
} as const
export type HoldReason = (typeof holdReasons)[keyof typeof holdReasons]

/** What the author is shown on their post after flags hid it. */
export const AUTOMATIC_HIDE_REASON = 'Hidden automatically after flags from several people; staff will review it'

const automaticReasons: ReadonlySet<string> = new Set<string>([...Object.values(holdReasons), AUTOMATIC_HIDE_REASON])

/**
 * A post's state reason in the reader's language: the rules' reasons are fixed
 * sentences (translation keys), stored as such; staff write theirs in their own
 * words, shown as written.
 */
export const shownReason = (t: (key: string) => string, reason: string) => (automaticReasons.has(reason) ? t(reason) : reason)
