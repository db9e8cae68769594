import { beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { db } from '../../db/client.server'
import { learnedPhrasings, questions } from '../../db/schema'
import { importContent } from '../../app/knowledge/import.server'
import type { Actor } from '../../app/auth/permissions.server'
import { feedbackSummary, recordFeedback } from '../../app/knowledge/feedback.server'
import { feedbackSchema } from '../../app/knowledge/validation'
import { learnedPhrasingsOf, removeLearnedPhrasing } from '../../app/knowledge/phrasings.server'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { searchContent } from '../../search/query.server'
import { person } from '../support/factories'
import { resetData } from '../support/reset'

const threads = [
	{ externalId: 'strike', title: 'Strikethrough with GitHub Markdown', body: 'Strikethrough with GitHub Markdown', answers: [{ body: 'Use ~~tildes around the words~~.', accepted: true }] },
	{ externalId: 'gmail-filter', title: 'Automatically label incoming mail from a sender in Gmail', body: 'Filters in Gmail', answers: [{ body: 'Create a filter with the From field and choose Apply the label.' }] },
	{ externalId: 'yt-loop', title: 'Repeat a YouTube video forever', body: 'Looping playback', answers: [{ body: 'Right-click the player and choose Loop.' }] },
	{ externalId: 'docs-count', title: 'Word count in Google Docs', body: 'Counting words', answers: [{ body: 'Tools → Word count, or Ctrl+Shift+C.' }] },
	{ externalId: 'ja-invoice', title: '請求書の宛名を変更する', body: '請求書の宛名と住所の変更', answers: [{ body: '設定 → 請求 → 請求先情報 で変更できます。' }] },
	{ externalId: 'ja-2fa', title: '二段階認証のコードが届かない', body: '機種変更で認証アプリが使えない', answers: [{ body: 'バックアップコードでログインしてください。' }] },
]

const visitor = (id: string) => ({ userId: null, visitorId: id, record: true })
const rankOf = async (q: string, externalId: string) => {
	const result = await searchContent({ q, limit: 10 }, visitor('reader'))
	const index = result.hits.findIndex((hit) => hit.externalId === externalId)
	return index === -1 ? null : index + 1
}

async function idOf(externalId: string) {
	const [row] = await db.select({ id: questions.id }).from(questions).where(eq(questions.externalId, externalId))
	return row!.id
}

/** Someone (signed in, or an anonymous visitor) searches, opens the thread and says it solved the problem. */
async function resolve(q: string, externalId: string, who: Actor | string) {
	const actor = typeof who === 'string' ? null : who
	const visitorId = typeof who === 'string' ? who : `visitor-of-${who.id}`
	const search = await searchContent({ q, limit: 10 }, { userId: actor?.id ?? null, visitorId, record: true })
	await recordFeedback({ actor, visitorId, clientIp: '203.0.113.9' }, feedbackSchema.parse({ targetType: 'question', targetId: await idOf(externalId), helpful: true, searchId: search.searchId }))
}

describe('search that learns', () => {
	beforeEach(async () => {
		await resetData()
		await importContent({ questions: threads })
		await runPendingJobs()
	})

	it('finds the thread for a full-sentence question worded differently', async () => {
		expect(await rankOf('How can I cross out my text on GitHub?', 'strike')).toBe(1)
		expect(await rankOf('how do I make a youtube clip play over and over again', 'yt-loop')).toBe(1)
	})

	it('understands Japanese full-sentence questions', async () => {
		expect(await rankOf('請求書に載る会社名を変えたいのですがどうすればいいですか', 'ja-invoice')).toBe(1)
		expect(await rankOf('スマホを変えたら二段階認証のコードが来なくなりました', 'ja-2fa')).toBe(1)
	})

	it('makes a missed query hit once three signed-in people resolved a search with it, and forgets it when CS removes it', async () => {
		const query = 'sort my newsletters into a folder on their own'
		expect(await rankOf(query, 'gmail-filter')).not.toBe(1)
		await resolve(query, 'gmail-filter', await person('member', 'Aiko'))
		await resolve(query, 'gmail-filter', await person('member', 'Ben'))
		await runPendingJobs()
		expect(await rankOf(query, 'gmail-filter')).not.toBe(1)
		await resolve(query, 'gmail-filter', await person('member', 'Chie'))
		await runPendingJobs()
		expect(await rankOf(query, 'gmail-filter')).toBe(1)

		const id = await idOf('gmail-filter')
		const [learned] = await learnedPhrasingsOf('question', id)
		expect(learned).toMatchObject({ phrasing: query, count: 3, active: true })
		const [withPhrasing] = await db.select({ frequency: questions.frequency }).from(questions).where(eq(questions.id, id))
		expect(withPhrasing!.frequency).toBe(2)

		await removeLearnedPhrasing(await person('cs'), learned!.id)
		await runPendingJobs()
		expect(await rankOf(query, 'gmail-filter')).not.toBe(1)
		expect(await learnedPhrasingsOf('question', id)).toEqual([])
		const [after] = await db.select({ frequency: questions.frequency }).from(questions).where(eq(questions.id, id))
		expect(after!.frequency).toBe(1)
	})

	it('counts the same person once however often they repeat it', async () => {
		const query = 'sort my newsletters into a folder on their own'
		const [first, second] = [await person(), await person()]
		await resolve(query, 'gmail-filter', first)
		await resolve(query, 'gmail-filter', first)
		await resolve(`${query}!`, 'gmail-filter', first)
		await resolve(query, 'gmail-filter', second)
		const rows = await db.select().from(learnedPhrasings)
		expect(rows).toHaveLength(1)
		expect(rows[0]).toMatchObject({ count: 2, active: false })
	})

	it('is not taught by anonymous votes, however many, though they count as helpful', async () => {
		const query = 'sort my newsletters into a folder on their own'
		const before = await rankOf(query, 'gmail-filter')
		expect(before).not.toBe(1)
		for (let n = 0; n < 25; n++) await resolve(query, 'gmail-filter', `anonymous-${n}`)
		await runPendingJobs()
		expect(await rankOf(query, 'gmail-filter')).toBe(before)
		expect(await learnedPhrasingsOf('question', await idOf('gmail-filter'))).toEqual([])
		expect(await feedbackSummary('question', await idOf('gmail-filter'))).toMatchObject({ helpful: 25, helpfulShare: 1 })
	})

	it('is taught by one staff member at once', async () => {
		const query = 'sort my newsletters into a folder on their own'
		await resolve(query, 'gmail-filter', await person('cs', 'Support'))
		await runPendingJobs()
		expect(await rankOf(query, 'gmail-filter')).toBe(1)
	})

	it('shows staff who taught each phrasing, including the ones not counted yet', async () => {
		const id = await idOf('gmail-filter')
		await resolve('newsletters into their own folder', 'gmail-filter', await person('member', 'Aiko'))
		await resolve('newsletters into their own folder', 'gmail-filter', await person('member', 'Ben'))
		await resolve('label mail from one sender', 'gmail-filter', await person('cs', 'Support'))
		await resolve('label mail from one sender', 'gmail-filter', 'anonymous')
		const listed = await learnedPhrasingsOf('question', id)
		expect(listed).toMatchObject([
			{ phrasing: 'label mail from one sender', active: true, count: 1, teachers: [expect.stringMatching(/^Support \d+$/)] },
			{ phrasing: 'newsletters into their own folder', active: false, count: 2, teachers: [expect.stringMatching(/^Aiko \d+$/), expect.stringMatching(/^Ben \d+$/)] },
		])
	})

	it('learns from a click followed by a helpful vote without a search id', async () => {
		const query = 'how many words did I write in my doc'
		const search = await searchContent({ q: query, limit: 10 }, visitor('clicker'))
		const id = await idOf('docs-count')
		const { recordSearchClick } = await import('../../app/knowledge/feedback.server')
		await recordSearchClick({ actor: null, visitorId: 'v' }, search.searchId, { hitId: id, hitType: 'question' })
		await recordFeedback({ actor: await person(), visitorId: 'clicker', clientIp: '203.0.113.9' }, feedbackSchema.parse({ targetType: 'question', targetId: id, helpful: true }))
		expect(await learnedPhrasingsOf('question', id)).toMatchObject([{ phrasing: query, count: 1 }])
	})

	it('only staff remove learned phrasings', async () => {
		await resolve('sort my newsletters into a folder on their own', 'gmail-filter', await person('cs'))
		const [learned] = await learnedPhrasingsOf('question', await idOf('gmail-filter'))
		await expect(removeLearnedPhrasing(await person('member'), learned!.id)).rejects.toMatchObject({ status: 403 })
	})
})
