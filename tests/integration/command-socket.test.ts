import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { findUserByEmail } from '../../app/auth/users.server'
import { listenForCommands, runOnServer, socketPath } from '../../app/server/command-socket'
import { parseCommandLine, type CommandLine } from '../../app/server/commands'
import { resetData } from '../support/reset'

let dataDir: string
let listening: { close: () => Promise<void> } | null

beforeEach(async () => {
	await resetData()
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-sock-'))
	listening = await listenForCommands(dataDir)
})
afterEach(async () => {
	await listening?.close()
	fs.rmSync(dataDir, { recursive: true, force: true })
})

/** Runs a command as the CLI does through the socket, collecting what the server answers. */
async function throughSocket(line: CommandLine) {
	const out: string[] = []
	const err: string[] = []
	const code = await runOnServer(dataDir, line, { out: (text) => out.push(text), err: (text) => err.push(text), connected: () => {} })
	return { code, out, err: err.join('\n') }
}

/** Sends these bytes as they are and returns the answers until the server closes the connection. */
function raw(bytes: string): Promise<Array<Record<string, unknown>>> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(socketPath(dataDir))
		let text = ''
		socket.setEncoding('utf8')
		socket.on('data', (chunk: string) => (text += chunk))
		socket.on('error', reject)
		socket.on('close', () => resolve(text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>)))
		socket.write(bytes)
	})
}

const line = (argv: string[]) => {
	const parsed = parseCommandLine(argv, '/home/someone/exports')
	if (!('line' in parsed)) throw new Error(JSON.stringify(parsed))
	return parsed.line
}

describe('the command socket of a server on the embedded database', () => {
	it('runs a command for the CLI in-process and streams its output and exit code back', async () => {
		expect(fs.statSync(socketPath(dataDir)).mode & 0o777).toBe(0o600)
		const result = await throughSocket(line(['user:create', '--email', 'ren@example.test', '--password', 'correct horse battery', '--role', 'product']))
		expect(result.code).toBe(0)
		expect(result.out[0]).toMatch(/^Created product ren@example\.test \(/)
		expect(await findUserByEmail('ren@example.test')).toMatchObject({ role: 'product' })
	})

	it('reports a failing command and keeps serving the next one', async () => {
		const create = line(['user:create', '--email', 'twice@example.test', '--password', 'correct horse battery', '--role', 'cs'])
		expect((await throughSocket(create)).code).toBe(0)
		const again = await throughSocket(create)
		expect(again).toMatchObject({ code: 1, err: 'An account with this email already exists' })
		const missing = await throughSocket(line(['token:create', '--email', 'nobody@example.test']))
		expect(missing.code).toBe(2)
		expect(missing.err).toContain('No user with email nobody@example.test')
		const token = await throughSocket(line(['token:create', '--email', 'twice@example.test']))
		expect(token.code).toBe(0)
		expect(token.out.at(-1)).toMatch(/^\S{20,}$/)
	})

	it('refuses what is not one known command in one bounded JSON line', async () => {
		expect((await raw('{"command":"db:drop","values":{},"positionals":[]}\n')).at(-1)).toEqual({ exit: 2 })
		expect((await raw('{"command":"user:create","values":{"admin":"yes"},"positionals":[]}\n')).at(-1)).toEqual({ exit: 2 })
		expect(await raw('not json\n')).toEqual([{ err: 'The command is not one line of JSON.' }, { exit: 2 }])
		expect(await raw('x'.repeat(70 * 1024))).toEqual([{ err: 'The command is too long.' }, { exit: 2 }])
		expect(await raw(`${JSON.stringify({ command: 'import', values: {}, positionals: ['x'.repeat(70 * 1024)] })}\n`)).toEqual([{ err: 'The command is too long.' }, { exit: 2 }])
		expect((await throughSocket(line(['reindex']))).code).toBe(0)
	})

	it('is never open to others, not even before its permissions are set, and leaves the umask as it was', async () => {
		await listening!.close()
		// A permissive umask, as on many systems: the socket must not be created with it.
		const before = process.umask(0o002)
		const setMode = fs.chmodSync.bind(fs)
		const chmod = vi.spyOn(fs, 'chmodSync')
		try {
			// The permissions it had from its creation until then.
			let created = -1
			chmod.mockImplementationOnce((file, mode) => {
				created = fs.statSync(file).mode & 0o777
				setMode(file, mode)
			})
			listening = await listenForCommands(dataDir)
			expect(created & 0o077).toBe(0)
			expect(process.umask(0o002)).toBe(0o002)
		} finally {
			chmod.mockRestore()
			process.umask(before)
		}
		expect(fs.statSync(socketPath(dataDir)).mode & 0o777).toBe(0o600)
	})

	it('is only written to by the CLI when it is a socket of the same user', async () => {
		await listening!.close()
		fs.writeFileSync(socketPath(dataDir), 'not a socket')
		await expect(throughSocket(line(['jobs:run']))).rejects.toThrow(`${socketPath(dataDir)} is not a socket`)
		fs.rmSync(socketPath(dataDir))
		listening = await listenForCommands(dataDir)
		// Only root can hand the socket to another user; elsewhere this part cannot be set up.
		if (process.getuid?.() === 0) {
			fs.chownSync(socketPath(dataDir), 65534, 65534)
			await expect(throughSocket(line(['jobs:run']))).rejects.toThrow('belongs to another user (uid 65534)')
			fs.chownSync(socketPath(dataDir), 0, 0)
		}
		expect((await throughSocket(line(['jobs:run']))).code).toBe(0)
	})

	it('is removed when the server stops, and a stale one is replaced when the next one starts', async () => {
		await listening!.close()
		expect(fs.existsSync(socketPath(dataDir))).toBe(false)
		expect(await throughSocket(line(['jobs:run']))).toMatchObject({ code: null })
		fs.writeFileSync(socketPath(dataDir), 'left by a crash')
		listening = await listenForCommands(dataDir)
		expect((await throughSocket(line(['jobs:run']))).code).toBe(0)
	})
})

describe('the CLI command line', () => {
	it('makes file arguments absolute before they travel to a server running elsewhere', () => {
		expect(line(['import', 'faq.json']).positionals).toEqual(['/home/someone/exports/faq.json'])
		expect(line(['accounts:import', '/data/crm.csv']).positionals).toEqual(['/data/crm.csv'])
		expect(parseCommandLine(['user:create', '--admin'])).toMatchObject({ usageError: expect.stringContaining("Unknown option '--admin'") })
		expect(parseCommandLine(['shell'])).toEqual({ usageError: 'Unknown command: shell' })
		expect(parseCommandLine([])).toEqual({ help: true })
	})
})
