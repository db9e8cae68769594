import { spawn, type ChildProcess } from 'node:child_process'

type Env = Record<string, string | undefined>

export type ServerProcess = { url: string; process: ChildProcess; output: () => string; stop: () => Promise<void> }

/**
 * Starts `app/server/main.ts` (a web process needs the built app) with this
 * environment; resolves once it serves. On port 0 unless `PORT` is given: the server
 * prints the port it got. One process (tsx as a loader, not its CLI's child) in the
 * caller's process group, so that an interrupted `npm test` stops it too. `stop`
 * sends SIGTERM and waits for the exit; the process can also be killed outright.
 */
export async function startServer(env: Env, options: { timeoutMs?: number; quiet?: boolean } = {}): Promise<ServerProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'app/server/main.ts'], {
		env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'production', ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	})
	let output = ''
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
	const url = await new Promise<string>((resolve, reject) => {
		const timeoutMs = options.timeoutMs ?? 90_000
		const timer = setTimeout(() => reject(new Error(`The server did not start within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs)
		const read = () => {
			const ready = /Kizuna is ready on http:\/\/localhost:(\d+)/.exec(output)
			if (ready) {
				clearTimeout(timer)
				resolve(`http://127.0.0.1:${ready[1]}`)
			}
		}
		child.stdout!.on('data', read)
		child.stderr!.on('data', read)
		child.once('exit', (code, signal) => {
			clearTimeout(timer)
			reject(new Error(`The server exited with ${code ?? signal}:\n${output}`))
		})
	})
	// Its errors stay visible in the test output.
	if (!options.quiet) child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk))
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return
		const exited = new Promise((resolve) => child.once('exit', resolve))
		child.kill('SIGTERM')
		await exited
	}
	return { url, process: child, output: () => output, stop }
}
