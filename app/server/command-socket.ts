import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { inLogScope, log } from '~/utils/log.server'
import { commandLineSchema, runCommand, usage, type CommandLine, type Output } from './commands'

/**
 * The embedded database (PGlite) is open in one process only: the server. The CLI
 * reaches it through this Unix socket in the data dir and the server runs the
 * command in-process. Only the server's own user can connect (the socket file is
 * 0600), and every request is checked as if anyone had sent it: one JSON line of
 * bounded size, a known command, parsed again. The answer streams back as JSON
 * lines, `{"out"}` / `{"err"}`, then `{"exit"}`.
 */
export const socketPath = (dataDir: string) => path.join(dataDir, 'kizuna.sock')

const MAX_REQUEST_BYTES = 64 * 1024
/** A client that connects and says nothing is dropped (the command itself may take as long as it needs). */
const REQUEST_TIMEOUT_MS = 10_000
/** Unix socket paths are limited to about 107 bytes (sun_path). */
const MAX_SOCKET_PATH = 100

type Answer = { out: string } | { err: string } | { exit: number }

/** Listens for CLI commands; `null` (with a warning) when the data dir's path is too long for a socket. */
export async function listenForCommands(dataDir: string): Promise<{ close: () => Promise<void> } | null> {
	const file = socketPath(dataDir)
	if (Buffer.byteLength(file) > MAX_SOCKET_PATH) {
		log.warn({ socket: file }, "The data dir's path is too long for the command socket: the CLI cannot run while this server does")
		return null
	}
	// This process owns the data dir (kizuna.pid), so a socket left there is from one that stopped without cleaning up.
	fs.rmSync(file, { force: true })
	const server = net.createServer((socket) => serve(socket))
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject)
		// listen creates the socket file (synchronously) with the umask's permissions: with this
		// one it is never open to the group or others, not even until the chmod below. Restored
		// at once, so nothing else this process writes meanwhile is affected.
		const umask = process.umask(0o077)
		try {
			server.listen(file, () => resolve())
		} finally {
			process.umask(umask)
		}
	})
	fs.chmodSync(file, 0o600)
	return {
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve())
				fs.rmSync(file, { force: true })
			}),
	}
}

function serve(socket: net.Socket) {
	let buffered = ''
	let started = false
	const send = (answer: Answer) => {
		if (!socket.destroyed) socket.write(`${JSON.stringify(answer)}\n`)
	}
	const refuse = (reason: string, code: number) => {
		started = true
		send({ err: reason })
		send({ exit: code })
		socket.end()
	}
	socket.setEncoding('utf8')
	socket.setTimeout(REQUEST_TIMEOUT_MS, () => {
		if (!started) socket.destroy()
	})
	socket.on('error', () => socket.destroy())
	socket.on('data', (chunk: string) => {
		if (started) return
		buffered += chunk
		const end = buffered.indexOf('\n')
		if (Buffer.byteLength(end === -1 ? buffered : buffered.slice(0, end)) > MAX_REQUEST_BYTES) return refuse('The command is too long.', 2)
		if (end === -1) return
		started = true
		socket.setTimeout(0)
		let line: CommandLine
		try {
			const parsed = commandLineSchema.safeParse(JSON.parse(buffered.slice(0, end)))
			if (!parsed.success) return refuse(`Not a command this server runs: ${parsed.error.issues[0]?.message}\n\n${usage}`, 2)
			line = parsed.data
		} catch {
			return refuse('The command is not one line of JSON.', 2)
		}
		const output: Output = { out: (text) => send({ out: text }), err: (text) => send({ err: text }) }
		log.info({ command: line.command }, 'CLI command')
		// Its lines in the server's log say which command wrote them.
		void inLogScope({ command: line.command }, () => runCommand(line, output)).then((code) => {
			send({ exit: code })
			socket.end()
		})
	})
}

/**
 * Why the CLI will not send a command to what is at this path, or null when it may (or
 * nothing is there). A command can carry a password, and its answer an API token: it
 * goes only to a socket of this user's own, not to one someone else put in the data dir.
 */
function strangeSocket(file: string): string | null {
	let stat: fs.Stats
	try {
		stat = fs.lstatSync(file)
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
		throw error
	}
	if (!stat.isSocket()) return `${file} is not a socket: remove it, or check what put it there, before running commands.`
	const uid = process.getuid?.()
	if (uid !== undefined && stat.uid !== uid) return `The command socket ${file} belongs to another user (uid ${stat.uid}): run the command as the user running the Kizuna server.`
	return null
}

/**
 * The CLI's half: sends the command to the server listening in this data dir and
 * writes what it answers. Resolves to the exit code, or `null` when no server
 * listens there (then the CLI opens the data dir itself).
 */
export function runOnServer(dataDir: string, line: CommandLine, output: Output & { connected: () => void }): Promise<number | null> {
	return new Promise((resolve, reject) => {
		const file = socketPath(dataDir)
		const stranger = strangeSocket(file)
		if (stranger) return reject(new Error(stranger))
		const socket = net.connect(file)
		let connected = false
		let buffered = ''
		let exit: number | null = null
		socket.setEncoding('utf8')
		socket.once('connect', () => {
			connected = true
			output.connected()
			socket.write(`${JSON.stringify(line)}\n`)
		})
		socket.on('data', (chunk: string) => {
			buffered += chunk
			let end: number
			while ((end = buffered.indexOf('\n')) !== -1) {
				const answer = JSON.parse(buffered.slice(0, end)) as Answer
				buffered = buffered.slice(end + 1)
				if ('out' in answer) output.out(answer.out)
				else if ('err' in answer) output.err(answer.err)
				else exit = answer.exit
			}
		})
		socket.once('error', (error: NodeJS.ErrnoException) => {
			if (!connected && (error.code === 'ENOENT' || error.code === 'ECONNREFUSED')) resolve(null)
			else reject(new Error(`The running Kizuna server stopped answering: ${error.message}`))
		})
		socket.once('close', () => {
			if (!connected) return
			if (exit === null) reject(new Error('The running Kizuna server closed the connection before the command finished.'))
			else resolve(exit)
		})
	})
}
