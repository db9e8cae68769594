import { and, eq } from 'drizzle-orm'
import { queueNotificationMails } from '../../app/mail/notification-mails.server'
import { db } from '../../db/client.server'
import { emailPreferences, mails, notifications, users, type NotificationType } from '../../db/schema'
import { person, question } from '../support/factories'
import { createUser, expect, linkIn, mailsTo, runJobs, signIn, test, unique, type Person, openAdminPage } from './support'

/** A verified person with a notification of `type` about a new question, and its mail queued as the notify job does. */
async function notified(type: NotificationType, who?: Person) {
	const reader = who ?? (await createUser('member'))
	await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, reader.id))
	const asker = await person('member', 'asker')
	const title = `Where do archived boards go ${unique('mail')}`
	const asked = await question(asker, { title })
	await db.transaction(async (tx) => {
		const [row] = await tx.insert(notifications).values({ userId: reader.id, type, sourceKey: unique('e2e'), questionId: asked.id, actorId: asker.id }).returning()
		await queueNotificationMails(tx, [row!.id])
	})
	return { reader, title }
}

const preference = async (userId: string, type: NotificationType) =>
	(await db.select().from(emailPreferences).where(and(eq(emailPreferences.userId, userId), eq(emailPreferences.type, type))))[0]?.delivery ?? null

test('the unsubscribe link of a mail works without signing in, by its button only; a forged one shows why it does not', async ({ page, request }) => {
	const { reader, title } = await notified('answer')
	const [mail] = await mailsTo(reader.email)
	expect(mail!.subject).toContain(title)
	const link = linkIn(mail!, '/unsubscribe/')

	// Opening the link (as a mail scanner does) changes nothing.
	await page.goto(link)
	await expect(page.getByRole('heading', { level: 1, name: 'Unsubscribe' })).toBeVisible()
	await expect(page.getByText(`Kizuna will stop mailing ${reader.email} about:`)).toBeVisible()
	await expect(page.getByRole('listitem').filter({ hasText: 'Answers to my questions' })).toBeVisible()
	expect(await preference(reader.id, 'answer')).toBeNull()

	await page.getByRole('button', { name: 'Unsubscribe' }).click()
	await expect(page.getByRole('status')).toHaveText(`Done: Kizuna no longer mails ${reader.email} about these notifications.`)
	expect(await preference(reader.id, 'answer')).toBe('never')

	// A mail client's one-click POST (RFC 8058) on the same link: 200 again, no sign-in.
	const oneClick = await request.post(link, { form: { 'List-Unsubscribe': 'One-Click' } })
	expect(oneClick.status()).toBe(200)

	const forged = `${link.slice(0, -3)}${link.endsWith('AAA') ? 'BBB' : 'AAA'}`
	const response = await page.goto(forged)
	expect(response!.status()).toBe(400)
	await expect(page.getByRole('heading', { level: 1, name: 'This unsubscribe link does not work' })).toBeVisible()
	await expect(page.getByRole('alert')).toHaveText('This unsubscribe link is not valid. Change what Kizuna mails you in your email settings instead.')
	expect((await request.post(forged, { form: { 'List-Unsubscribe': 'One-Click' } })).status()).toBe(400)
	expect((await request.post(`${new URL(link).origin}/unsubscribe/${'x'.repeat(2000)}`, { form: { 'List-Unsubscribe': 'One-Click' } })).status()).toBe(400)
})

