import { eq, sql } from 'drizzle-orm'
import { db, type Queryable } from '#db/client.server'
import { answers, questions, users, votes } from '#db/schema'
import type { Actor } from '~/auth/permissions.server'
import { readSetting } from '~/settings/settings.server'

export const trustLevels = ['new', 'basic', 'trusted', 'staff'] as const
export type TrustLevel = (typeof trustLevels)[number]

/** Accepted or upvoted visible posts that make a person basic, then trusted (as Discourse's levels, kept small). */
export const TRUST_THRESHOLDS = { basic: 2, trusted: 10 }

/** The person's own vote on a post, taken out of its score: what others thought is what counts. */
const ownVote = (userId: string, postType: 'question' | 'answer', postId: typeof questions.id | typeof answers.id) =>
	sql`coalesce((select ${votes.value} from ${votes} where ${votes.userId} = ${userId} and ${votes.postType} = ${postType} and ${votes.postId} = ${postId}), 0)`

/**
 * How far the community trusts this person, from what others thought of their posts:
 * staff by role; otherwise by the number of their visible posts that others upvoted or
 * that were accepted on someone else's question. Accepting one's own answer, or voting
 * for oneself, says nothing of what others think, so asking, answering and accepting in
 * a loop earns nothing. Computed when needed (a few indexed counts), so it never goes stale.
 */
export async function trustLevelOf(q: Queryable, userId: string): Promise<TrustLevel> {
	const [person] = await q.select({ role: users.role }).from(users).where(eq(users.id, userId))
	if (!person) return 'new'
	if (person.role !== 'member') return 'staff'
	const [counted] = await q.execute<{ n: number }>(sql`
		select (
			(select count(*) from ${questions} where ${questions.authorId} = ${userId} and ${questions.state} = 'visible'
				and ${questions.score} - ${ownVote(userId, 'question', questions.id)} > 0)
			+ (select count(*) from ${answers} where ${answers.authorId} = ${userId} and ${answers.state} = 'visible'
				and (${answers.score} - ${ownVote(userId, 'answer', answers.id)} > 0
					or exists (select 1 from ${questions} where ${questions.acceptedAnswerId} = ${answers.id} and ${questions.authorId} <> ${userId})))
		)::int as n`)
	const good = Number(counted?.n ?? 0)
	if (good >= TRUST_THRESHOLDS.trusted) return 'trusted'
	if (good >= TRUST_THRESHOLDS.basic) return 'basic'
	return 'new'
}

/** A person's level as their public profile shows it. */
export const personTrustLevel = (userId: string) => trustLevelOf(db, userId)

/** What someone is shown about their own level on their settings page: the level and how many posts an hour it allows (null: no limit, staff). */
export async function ownTrustLevel(actor: Actor): Promise<{ level: TrustLevel; postsPerHour: number | null }> {
	const level = await trustLevelOf(db, actor.id)
	const { postsPerHour } = await readSetting(db, 'moderation')
	return { level, postsPerHour: level === 'staff' ? null : postsPerHour[level] }
}
