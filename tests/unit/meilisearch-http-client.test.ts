import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { meilisearchHttpClient } from '../../search/http-client.server'

// A stand-in for Meilisearch on a thread of its own, as Meilisearch is another process:
// it answers while this thread is busy.
const serverCode = `
const http = require('node:http')
const { parentPort } = require('node:worker_threads')
const server = http.createServer((request, response) => {
	const delay = Number(new URL(request.url, 'http://x').searchParams.get('delay') ?? 0)
	setTimeout(() => response.end(JSON.stringify({ hits: [] })), delay)
})
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port))
`
let worker: Worker
let url: string

beforeAll(async () => {
	worker = new Worker(serverCode, { eval: true })
	url = `http://127.0.0.1:${await new Promise<number>((resolve) => worker.once('message', resolve))}`
})

afterAll(() => worker.terminate())

/** Keeps this thread busy, as a synchronous piece of work (analysing a long document) does. */
function busy(ms: number) {
	const until = performance.now() + ms
	while (performance.now() < until);
}

describe('the HTTP client searches use', () => {
	it('gives up on Meilisearch when it does not answer in time', async () => {
		await expect(meilisearchHttpClient(100)(`${url}/?delay=1000`)).rejects.toThrow('Meilisearch did not answer within 0.1 s')
	})

	it('keeps an answer that arrived while this process was busy past the deadline, instead of calling Meilisearch unreachable', async () => {
		const answer = meilisearchHttpClient(100)(`${url}/?delay=60`)
		// The request is on its way; the answer arrives during the stall, and the deadline passes during it too.
		await new Promise((resolve) => setTimeout(resolve, 20))
		// Busy after this turn's timers have run (as an I/O callback is), so the deadline is the next thing due.
		await new Promise((resolve) => setImmediate(resolve))
		busy(300)
		await expect(answer).resolves.toEqual({ hits: [] })
	})
})
