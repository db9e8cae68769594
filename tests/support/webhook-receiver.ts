import { createHmac } from 'node:crypto'
import http, { type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export type ReceivedDelivery = { headers: IncomingHttpHeaders; body: string }

/** What the receiver answers with a failing status: the delivery log shows it. */
export const RECEIVER_FAILURE = 'receiver is having a bad day'

/**
 * A webhook receiver on this machine, answering each request with the next status
 * of `statuses` (the last one repeats), `answerAfterMs` after it arrived.
 */
export async function startWebhookReceiver(statuses: number[], path = '/hooks/kizuna', options: { answerAfterMs?: number } = {}) {
	const requests: ReceivedDelivery[] = []
	const server = http.createServer((req, res) => {
		let body = ''
		req.setEncoding('utf8')
		req.on('data', (chunk: string) => (body += chunk))
		req.on('end', () => {
			requests.push({ headers: req.headers, body })
			const status = statuses[Math.min(requests.length, statuses.length) - 1]!
			setTimeout(() => {
				res.writeHead(status, { 'Content-Type': 'text/plain' })
				res.end(status < 300 ? 'thanks' : RECEIVER_FAILURE)
			}, options.answerAfterMs ?? 0)
		})
	})
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	const { port } = server.address() as AddressInfo
	return {
		url: `http://127.0.0.1:${port}${path}`,
		requests,
		close: () => {
			server.closeAllConnections()
			return new Promise<void>((resolve) => server.close(() => resolve()))
		},
	}
}

/** The X-Kizuna-Signature of a delivery signed with `secret`: HMAC-SHA256 over "timestamp.body". */
export const signatureOf = (delivery: ReceivedDelivery, secret: string) =>
	`sha256=${createHmac('sha256', secret).update(`${delivery.headers['x-kizuna-timestamp']}.${delivery.body}`).digest('hex')}`
