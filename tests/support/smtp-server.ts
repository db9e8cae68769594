import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export type ReceivedMail = { parsed: ParsedMail; raw: string; envelopeTo: string[] }

/**
 * A real SMTP server in the test process (plain SMTP on 127.0.0.1, any sign-in
 * accepted). It can be stopped and started again on the same port, as a mail
 * server that goes down and comes back. `refuseRecipients` answers 550 to them.
 * `holdFirst` is called when the first message has arrived, which is then never
 * acknowledged: the sender is left waiting, as if killed before it heard back.
 */
export async function startSmtpServer(options: { refuseRecipients?: string[]; holdFirst?: () => void } = {}) {
	const received: ReceivedMail[] = []
	let server: SMTPServer | null = null
	let port = 0
	const start = async () => {
		server = new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS'],
			logger: false,
			onAuth: (_auth, _session, callback) => callback(null, { user: 'test' }),
			onRcptTo: (address, _session, callback) => {
				if (options.refuseRecipients?.includes(address.address)) return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }))
				callback()
			},
			onData: (stream, session, callback) => {
				const chunks: Buffer[] = []
				stream.on('data', (chunk: Buffer) => chunks.push(chunk))
				stream.on('end', async () => {
					const raw = Buffer.concat(chunks)
					received.push({ parsed: await simpleParser(raw), raw: raw.toString('utf8'), envelopeTo: session.envelope.rcptTo.map((to) => to.address) })
					if (received.length === 1 && options.holdFirst) return options.holdFirst()
					callback()
				})
			},
		})
		await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve))
		port = (server.server.address() as AddressInfo).port
	}
	const stop = () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
	await start()
	return { url: () => `smtp://user:secret@127.0.0.1:${port}`, received, start, stop }
}
