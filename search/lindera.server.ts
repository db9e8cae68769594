import { createRequire } from 'node:module'
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'

/** The fields of a Lindera token the Japanese analysis reads (search/japanese.server.ts). */
export type LinderaToken = {
	surface: string
	baseForm: string
	partOfSpeech: string
	partOfSpeechSubcategory1: string
	reading: string
	/** Lindera names IPADIC's conjugation class (五段・サ行, 一段) `conjugationForm`. */
	conjugationForm: string
}

/**
 * Lindera with IPADIC runs in a worker thread of its own, called synchronously (the
 * analysis is synchronous): its WebAssembly memory, 105 MB with the dictionary, plus
 * 13 MB of module, belongs to that thread and is handed back to the system when the
 * thread ends. In the main thread it stayed for good: a WebAssembly memory is only
 * freed by two full garbage collections after its last use, which an idle server does
 * not run. So after IDLE_MS without Japanese text the worker is ended: the demo
 * content's Japanese posts, indexed at the first start, no longer keep 130 MB
 * resident; the next Japanese text loads it again (≈ 200–600 ms).
 */
export const IDLE_MS = 60_000

/** Loading the dictionary takes 0.2 s on a quiet machine and several seconds on a busy one. A worker that does not answer by then is replaced once. */
const ANSWER_TIMEOUT_MS = 60_000

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads')
const { TokenizerBuilder } = require(workerData.module)
const builder = new TokenizerBuilder()
builder.setDictionary('embedded://ipadic')
builder.setMode('normal')
const tokenizer = builder.build()
const signal = new Int32Array(workerData.signal)
workerData.port.on('message', (text) => {
	let reply
	try {
		reply = { tokens: tokenizer.tokenize(text).map((t) => ({ surface: t.surface, baseForm: t.baseForm, partOfSpeech: t.partOfSpeech, partOfSpeechSubcategory1: t.partOfSpeechSubcategory1, reading: t.reading, conjugationForm: t.conjugationForm })) }
	} catch (error) {
		reply = { error: String((error && error.message) || error) }
	}
	workerData.port.postMessage(reply)
	Atomics.store(signal, 0, 1)
	Atomics.notify(signal, 0)
})
`

type Running = { worker: Worker; port: MessagePort; signal: Int32Array; lastUse: number }
type Reply = { tokens: LinderaToken[] } | { error: string }

let running: Running | null = null
let idleTimer: NodeJS.Timeout | null = null

function start(now: number): Running {
	const module = createRequire(import.meta.url).resolve('lindera-wasm-nodejs-ipadic')
	const { port1, port2 } = new MessageChannel()
	const signal = new SharedArrayBuffer(4)
	// Without the process's own flags: the worker needs no TypeScript loader (tsx's hooks) or other preloads.
	const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { module, port: port2, signal }, transferList: [port2] })
	// A process with nothing else to do may exit: the worker does not hold it open.
	worker.unref()
	const started: Running = { worker, port: port1, signal: new Int32Array(signal), lastUse: now }
	worker.once('exit', () => {
		if (running === started) running = null
	})
	idleTimer ??= setInterval(() => releaseIdleTokenizer(), IDLE_MS / 4).unref()
	return started
}

/** The worker's answer for `text`, or null when it gave none in time (it died, or hangs). */
function ask({ port, signal }: Running, text: string): Reply | null {
	Atomics.store(signal, 0, 0)
	port.postMessage(text)
	const waited = Atomics.wait(signal, 0, 0, ANSWER_TIMEOUT_MS)
	const reply = receiveMessageOnPort(port)?.message as Reply | undefined
	return waited === 'timed-out' || !reply ? null : reply
}

/** The tokens of `text`, from the worker (started if none runs). */
export function linderaTokenize(text: string, now = Date.now()): LinderaToken[] {
	for (let attempt = 1; ; attempt++) {
		running ??= start(now)
		const reply = ask(running, text)
		if (reply && 'error' in reply) throw new Error(`The Japanese analyzer (Lindera) failed: ${reply.error}`)
		if (reply) {
			running.lastUse = now
			return reply.tokens
		}
		releaseTokenizer()
		if (attempt === 2) throw new Error(`The Japanese analyzer (Lindera) did not answer within ${ANSWER_TIMEOUT_MS / 1000} s, twice`)
	}
}

/** Whether the dictionary is loaded in this process now (for tests and measurements). */
export const linderaLoaded = () => running !== null

/** Ends the worker if no text was analysed for IDLE_MS; true when it did. */
export function releaseIdleTokenizer(now = Date.now()): boolean {
	if (!running || now - running.lastUse < IDLE_MS) return false
	releaseTokenizer()
	return true
}

function releaseTokenizer() {
	const stopping = running
	running = null
	if (idleTimer) clearInterval(idleTimer)
	idleTimer = null
	stopping?.port.close()
	void stopping?.worker.terminate()
}
