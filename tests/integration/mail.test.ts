import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { and, eq } from 'drizzle-orm'
import { simpleParser, type ParsedMail } from 'mailparser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { listMails, mailDetail, retryMail } from '../../app/mail/admin.server'
import { sendDigests, DIGEST_ITEMS } from '../../app/mail/digest.server'
import { queueNotificationMails } from '../../app/mail/notification-mails.server'
import { queueMail } from '../../app/mail/outbox.server'
import { emailPreferencesOf, preferencesSchema, saveEmailPreferences } from '../../app/mail/preferences.server'
import { readUnsubscribeToken, unsubscribeToken } from '../../app/mail/unsubscribe.server'
import { action as unsubscribeAction, loader as unsubscribeLoader } from '../../app/routes/unsubscribe.$token'
import { db } from '../../db/client.server'
import { enqueue, listJobs } from '../../db/queue.server'
import { emailPreferences, mails, notifications, users, type NotificationType } from '../../db/schema'
import { person, question, type Person } from '../support/factories'
import { refusal } from '../support/refusal'
import { resetData } from '../support/reset'
import { killHard, runWorkerUntil } from '../support/workers'
import { startServer } from '../support/server-process'
import { startSmtpServer } from '../support/smtp-server'

const saved = { ...process.env }
let dataDir = ''
const closers: Array<() => Promise<void>> = []
const SITE = 'https://community.example.test'
const HOUR = 3600_000

async function smtp(options: Parameters<typeof startSmtpServer>[0] = {}) {
	const server = await startSmtpServer(options)
	closers.push(server.stop)
	process.env.SMTP_URL = server.url()
	process.env.MAIL_FROM = 'Kizuna Community <community@example.test>'
	return server
}

async function queue(to: string, dedupeKey: string, subject = 'Hello there') {
	return db.transaction((tx) => queueMail(tx, { userId: null, to, locale: 'en', kind: 'notification', dedupeKey, subject, text: 'Plain words', html: '<p>Plain words</p>' }))
}

const mailRow = async (id: number) => (await db.select().from(mails).where(eq(mails.id, id)))[0]!

/** A person whose address is verified, in a language. */
async function reader(locale: 'en' | 'ja' = 'en'): Promise<Person> {
	const who = await person('member', 'reader')
	await db.update(users).set({ emailVerifiedAt: new Date(), locale }).where(eq(users.id, who.id))
	return who
}

let sources = 0
/** A notification of `type` for `who` about a new question by `actor`, as the notify job writes one, and its mails queued in the same transaction. */
async function notify(who: Person, type: NotificationType, options: { actor?: Person; createdAt?: Date; title?: string; now?: Date } = {}) {
	const actor = options.actor ?? (await person('member', 'asker'))
	const asked = await question(actor, options.title ? { title: options.title } : {})
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(notifications)
			.values({ userId: who.id, type, sourceKey: `test:${++sources}`, questionId: asked.id, actorId: actor.id, ...(options.createdAt ? { createdAt: options.createdAt } : {}) })
			.returning()
		await queueNotificationMails(tx, [row!.id], options.now)
		return { notification: row!, question: asked, actor }
	})
}

const preference = async (userId: string, type: NotificationType) =>
	(await db.select().from(emailPreferences).where(and(eq(emailPreferences.userId, userId), eq(emailPreferences.type, type))))[0]?.delivery ?? null

/** A header as the mail carried it, unfolded. */
const header = (mail: ParsedMail, name: string) => mail.headerLines.find((line) => line.key === name.toLowerCase())?.line.replace(/\r?\n/g, '').replace(/^[^:]+:\s*/, '')
/** The link of List-Unsubscribe. */
const unsubscribeUrl = (mail: ParsedMail) => /^<(.+)>$/.exec(header(mail, 'List-Unsubscribe') ?? '')?.[1] ?? ''

const linksIn = (mail: ParsedMail) => (mail.text ?? '').match(/https?:\/\/\S+/g) ?? []

