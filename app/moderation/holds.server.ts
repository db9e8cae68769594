import { and, desc, eq, gt, ne, sql } from 'drizzle-orm'
import type { Queryable } from '#db/client.server'
import { answers, questions, users } from '#db/schema'
import type { Actor } from '~/auth/permissions.server'
import { readSetting, type SiteSetting } from '~/settings/settings.server'
import { DomainError } from '~/utils/errors.server'
import { trustLevelOf, type TrustLevel } from './trust.server'

import { holdReasons, type HoldReason } from './reasons'

export { holdReasons, type HoldReason } from './reasons'

export type PostScreening = { state: 'visible'; stateReason: null } | { state: 'held'; stateReason: HoldReason }

/** The same text posted again within this time is held as spam. */
const REPEAT_WINDOW_HOURS = 24
const HOUR = 3600 * 1000

// An inline link or image, `[text](target`: counted once however its text reads. Only
// its opening is matched, with bounded repeats, so a 30,000-character line of `[` or
// `](` costs a few million steps rather than backtracking quadratically.
const inlineLink = /\[[^\]\n]{0,500}\]\(\s*<?([^)\s>]{0,2048})/g
// `<https://…>` and `<mailto:…>` autolinks.
const autolink = /<(?:[a-z][a-z0-9+.-]{1,31}:[^\s<>]+)>/gi
// What the renderer (and any reader) takes for a link in plain text.
const bareLink = /(?:\b[a-z][a-z0-9+.-]{1,31}:\/\/|\bwww\.)[^\s<>()[\]]+|\bmailto:[^\s<>()[\]]+/gi
const external = /^(?:[a-z][a-z0-9+.-]{1,31}:|\/\/|www\.)/i

/**
 * Where the links in a post's Markdown source point: inline links to another site,
 * autolinks and bare URLs, one entry per link (`[https://a.test](https://a.test)` is
 * one link). Relative links (`[see](/questions/1)`) stay within Kizuna and are left out.
 */
export function linkTargets(markdown: string): string[] {
	const targets: string[] = []
	const rest = markdown
		.replace(inlineLink, (_, target: string) => {
			if (external.test(target)) targets.push(target)
			return ' '
		})
		.replace(autolink, (link: string) => {
			targets.push(link.slice(1, -1))
			return ' '
		})
	return [...targets, ...(rest.match(bareLink) ?? [])]
}

export const countLinks = (markdown: string): number => linkTargets(markdown).length

/**
 * A link target as a reader would end up there, so that an edit moving a link to
 * another site (or page, or query) is told apart from one that rewrites it in
 * another spelling: host case, `http`/`https`, a `www.` or `//` start, a fragment
 * and trailing punctuation do not matter; a host hidden behind `user@` does.
 */
