/**
 * `npm start` runs this before the server: it builds the app only when what the
 * build is made from changed since the last build, so a restart with nothing
 * changed starts in seconds instead of rebuilding (see README, "Run it").
 *
 * The fingerprint is a SHA-256 over the build's inputs (the sources, the lockfile
 * and the build configuration), written next to the build once it succeeded.
 * KIZUNA_REBUILD=1 builds anyway. Several `npm start` from one checkout build one at a
 * time (a lock file), so that none starts on a build another is halfway through.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const INPUT_DIRS = ['app', 'db', 'search', 'public']
const INPUT_FILES = ['package-lock.json', 'package.json', 'tsconfig.json', 'vite.config.ts']

/** Walked by hand: `Dirent.parentPath` needs Node 20.12, and `engines` allows any Node 20. */
function filesUnder(dir: string): string[] {
	if (!existsSync(dir)) return []
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name)
		return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : []
	})
}

/** The inputs' fingerprint: every path with its content, in a fixed order. */
export function inputsFingerprint(root: string): string {
	const hash = createHash('sha256')
	const files = [...INPUT_DIRS.flatMap((dir) => filesUnder(path.join(root, dir))), ...INPUT_FILES.map((file) => path.join(root, file)).filter((file) => existsSync(file))]
	for (const file of files.sort()) {
		hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0')
	}
	return hash.digest('hex')
}

export const fingerprintFile = (buildDir: string) => path.join(buildDir, '.inputs-sha256')

/** Whether the build in `buildDir` was made from exactly these inputs (and is complete). */
export function buildIsCurrent(buildDir: string, fingerprint: string): boolean {
	const file = fingerprintFile(buildDir)
	if (!existsSync(file) || !existsSync(path.join(buildDir, 'server/index.js'))) return false
	return readFileSync(file, 'utf8').trim() === fingerprint
}

export const lockFile = (root: string) => path.join(root, '.cache', 'kizuna-build.lock')

const alive = (pid: number) => {
	try {
		process.kill(pid, 0)
		return true
	} catch (error) {
		// EPERM: the process exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM'
	}
}

/** Takes the checkout's build lock, waiting while a live process holds it; a lock left by a process that died is taken over. */
function acquire(file: string, sleep: (ms: number) => void, log: (message: string) => void) {
	mkdirSync(path.dirname(file), { recursive: true })
	for (let told = false; ; ) {
		try {
			const fd = openSync(file, 'wx')
			writeSync(fd, `${process.pid}\n`)
			closeSync(fd)
			return
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
		}
		const holder = Number.parseInt(readFileSync(file, 'utf8'), 10)
		// An empty file is one being written this instant: wait for its pid like any holder's.
		if (Number.isInteger(holder) && !alive(holder)) {
			rmSync(file, { force: true })
			continue
		}
		if (!told) log('Another start is building the app in this checkout: waiting for it…')
		told = true
		sleep(500)
	}
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

type Options = { root: string; buildDir: string; forced: boolean; build: () => number; sleep?: (ms: number) => void; log?: (message: string) => void }

/** Builds unless the build is current; returns the build's exit status (0 when none was needed). */
export function buildWhenChanged({ root, buildDir, forced, build, sleep = sleepSync, log = console.log }: Options): number {
	if (!forced && buildIsCurrent(buildDir, inputsFingerprint(root))) {
		log('The build is up to date (nothing changed since it was made): starting without rebuilding. KIZUNA_REBUILD=1 builds anyway.')
		return 0
	}
	const lock = lockFile(root)
	acquire(lock, sleep, log)
	try {
		// Another start may have built these very inputs while this one waited.
		const fingerprint = inputsFingerprint(root)
		if (!forced && buildIsCurrent(buildDir, fingerprint)) {
			log('Another start has just built the app: starting without rebuilding.')
			return 0
		}
		log(forced ? 'KIZUNA_REBUILD=1: building the app…' : 'The sources changed since the last build (or there is none): building the app…')
		// Remix empties only build directories inside the project: an interrupted build elsewhere would
		// otherwise keep the last fingerprint, and a revert to those inputs would trust a mixed build.
		rmSync(fingerprintFile(buildDir), { force: true })
		const status = build()
		// Written last: a build that failed or was interrupted leaves no fingerprint, so the next start builds again.
		if (status === 0) writeFileSync(fingerprintFile(buildDir), `${fingerprint}\n`)
		return status
	} finally {
		rmSync(lock, { force: true })
	}
}

function main() {
	const status = buildWhenChanged({
		root: process.cwd(),
		buildDir: path.resolve(process.env.KIZUNA_BUILD_DIR ?? 'build'),
		forced: process.env.KIZUNA_REBUILD === '1',
		build: () => spawnSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--no', 'remix', 'vite:build'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } }).status ?? 1,
	})
	if (status !== 0) process.exit(status)
}

// `import.meta.filename` needs Node 20.11.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
