import fs from 'node:fs/promises'
import path from 'node:path'
import nodemailer from 'nodemailer'
import type { Config } from '~/config.server'

/** One mail as it leaves Kizuna: the row of the outbox, with its sender and Message-ID decided. */
export type OutgoingMail = {
	id: number
	from: string
	to: string
	subject: string
	text: string
	html: string
	messageId: string
	headers: Record<string, string>
}

/** Where mail goes. `send` resolves once the server accepted the mail (or the file is written). */
export type MailTransport = {
	send: (mail: OutgoingMail, now: Date) => Promise<void>
	close: () => void
}

/** Why a send failed, and whether trying again could help (a 5xx answer to the mail itself will not change). */
export class SendError extends Error {
	constructor(
		message: string,
		readonly permanent: boolean,
	) {
		super(message)
	}
}

// Bounded so one unreachable server never holds a worker for long; the queue's retries do the waiting.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }

/** The folder mail is written to when no SMTP server is configured. */
export const mailFolder = (config: Pick<Config, 'dataDir'>) => path.join(config.dataDir, 'mail')

/** Whether mail is written to files rather than sent (no SMTP_URL: the embedded default). */
export const writesMailToFiles = (config: Pick<Config, 'SMTP_URL'>) => !config.SMTP_URL

/** The host named in Message-IDs and the default sender: the site's public host, else localhost. */
export function mailHost(config: Pick<Config, 'KIZUNA_PUBLIC_URL'>): string {
	return config.KIZUNA_PUBLIC_URL ? new URL(config.KIZUNA_PUBLIC_URL).hostname : 'localhost'
}

/** MAIL_FROM, or in file mode a sender that says where the mail came from. */
export function mailSender(config: Pick<Config, 'MAIL_FROM' | 'KIZUNA_PUBLIC_URL'>): string {
	return config.MAIL_FROM ?? `Kizuna <no-reply@${mailHost(config)}>`
}

/**
 * SMTP through nodemailer when SMTP_URL is set (credentials in the URL, smtps://
 * for TLS from the start); otherwise each mail is written as an .eml file, built
 * by the same nodemailer composer, so what is in the folder is what would be sent.
 */
export function createMailTransport(config: Pick<Config, 'SMTP_URL' | 'dataDir'>): MailTransport {
	if (config.SMTP_URL) {
		const smtp = nodemailer.createTransport({ url: config.SMTP_URL, ...TIMEOUTS })
		return {
			send: async (mail) => {
				try {
					await smtp.sendMail(message(mail))
				} catch (error) {
					throw smtpError(error)
				}
			},
			close: () => smtp.close(),
		}
	}
	const folder = mailFolder(config)
	const composer = nodemailer.createTransport({ streamTransport: true, buffer: true })
	return {
		send: async (mail, now) => {
			const { message: raw } = (await composer.sendMail(message(mail))) as { message: Buffer }
			await fs.mkdir(folder, { recursive: true })
			const file = path.join(folder, mailFileName(mail.id, now))
			// Written under another name first: a reader of the folder never sees half a mail.
			await fs.writeFile(`${file}.part`, raw, { mode: 0o600 })
			await fs.rename(`${file}.part`, file)
		},
		close: () => composer.close(),
	}
}

/** Names that sort in sending order: the time in zero-padded milliseconds, then the mail's id. */
export const mailFileName = (id: number, now: Date) => `${String(now.getTime()).padStart(15, '0')}-${String(id).padStart(12, '0')}.eml`

function message(mail: OutgoingMail) {
	return {
		from: mail.from,
		to: mail.to,
		// One line, whatever a title held: a line break would end the header.
		subject: mail.subject.replace(/\s+/g, ' ').trim(),
		text: mail.text,
		html: mail.html,
		messageId: mail.messageId,
		// Tells auto-responders (out of office) not to answer a notification.
		headers: { 'Auto-Submitted': 'auto-generated', ...mail.headers },
	}
}

function smtpError(error: unknown): SendError {
	const details = error as { message?: string; responseCode?: number; command?: string }
	const message = String(details.message ?? error).slice(0, 500)
	// A 5xx answer to the recipient or the message itself (no such mailbox, too large) is the server's final word on this mail;
	// one to the sign-in or the sender is the site's configuration, which an admin can fix before the retries run out.
	const aboutThisMail = details.command === 'RCPT TO' || details.command === 'DATA'
	return new SendError(message, aboutThisMail && typeof details.responseCode === 'number' && details.responseCode >= 500 && details.responseCode < 600)
}
