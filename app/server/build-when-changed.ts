/**
 * `npm start` runs this before the server: it builds the app only when what the
 * build is made from changed since the last build, so a restart with nothing
 * changed starts in seconds instead of rebuilding (see README, "Run it").
 *
 * The fingerprint is a SHA-256 over the build's inputs (the sources, the lockfile
 * and the build configuration), written next to the build once it succeeded.
 * KIZUNA_REBUILD=1 builds anyway.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const INPUT_DIRS = ['app', 'db', 'search', 'public']
const INPUT_FILES = ['package-lock.json', 'package.json', 'tsconfig.json', 'vite.config.ts']

function filesUnder(dir: string): string[] {
	if (!existsSync(dir)) return []
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.join(entry.parentPath, entry.name))
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

function main() {
	const root = process.cwd()
	const buildDir = path.resolve(process.env.KIZUNA_BUILD_DIR ?? 'build')
	const fingerprint = inputsFingerprint(root)
	const forced = process.env.KIZUNA_REBUILD === '1'
	if (!forced && buildIsCurrent(buildDir, fingerprint)) {
		console.log('The build is up to date (nothing changed since it was made): starting without rebuilding. KIZUNA_REBUILD=1 builds anyway.')
		return
	}
	console.log(forced ? 'KIZUNA_REBUILD=1: building the app…' : 'The sources changed since the last build (or there is none): building the app…')
	const result = spawnSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--no', 'remix', 'vite:build'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
	if (result.status !== 0) process.exit(result.status ?? 1)
	// Written last: a build that failed or was interrupted leaves no fingerprint, so the next start builds again.
	writeFileSync(fingerprintFile(buildDir), `${fingerprint}\n`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) main()
