import { startWorker } from '../../app/jobs/worker.server'
import type { ServerProcess } from './server-process'

/** Kills a worker process with SIGKILL, as a crash or the OOM killer would, and waits until it is gone. */
export async function killHard(worker: ServerProcess) {
	const exited = new Promise((resolve) => worker.process.once('exit', resolve))
	worker.process.kill('SIGKILL')
	await exited
}

/** Runs a worker in this process until `done()` holds or `timeoutMs` passes (polled, no fixed sleep); returns the milliseconds it took. */
export async function runWorkerUntil(done: () => boolean, timeoutMs = 20_000): Promise<number> {
	const started = Date.now()
	const survivor = await startWorker('all')
	try {
		while (!done() && Date.now() - started < timeoutMs) await new Promise((resolve) => setTimeout(resolve, 100))
	} finally {
		await survivor?.stop()
	}
	return Date.now() - started
}
