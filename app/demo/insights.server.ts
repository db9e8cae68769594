import { eq, sql } from 'drizzle-orm'
import type { Transaction } from '#db/client.server'
import { accountDomains, accounts, events, faqs, questions, users, type EventType, type LifecyclePhase } from '#db/schema'
import { normalizeQuery } from '~/insights/events.server'

const DAY = 24 * 60 * 60 * 1000

/** The demo members' companies, as a CRM would list them. */
const demoAccounts: Array<{ externalId: string; name: string; plan: string; size: string; industry: string; phase: LifecyclePhase; domain: string }> = [
	{ externalId: 'crm-1001', name: 'まる商店', plan: 'starter', size: '1-10', industry: 'retail', phase: 'onboarding', domain: 'example-maru.co.jp' },
	{ externalId: 'crm-1002', name: 'ほしぞら物流', plan: 'growth', size: '50-200', industry: 'logistics', phase: 'adoption', domain: 'example-hoshizora.co.jp' },
	{ externalId: 'crm-1003', name: 'さくらデザイン', plan: 'growth', size: '10-50', industry: 'design', phase: 'expansion', domain: 'example-sakuradesign.jp' },
	{ externalId: 'crm-2001', name: 'Acme Robotics', plan: 'enterprise', size: '200+', industry: 'manufacturing', phase: 'adoption', domain: 'example-acme.com' },
	{ externalId: 'crm-2002', name: 'Northwind Analytics', plan: 'growth', size: '50-200', industry: 'software', phase: 'onboarding', domain: 'example-northwind.io' },
	{ externalId: 'crm-2003', name: 'Brightline Media', plan: 'starter', size: '10-50', industry: 'media', phase: 'expansion', domain: 'example-brightline.com' },
]

const searchesThatFindNothing = ['gantt chart export pdf', 'ガントチャート 印刷', 'sso with okta', '請求書 インボイス制度']
const searchesThatFind = ['export board csv', 'slack notifications', '二段階認証', 'recurring tasks', 'invite guests', '通知 届かない']

/**
 * Demo customer accounts with their people, and three weeks of their activity
 * (searches, clicks, views, the ask form) so that the insights pages have
 * something to show. The worker turns the events into help journeys.
 */
export async function seedDemoInsights(tx: Transaction, csmEmail: string, now: Date) {
	const [csm] = await tx.select({ id: users.id }).from(users).where(eq(users.email, csmEmail))
	for (const demo of demoAccounts) {
		const [account] = await tx
			.insert(accounts)
			.values({ externalId: demo.externalId, name: demo.name, plan: demo.plan, size: demo.size, industry: demo.industry, phase: demo.phase, csmId: csm?.id ?? null })
			.onConflictDoNothing()
			.returning({ id: accounts.id })
		if (!account) continue
		await tx.insert(accountDomains).values({ domain: demo.domain, accountId: account.id }).onConflictDoNothing()
		await tx.execute(sql`update ${users} set account_id = ${account.id} where role = 'member' and lower(email) like ${`%@${demo.domain}`}`)
	}

	const people = await tx.select({ id: users.id, accountId: users.accountId }).from(users).where(sql`${users.accountId} is not null`)
	const questionIds = (await tx.select({ id: questions.id }).from(questions)).map((row) => row.id)
	const faqIds = (await tx.select({ id: faqs.id }).from(faqs).where(eq(faqs.published, true))).map((row) => row.id)
	if (questionIds.length === 0) return
	// mulberry32 with a fixed seed rather than Math.random, so every fresh demo shows the same figures.
	let seed = 7
	const next = (n: number) => {
		seed = (seed + 0x6d2b79f5) | 0
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
		return (((t ^ (t >>> 14)) >>> 0) % n)
	}
	const rows: Array<typeof events.$inferInsert> = []
	for (const person of people) {
		for (let daysAgo = 20; daysAgo >= 1; daysAgo--) {
			if (next(3) === 0) continue
			let at = now.getTime() - daysAgo * DAY + next(10 * 60) * 60_000
			const add = (type: EventType, extra: Partial<typeof events.$inferInsert> = {}) => {
				rows.push({ type, occurredAt: new Date(at), actorKey: person.id, userId: person.id, accountId: person.accountId, ...extra })
				at += (1 + next(4)) * 60_000
			}
			const found = next(4) > 0
			const query = found ? searchesThatFind[next(searchesThatFind.length)]! : searchesThatFindNothing[next(searchesThatFindNothing.length)]!
			add('search', { query, normalizedQuery: normalizeQuery(query), resultCount: found ? 1 + next(8) : 0 })
			if (found) {
				const useFaq = faqIds.length > 0 && next(2) === 0
				const target = useFaq ? { targetType: 'faq', targetId: faqIds[next(faqIds.length)]! } : { targetType: 'question', targetId: questionIds[next(questionIds.length)]! }
				add('result_click', target)
				add('content_view', target)
			} else if (next(2) === 0) {
				add('ask_form_opened')
				if (faqIds.length > 0 && next(2) === 0) {
					const target = { targetType: 'faq', targetId: faqIds[next(faqIds.length)]! }
					add('suggestion_clicked', target)
					add('content_view', target)
				}
			}
		}
	}
	if (rows.length > 0) await tx.insert(events).values(rows)
}