/** Calls the unsubscribe page's action as a mail client's one-click POST does (RFC 8058). */
async function oneClick(token: string, clientIp = '203.0.113.9') {
	const request = new Request(`${SITE}/unsubscribe/${token}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: 'List-Unsubscribe=One-Click',
	})
	return (await unsubscribeAction({ request, params: { token }, context: { clientIp } as never })) as Response
}

describe('Mail', () => {
	beforeEach(async () => {
		await resetData()
		dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-mail-'))
		process.env.KIZUNA_DATA_DIR = dataDir
		delete process.env.SMTP_URL
		delete process.env.MAIL_FROM
		process.env.KIZUNA_PUBLIC_URL = SITE
	})
	afterEach(async () => {
		for (const close of closers.splice(0)) await close()
		process.env = { ...saved }
		fs.rmSync(dataDir, { recursive: true, force: true })
	})

	describe('sending', () => {
		it('writes each mail to an .eml file in the data folder, in sending order, when no SMTP server is set', async () => {
			const member = await person()
			const first = await queue(member.email, 'test:1', 'First')
			await runPendingJobs()
			const second = await queue(member.email, 'test:2', 'Second')
			await runPendingJobs()
			const files = fs.readdirSync(path.join(dataDir, 'mail')).sort()
			expect(files).toHaveLength(2)
			const parsed = await Promise.all(files.map((file) => simpleParser(fs.readFileSync(path.join(dataDir, 'mail', file)))))
			expect(parsed.map((mail) => mail.subject)).toEqual(['First', 'Second'])
			expect(parsed[0]!.from?.value).toEqual([{ name: 'Kizuna', address: 'no-reply@community.example.test' }])
			expect(await mailRow(first!)).toMatchObject({ status: 'sent', attempts: 1, messageId: parsed[0]!.messageId })
			expect((await mailRow(second!)).status).toBe('sent')
		})

		it('sends through the SMTP server named by SMTP_URL, from MAIL_FROM, once however often its job runs', async () => {
			const server = await smtp()
			const member = await person()
			const id = await queue(member.email, 'test:smtp')
			expect(await queue(member.email, 'test:smtp')).toBeNull()
			await runPendingJobs()
			expect(server.received).toHaveLength(1)
			const [mail] = server.received
			expect(mail!.envelopeTo).toEqual([member.email])
			expect(mail!.parsed.from?.value).toEqual([{ name: 'Kizuna Community', address: 'community@example.test' }])
			expect(mail!.parsed.subject).toBe('Hello there')
			expect(mail!.parsed.text?.trim()).toBe('Plain words')
			expect(mail!.parsed.html).toContain('<p>Plain words</p>')
			expect(mail!.parsed.messageId).toMatch(/^<mail-1\.\d+@community\.example\.test>$/)
			expect(await mailRow(id!)).toMatchObject({ status: 'sent', attempts: 1, lastError: null, messageId: mail!.parsed.messageId })
			expect(fs.existsSync(path.join(dataDir, 'mail'))).toBe(false)

			// The job again (a retry after its success, a second worker): the sent mail is not sent twice.
			await enqueue(db, 'mail', { mailId: id! })
			await enqueue(db, 'mail', { mailId: id! })
			await runPendingJobs()
			expect(server.received).toHaveLength(1)
			expect((await mailRow(id!)).attempts).toBe(1)
		})

		it('sends a mail again with the same Message-ID within seconds when its worker is killed waiting for the server', { timeout: 90_000 }, async () => {
			// The server never acknowledges the first message: the worker is killed with SIGKILL before it could record it sent.
			let firstArrived = () => {}
			const arrived = new Promise<void>((resolve) => (firstArrived = resolve))
			const server = await smtp({ holdFirst: () => firstArrived() })
			const member = await person()
			const id = await queue(member.email, 'test:killed')
			const doomed = await startServer(
				{ ...process.env, KIZUNA_ROLE: 'worker', KIZUNA_DEMO_CONTENT: 'off', NODE_ENV: 'production', PORT: '0' },
				{ quiet: true },
			)
			closers.push(async () => void doomed.process.kill('SIGKILL'))
			await Promise.race([arrived, new Promise((_, reject) => setTimeout(() => reject(new Error('The worker sent nothing within 30 s')), 30_000))])
			// The attempt and its Message-ID were recorded before the mail went out.
			expect(await mailRow(id!)).toMatchObject({ status: 'queued', attempts: 1, messageId: server.received[0]!.parsed.messageId })
			await killHard(doomed)

			// Its sending lease went with it: another worker sends at once, not after the 15 minutes the lease and the job's expiry last.
			await runWorkerUntil(() => server.received.length >= 2)
			expect(server.received.map((mail) => mail.parsed.messageId)).toEqual([server.received[0]!.parsed.messageId, server.received[0]!.parsed.messageId])
			expect(await mailRow(id!)).toMatchObject({ status: 'sent', attempts: 2, lastError: null })
		})

		it('keeps a mail through an SMTP outage, shows the failure, and sends it once the server is back', async () => {
			const server = await smtp()
			await server.stop()
			const member = await person()
			const id = await queue(member.email, 'test:outage')

			const failed = await runPendingJobs({ includeRetries: false })
			expect(failed.failed).toEqual([expect.objectContaining({ queue: 'mail', final: false })])
			const waiting = await mailRow(id!)
			expect(waiting).toMatchObject({ status: 'queued', attempts: 1, sentAt: null })
			expect(waiting.lastError).toMatch(/ECONNREFUSED|connect/i)
			const [job] = await listJobs('mail')
			expect(job).toMatchObject({ state: 'retry', startAfter: waiting.nextAttemptAt })
			expect(waiting.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(20_000)

			// Still down at the next try: one more attempt recorded, a later retry.
			await runPendingJobs()
			const again = await mailRow(id!)
			expect(again).toMatchObject({ status: 'queued', attempts: 2 })
			expect(again.nextAttemptAt!.getTime()).toBeGreaterThan(waiting.nextAttemptAt!.getTime())

			await server.start()
			await runPendingJobs()
			await runPendingJobs()
			expect(server.received).toHaveLength(1)
			expect(server.received[0]!.parsed.messageId).toBe(again.messageId)
			expect(await mailRow(id!)).toMatchObject({ status: 'sent', attempts: 3, lastError: null, nextAttemptAt: null })
		})

		it('fails a mail the server refuses for good, and an admin retries it from the mail log', async () => {
			const member = await person()
			const server = await smtp({ refuseRecipients: [member.email] })
			const id = await queue(member.email, 'test:refused')
			const result = await runPendingJobs()
			expect(result.failed).toEqual([expect.objectContaining({ queue: 'mail', final: true })])
			const row = await mailRow(id!)
			expect(row).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null })
			expect(row.lastError).toContain('550')

			const admin = await person('admin')
			const log = await listMails(admin, 1)
			expect(log.mails).toEqual([expect.objectContaining({ id, status: 'failed', attempts: 1, lastError: row.lastError })])
			expect(log.files).toBeNull()
			expect(await refusal(listMails(member, 1))).toMatchObject({ status: 403 })
			expect(await refusal(retryMail(member, id!))).toMatchObject({ status: 403 })
			expect(await refusal(mailDetail(member, id!))).toMatchObject({ status: 403 })
			expect(await refusal(mailDetail(admin, 999))).toMatchObject({ status: 404 })

			server.received.length = 0
			await server.stop()
			const fixed = await smtp()
			await retryMail(admin, id!)
			expect(await refusal(retryMail(admin, id!))).toMatchObject({ status: 409 })
			await runPendingJobs()
			expect(fixed.received).toHaveLength(1)
			expect(await mailRow(id!)).toMatchObject({ status: 'sent', attempts: 2 })
		})
	})

	describe('account links', () => {
		it('are shown only to the admin they are for, and kept in the outbox only until sent through SMTP', async () => {
			const [admin, otherAdmin] = [await person('admin'), await person('admin')]
			const link = `${SITE}/reset-password/AbCdEf0123456789_-xyz`
			const queueReset = (to: string, key: string) =>
				db.transaction((tx) => queueMail(tx, { userId: null, to, locale: 'en', kind: 'password_reset', dedupeKey: key, subject: 'Reset', text: `Open ${link}`, html: `<a href="${link}">Open</a>` }))
			// Mail to files: the first admin reads their own link here; another admin does not see it.
			const own = await queueReset(admin.email, 'reset:own')
			await runPendingJobs()
			expect((await mailDetail(admin, own!)).mail.textBody).toContain(link)
			expect(await mailDetail(otherAdmin, own!)).toMatchObject({ bodyHidden: true, mail: { textBody: '', htmlBody: '' } })

			const server = await smtp()
			const sent = await queueReset(admin.email, 'reset:smtp')
			await runPendingJobs()
			expect(server.received[0]!.parsed.text).toContain(link)
			const row = await mailRow(sent!)
			expect(row.status).toBe('sent')
			expect(`${row.textBody}${row.htmlBody}`).not.toContain('AbCdEf0123456789')
			expect(row.textBody).toContain(`${SITE}/reset-password/…`)
		})
	})

	describe('notification mails', () => {
		it('mails a notification at once in the reader’s language, with both parts, absolute links and one-click unsubscribe', async () => {
			const server = await smtp()
			const english = await reader('en')
			const japanese = await reader('ja')
			const asker = await person('member', 'asker', { displayName: 'Hana <b>Sato</b>' })
			const { question: asked } = await notify(english, 'answer', { actor: asker, title: 'How do I export <a board> to CSV?' })
			await notify(japanese, 'mention', { actor: asker })
			await runPendingJobs()
			expect(server.received).toHaveLength(2)
			const en = server.received.find((mail) => mail.envelopeTo[0] === english.email)!.parsed
			const ja = server.received.find((mail) => mail.envelopeTo[0] === japanese.email)!.parsed

			expect(en.subject).toBe('Hana <b>Sato</b> answered your question “How do I export <a board> to CSV?”')
			expect([en.to ?? []].flat()[0]?.value[0]?.address).toBe(english.email)
			expect(en.from?.value[0]?.address).toBe('community@example.test')
			expect(en.messageId).toMatch(/@community\.example\.test>$/)
			expect(en.text).toContain(`Open on Kizuna: ${SITE}/questions/${asked.id}/`)
			// Everything typed by people is escaped in the HTML part.
			expect(en.html).toContain('How do I export &lt;a board&gt; to CSV?')
			expect(en.html).not.toContain('<b>Sato</b>')
			expect(en.html).toContain(`href="${SITE}/settings/email"`)
			for (const link of linksIn(en)) expect(link.startsWith(`${SITE}/`)).toBe(true)
			expect(linksIn(en).some((link) => link.startsWith(`${SITE}/settings/email`))).toBe(true)
			const unsubscribe = { url: unsubscribeUrl(en) }
			expect(unsubscribe.url).toMatch(new RegExp(`^${SITE}/unsubscribe/u1\\.`))
			expect(header(en, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
			expect(linksIn(en)).toContain(unsubscribe.url)

			expect(ja.subject).toMatch(/さんが「.+」であなたをメンションしました$/)
			expect(ja.text).toContain('Kizuna で開く')
			expect(ja.text).toContain('このメールの配信を停止する')

			// One click in the mail client: "answer" mails stop, nothing else changes, and again changes nothing more.
			const token = unsubscribe.url.split('/unsubscribe/')[1]!
			const page = await unsubscribeLoader({ request: new Request(unsubscribe.url), params: { token }, context: {} as never } as never)
			expect((page as Response).status).toBe(200)
			expect(await preference(english.id, 'answer')).toBeNull()
			const clicked = await oneClick(token)
			expect(clicked.status).toBe(200)
			expect(await clicked.json()).toMatchObject({ subject: { email: english.email, scope: 'answer', types: ['answer'] } })
			expect(await preference(english.id, 'answer')).toBe('never')
			expect((await oneClick(token)).status).toBe(200)
			expect(await emailPreferencesOf(english, english.id)).toMatchObject({ answer: 'never', mention: 'now', followed_answer: 'digest' })

			await notify(english, 'answer')
			await runPendingJobs()
			expect(server.received).toHaveLength(2)
		})

		it('refuses forged, garbled and overlong unsubscribe tokens and changes nothing', async () => {
			const who = await reader()
			const token = await unsubscribeToken(db, who.id, 'answer')
			const [version, payload, signature] = token.split('.')
			const otherPayload = Buffer.from(`${who.id}:mention`).toString('base64url')
			const forged = [
				`${version}.${otherPayload}.${signature}`,
				`${version}.${payload}.${'A'.repeat(43)}`,
				`${version}.${payload}`,
				'u1..',
				'not-a-token',
				`${token}x`,
				'x'.repeat(5000),
				`${version}.${Buffer.from('someone-else:answer').toString('base64url')}.${signature}`,
			]
			for (const bad of forged) {
				expect(await readUnsubscribeToken(bad)).toBeNull()
				const response = await oneClick(bad)
				expect(response.status).toBe(400)
				expect(await response.json()).toMatchObject({ problem: expect.stringContaining('not valid') })
			}
			expect(await db.select().from(emailPreferences)).toEqual([])
			expect(await readUnsubscribeToken(token)).toEqual({ userId: who.id, scope: 'answer' })
		})

		it('limits unsubscribe requests per email address, and invalid links per client address', async () => {
			const who = await reader()
			const token = await unsubscribeToken(db, who.id, 'answer')
			// A mail provider's one-click POSTs for many people come from one network: valid links are counted per person.
			const statuses: number[] = []
			for (let i = 0; i < 12; i++) statuses.push((await oneClick(token, '198.51.100.77')).status)
			expect(statuses).toEqual([...Array(10).fill(200), 429, 429])
			const other = await unsubscribeToken(db, (await reader()).id, 'mention')
			expect((await oneClick(other, '198.51.100.77')).status).toBe(200)

			const guesses: number[] = []
			for (let i = 0; i < 22; i++) guesses.push((await oneClick(`garbage${i}`, '198.51.100.88')).status)
			expect(guesses).toEqual([...Array(20).fill(400), 429, 429])
			expect((await oneClick(other, '198.51.100.88')).status).toBe(200)
		})

		it('follows each person’s choice, and mails nobody unverified, no system user, and nothing stale', async () => {
			const server = await smtp()
			const quiet = await reader()
			await saveEmailPreferences(quiet, quiet.id, preferencesSchema.parse({ ...(await emailPreferencesOf(quiet, quiet.id)), answer: 'never', mention: 'digest' }))
			await notify(quiet, 'answer')
			await notify(quiet, 'mention')
			await notify(quiet, 'tag_question')
			await notify(quiet, 'accepted')
			// People made by the factories (as by the CLI) are verified; this one has not confirmed a sign-up yet.
			const unverified = await person()
			await db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, unverified.id))
			await notify(unverified, 'answer')
			const system = await reader()
			await db.update(users).set({ isSystem: true }).where(eq(users.id, system.id))
			await notify(system, 'answer')
			const late = await reader()
			await notify(late, 'answer', { createdAt: new Date(Date.now() - 8 * 24 * HOUR) })
			await runPendingJobs()
			expect(server.received.map((mail) => [mail.envelopeTo[0], mail.parsed.subject])).toEqual([[quiet.email, expect.stringMatching(/^Your answer to “.+” was accepted$/)]])
		})

		it('lets people change only their own email preferences', async () => {
			const who = await reader()
			const other = await reader()
			const input = preferencesSchema.parse({ answer: 'digest', followed_answer: 'never', accepted: 'now', solved: 'now', duplicate: 'now', faq: 'never', mention: 'now', tag_question: 'digest' })
			expect(await saveEmailPreferences(who, who.id, input)).toEqual(input)
			// Only the choices that differ from the defaults are stored.
			expect((await db.select().from(emailPreferences)).map((row) => row.type).sort()).toEqual(['answer', 'faq', 'followed_answer'])
			expect(await refusal(saveEmailPreferences(other, who.id, input))).toMatchObject({ status: 403 })
			expect(await refusal(emailPreferencesOf(await person('admin'), who.id))).toMatchObject({ status: 403 })
			expect(await refusal(emailPreferencesOf(null, who.id))).toMatchObject({ status: 401 })
			expect(preferencesSchema.safeParse({ ...input, answer: 'sometimes' }).success).toBe(false)
		})
	})

	describe('daily digest', () => {
		it('sends one digest a day per person with their unread digest notifications since the last, newest first', async () => {
			const server = await smtp()
			const who = await reader('ja')
			const start = new Date()
			const asker = await person('member', 'asker')
			await notify(who, 'tag_question', { actor: asker, title: 'Older question about exports', createdAt: new Date(start.getTime() - 2 * HOUR) })
			await notify(who, 'followed_answer', { actor: asker, title: 'Newer question about imports', createdAt: new Date(start.getTime() - HOUR) })
			const { notification: read } = await notify(who, 'tag_question', { actor: asker, title: 'Already read', createdAt: new Date(start.getTime() - HOUR) })
			await db.update(notifications).set({ readAt: start }).where(eq(notifications.id, read.id))
			await notify(who, 'answer', { actor: asker, createdAt: new Date(start.getTime() - HOUR) })
			await runPendingJobs()
			expect(server.received).toHaveLength(1)
			server.received.length = 0

			expect(await sendDigests(start)).toEqual({ queued: 1, more: false })
			await runPendingJobs()
			expect(server.received).toHaveLength(1)
			const digest = server.received[0]!.parsed
			expect(digest.subject).toBe('Kizuna のまとめ: 新しい通知 2 件')
			const text = digest.text ?? ''
			expect(text.indexOf('Newer question about imports')).toBeGreaterThan(-1)
			expect(text.indexOf('Newer question about imports')).toBeLessThan(text.indexOf('Older question about exports'))
			expect(text).not.toContain('Already read')
			expect(unsubscribeUrl(digest)).toMatch(new RegExp(`^${SITE}/unsubscribe/`))
			expect((await db.select().from(users).where(eq(users.id, who.id)))[0]!.digestSentAt).toEqual(start)

			// Later the same day, a new notification: it waits for the next day's digest.
			await notify(who, 'tag_question', { actor: asker, title: 'Next day material', createdAt: new Date(start.getTime() + HOUR) })
			expect(await sendDigests(new Date(start.getTime() + 2 * HOUR))).toEqual({ queued: 0, more: false })
			const nextDay = new Date(start.getTime() + 24 * HOUR)
			expect(await sendDigests(nextDay)).toEqual({ queued: 1, more: false })
			expect(await sendDigests(nextDay)).toEqual({ queued: 0, more: false })
			await runPendingJobs()
			expect(server.received).toHaveLength(2)
			expect(server.received[1]!.parsed.text).toContain('Next day material')
			expect(server.received[1]!.parsed.text).not.toContain('Newer question about imports')

			// Its unsubscribe link stops every type in the digest.
			const token = unsubscribeUrl(server.received[1]!.parsed).split('/unsubscribe/')[1]!
			expect((await oneClick(token)).status).toBe(200)
			expect(await emailPreferencesOf(who, who.id)).toMatchObject({ tag_question: 'never', followed_answer: 'never', answer: 'now' })
		})

		it('lists the newest notifications and counts the rest, a batch of people at a time', async () => {
			const people = await Promise.all([reader(), reader(), reader()])
			const now = new Date()
			// Staff: a member could not ask this many questions within the hour.
			const asker = await person('cs', 'asker')
			for (let i = 0; i < DIGEST_ITEMS + 3; i++) await notify(people[0]!, 'tag_question', { actor: asker, title: `Question number ${i}`, createdAt: new Date(now.getTime() - (i + 1) * 60_000) })
			await notify(people[1]!, 'tag_question', { actor: asker, createdAt: new Date(now.getTime() - 60_000) })
			await notify(people[2]!, 'followed_answer', { actor: asker, createdAt: new Date(now.getTime() - 60_000) })
			expect(await sendDigests(now, 2)).toEqual({ queued: 2, more: true })
			expect(await sendDigests(now, 2)).toEqual({ queued: 1, more: false })
			const [long] = await db.select().from(mails).where(eq(mails.userId, people[0]!.id))
			expect(long!.subject).toBe(`Your Kizuna digest: ${DIGEST_ITEMS + 3} new notifications`)
			expect(long!.textBody).toContain('Question number 0')
			expect(long!.textBody).not.toContain(`Question number ${DIGEST_ITEMS}\n`)
			expect(long!.textBody).toContain(`…and 3 more\n  ${SITE}/notifications`)
			expect(long!.dedupeKey).toBe(`digest:${people[0]!.id}:${now.toISOString().slice(0, 10)}`)

			// The scheduled job does the same until nobody is due.
			await notify(people[1]!, 'tag_question', { actor: asker, createdAt: now })
			await db.update(users).set({ digestSentAt: new Date(now.getTime() - 25 * HOUR) })
			await db.delete(mails)
			await enqueue(db, 'mail-digest', {})
			await runPendingJobs()
			expect((await db.select().from(mails)).filter((mail) => mail.kind === 'digest')).toHaveLength(3)
		})
	})
})
