import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { simpleParser } from 'mailparser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runPendingJobs } from '../../app/jobs/worker.server'
import { queueMail } from '../../app/mail/outbox.server'
import { db } from '../../db/client.server'
import { mails } from '../../db/schema'
import { person } from '../support/factories'
import { resetData } from '../support/reset'
import { startSmtpServer } from '../support/smtp-server'

const saved = { ...process.env }
let dataDir = ''
const closers: Array<() => Promise<void>> = []

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

describe('Sending mail', () => {
	beforeEach(async () => {
		await resetData()
		dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-mail-'))
		process.env.KIZUNA_DATA_DIR = dataDir
		delete process.env.SMTP_URL
		delete process.env.MAIL_FROM
		process.env.KIZUNA_PUBLIC_URL = 'https://community.example.test'
	})
	afterEach(async () => {
		for (const close of closers.splice(0)) await close()
		process.env = { ...saved }
		fs.rmSync(dataDir, { recursive: true, force: true })
	})

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

	it('sends through the SMTP server named by SMTP_URL, from MAIL_FROM', async () => {
		const server = await smtp()
		const member = await person()
		const id = await queue(member.email, 'test:smtp')
		await runPendingJobs()
		expect(server.received).toHaveLength(1)
		const [mail] = server.received
		expect(mail!.envelopeTo).toEqual([member.email])
		expect(mail!.parsed.from?.value).toEqual([{ name: 'Kizuna Community', address: 'community@example.test' }])
		expect(mail!.parsed.subject).toBe('Hello there')
		expect(mail!.parsed.text?.trim()).toBe('Plain words')
		expect(mail!.parsed.html).toContain('<p>Plain words</p>')
		expect(await mailRow(id!)).toMatchObject({ status: 'sent', attempts: 1, lastError: null, messageId: mail!.parsed.messageId })
		expect(fs.existsSync(path.join(dataDir, 'mail'))).toBe(false)
	})
})