test('an admin reads a sent mail at /admin/mail, and retries one that failed', async ({ page }) => {
	const { reader, title } = await notified('mention')
	await mailsTo(reader.email)
	await signIn(page, await createUser('admin'))
	await openAdminPage(page, 'Mail')
	await expect(page.getByRole('heading', { level: 1, name: 'Mail' })).toBeVisible()
	// The embedded default: mail is written to files, and the page says where.
	await expect(page.getByTestId('mail-files-notice')).toContainText(process.env.KIZUNA_DATA_DIR!)
	const row = page.getByTestId('mail').filter({ hasText: reader.email })
	await expect(row).toContainText('Sent')

	await row.getByRole('link', { name: title }).click()
	await expect(page.getByRole('heading', { level: 1 })).toContainText(title)
	await expect(page.getByRole('row', { name: /List-Unsubscribe-Post/ })).toContainText('List-Unsubscribe=One-Click')
	await expect(page.getByRole('row', { name: /^To/ })).toContainText(reader.email)
	await expect(page.getByTestId('mail-text')).toContainText(`${process.env.KIZUNA_PUBLIC_URL}/questions/`)
	await expect(page.frameLocator('iframe.mail-html').getByRole('heading', { level: 1 })).toContainText(title)
	await expect(page.locator('iframe.mail-html')).toHaveAttribute('sandbox', '')

	// A mail that failed for good: "Retry now" queues it again, and the worker sends it.
	const [queued] = await db.select().from(mails).where(eq(mails.toAddress, reader.email))
	await db.update(mails).set({ status: 'failed', lastError: '550 No such mailbox' }).where(eq(mails.id, queued!.id))
	await page.reload()
	await expect(page.getByText('550 No such mailbox')).toBeVisible()
	await page.getByRole('button', { name: 'Retry now' }).click()
	await expect(page.getByRole('status')).toHaveText('Queued again: it is sent in a moment.')
	await expect.poll(async () => (await mailsTo(reader.email, { count: 2 })).length, { timeout: 15_000 }).toBe(2)

	// Not for anyone else.
	await signIn(page, await createUser('cs'))
	await expect(page.locator('a[href="/admin/mail"]')).toHaveCount(0)
	expect((await page.goto('/admin/mail'))!.status()).toBe(403)
})

test('a person chooses what Kizuna mails them at /settings/email', async ({ page }) => {
	expect((await page.goto('/settings/email'))!.url()).toContain('/signin?redirectTo=%2Fsettings%2Femail')
	const member = await createUser('member')
	await signIn(page, member)
	await page.goto('/settings/email')
	await expect(page.getByRole('heading', { level: 2, name: 'Email settings' })).toBeVisible()
	const answers = page.getByRole('group', { name: 'Answers to my questions' })
	const tags = page.getByRole('group', { name: 'New questions in tags I follow' })
	await expect(answers.getByRole('radio', { name: /At once/ })).toBeChecked()
	await expect(tags.getByRole('radio', { name: /In the daily digest/ })).toBeChecked()

	await answers.getByRole('radio', { name: 'Never' }).check()
	await tags.getByRole('radio', { name: 'At once' }).check()
	await page.getByRole('button', { name: 'Save email settings' }).click()
	await expect(page.getByRole('status')).toHaveText('Saved.')
	expect(await preference(member.id, 'answer')).toBe('never')
	expect(await preference(member.id, 'tag_question')).toBe('now')

	await page.reload()
	await expect(page.getByRole('group', { name: 'Answers to my questions' }).getByRole('radio', { name: 'Never' })).toBeChecked()
	await expect(page.getByRole('group', { name: 'New questions in tags I follow' }).getByRole('radio', { name: /At once/ })).toBeChecked()

	// Now nothing is mailed about answers to this person's questions.
	await notified('answer', member)
	await notified('tag_question', member)
	expect((await mailsTo(member.email, { count: 2, timeoutMs: 2000 })).map((mail) => mail.subject)).toEqual([expect.stringMatching(/^New question in a tag you follow/)])
})

test('a new question in a followed tag waits for the daily digest, whose link opens the notifications', async ({ page }) => {
	const tag = `digest${Date.now().toString(36)}`
	await question(await createUser('member'), { title: `First in the tag ${unique('d')}`, tags: tag })
	// Its notifications are made before the follow: a busy server could otherwise make them after, for the follower too.
	await runJobs()
	const follower = await createUser('member')
	await signIn(page, follower)
	await page.goto(`/questions?tag=${tag}`)
	await Promise.all([
		page.waitForResponse((response) => response.url().includes('/resources/follow') && response.request().method() === 'POST'),
		page.getByRole('button', { name: 'Follow tag' }).click(),
	])

	const title = `Second in the tag ${unique('d')}`
	await question(await createUser('member'), { title, tags: tag })
	// jobs:run twice: the first makes the notification (its queues run in no set order), the second sends the digest now due (this person never had one).
	await runJobs()
	await runJobs()
	const [digest, ...more] = await mailsTo(follower.email)
	expect(more).toHaveLength(0)
	expect(digest!.subject).toBe('Your Kizuna digest: 1 new notification')
	expect(digest!.text).toContain(`New question in a tag you follow: “${title}”`)

	await page.goto(linkIn(digest!, '/notifications'))
	await expect(page.getByTestId('notification')).toContainText(title)
})