export function linkKey(target: string): string {
	const trimmed = target.replace(/[.,;:!?'"]+$/, '')
	const absolute = /^www\./i.test(trimmed) ? `http://${trimmed}` : trimmed.startsWith('//') ? `https:${trimmed}` : trimmed
	try {
		const url = new URL(absolute)
		if (url.protocol === 'http:' || url.protocol === 'https:') return `${url.hostname.replace(/\.+$/, '')}${url.pathname}${url.search}`
		return `${url.protocol}${url.pathname}${url.search}`.toLowerCase()
	} catch {
		return trimmed.toLowerCase()
	}
}

/**
 * Text as word lists compare it: NFKC folds full-width Latin letters and digits to
 * half-width and half-width katakana to full-width (ＳＰＡＭ = spam, ｽﾊﾟﾑ = スパム),
 * then case is ignored.
 */
export const foldForMatching = (text: string) => text.normalize('NFKC').toLowerCase()

/**
 * The first entry of the word list found in the text. Substrings match: Japanese has
 * no spaces between words, so a whole-word match would never find one.
 */
export function heldWordIn(text: string, words: readonly string[]): string | null {
	const folded = foldForMatching(text)
	return words.find((word) => {
		const entry = foldForMatching(word).trim()
		return entry !== '' && folded.includes(entry)
	}) ?? null
}

/** Two posts are "the same text" when they differ only in width, case and spacing. */
const sameTextKey = (text: string) => foldForMatching(text).replace(/\s+/g, ' ').trim()

const levelLabel: Record<Exclude<TrustLevel, 'staff'>, string> = { new: 'New members', basic: 'Members', trusted: 'Trusted members' }

/** Whether someone counts as new: fewer than `newPersonPosts` visible posts, or joined less than `newPersonHours` ago. */
async function isNewPerson(q: Queryable, authorId: string, rules: SiteSetting<'moderation'>, now: Date): Promise<boolean> {
	const [row] = await q.execute<{ joined: Date | string; posts: number }>(sql`
		select ${users.createdAt} as joined,
			((select count(*) from ${questions} where ${questions.authorId} = ${authorId} and ${questions.state} = 'visible')
			+ (select count(*) from ${answers} where ${answers.authorId} = ${authorId} and ${answers.state} = 'visible'))::int as posts
		from ${users} where ${users.id} = ${authorId}`)
	if (!row) return true
	const joinedFor = now.getTime() - new Date(row.joined).getTime()
	return Number(row.posts) < rules.newPersonPosts || (rules.newPersonHours > 0 && joinedFor < rules.newPersonHours * HOUR)
}

/**
 * Refuses a post over the hourly limit of the author's trust level, saying when the
 * next one will be accepted: the hour counts from their oldest post within it.
 */
async function checkHourlyLimit(q: Queryable, authorId: string, level: Exclude<TrustLevel, 'staff'>, rules: SiteSetting<'moderation'>, now: Date) {
	const allowed = rules.postsPerHour[level]
	const since = new Date(now.getTime() - HOUR)
	const [row] = await q.execute<{ n: number; oldest: Date | string | null }>(sql`
		select count(*)::int as n, min(at) as oldest from (
			select ${questions.createdAt} as at from ${questions} where ${questions.authorId} = ${authorId} and ${questions.createdAt} > ${since.toISOString()}::timestamptz
			union all
			select ${answers.createdAt} from ${answers} where ${answers.authorId} = ${authorId} and ${answers.createdAt} > ${since.toISOString()}::timestamptz
		) recent`)
	if (Number(row?.n ?? 0) < allowed) return
	const freeAt = new Date(row!.oldest!).getTime() + HOUR
	const minutes = Math.max(1, Math.ceil((freeAt - now.getTime()) / 60_000))
	const wait = minutes === 1 ? 'try again in 1 minute' : `try again in ${minutes} minutes`
	throw new DomainError('rate_limited', `${levelLabel[level]} can post ${allowed} times an hour; ${wait}`, {}, minutes * 60)
}

/** Whether the author posted the same question (title and text) or the same answer within the repeat window; an edited post is not compared with itself. */
async function postedRecently(q: Queryable, authorId: string, post: ScreenedPost, now: Date): Promise<boolean> {
	const since = sql`${new Date(now.getTime() - REPEAT_WINDOW_HOURS * HOUR).toISOString()}::timestamptz`
	const others = (table: typeof questions | typeof answers) => (post.id === undefined ? undefined : ne(table.id, post.id))
	// The hourly limits keep this to a few hundred rows at most; the newest are the likeliest repeats.
	const earlier =
		post.title === undefined
			? await q
					.select({ body: answers.body })
					.from(answers)
					.where(and(eq(answers.authorId, authorId), gt(answers.createdAt, since), others(answers)))
					.orderBy(desc(answers.createdAt))
					.limit(200)
			: await q
					.select({ title: questions.title, body: questions.body })
					.from(questions)
					.where(and(eq(questions.authorId, authorId), gt(questions.createdAt, since), others(questions)))
					.orderBy(desc(questions.createdAt))
					.limit(200)
	const keyOf = (p: { title?: string; body: string }) => sameTextKey(`${p.title ?? ''}\n${p.body}`)
	const key = keyOf(post)
	return earlier.some((row) => keyOf(row) === key)
}

/**
 * Decides, in the posting transaction, whether a new question or answer goes up at
 * once or waits for review, and refuses it when its author is over their hourly
 * limit. Staff are never held or limited. Posts by one person are screened one at a
 * time (a transaction-scoped lock), so two at once cannot both slip under a limit.
 */
export async function screenNewPost(tx: Queryable, actor: Actor, post: { title?: string; body: string }, now = new Date()): Promise<PostScreening> {
	if (actor.role !== 'member') return { state: 'visible', stateReason: null }
	await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`post-screening:${actor.id}`}))`)
	const rules = await readSetting(tx, 'moderation')
	const level = await trustLevelOf(tx, actor.id)
	if (level !== 'staff') await checkHourlyLimit(tx, actor.id, level, rules, now)
	return screenContent(tx, actor, post, rules, now)
}

/**
 * The same rules for an edit by its author, applied to what the edit adds (a held
 * word not there before, more links than before or a link to somewhere the post did
 * not link to, text that repeats another recent post), so a post cannot go up clean and be edited into spam, while fixing a typo
 * in an approved post with links does not send it back to the queue. Edits are not
 * counted against the hourly post limits (the `post` rate limit covers them), and
 * staff editing anyone's post are never held.
 */
export async function screenEdit(tx: Queryable, actor: Actor, before: ScreenedPost, after: ScreenedPost & { id: number }, now = new Date()): Promise<PostScreening> {
	if (actor.role !== 'member') return { state: 'visible', stateReason: null }
	await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`post-screening:${actor.id}`}))`)
	return screenContent(tx, actor, after, await readSetting(tx, 'moderation'), now, before)
}

/** A question (with its title) or an answer; `id` when it is an edit of that post. */
type ScreenedPost = { title?: string; body: string; id?: number }

const textOf = (post: ScreenedPost) => (post.title === undefined ? post.body : `${post.title}\n${post.body}`)

async function screenContent(tx: Queryable, actor: Actor, post: ScreenedPost, rules: SiteSetting<'moderation'>, now: Date, before?: ScreenedPost): Promise<PostScreening> {
	const text = textOf(post)
	const earlier = before ? textOf(before) : ''
	if (sameTextKey(text) !== sameTextKey(earlier) && (await postedRecently(tx, actor.id, post, now))) return { state: 'held', stateReason: holdReasons.repeated }
	if (rules.heldWords.some((word) => heldWordIn(text, [word]) && !heldWordIn(earlier, [word]))) return { state: 'held', stateReason: holdReasons.heldWord }
	const targets = linkTargets(text)
	const links = targets.length
	// A link counts as added when there are more than before or one points somewhere the post did not: otherwise an approved post could be edited to send its readers elsewhere.
	const earlierTargets = linkTargets(earlier)
	const known = new Set(earlierTargets.map(linkKey))
	const added = links > earlierTargets.length || targets.some((target) => !known.has(linkKey(target)))
	if (links > rules.maxLinks && added) return { state: 'held', stateReason: holdReasons.manyLinks }
	if (added && (await isNewPerson(tx, actor.id, rules, now))) return { state: 'held', stateReason: holdReasons.newPersonLinks }
	return { state: 'visible', stateReason: null }
}
