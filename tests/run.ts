/**
 * `npm test`: the whole suite on a fresh machine.
 *
 *   1. makes sure Debian's Chromium is installed (for Playwright),
 *   2. starts a throwaway PostgreSQL 15 with a migrated template database and an
 *      embedded Meilisearch,
 *   3. runs Vitest (unit + integration), each worker on its own clone of the template
 *      and index prefix (tests/setup/integration.ts),
 *   4. builds the app and runs the Playwright end-to-end tests, each worker with its
 *      own clone, index prefix and server (tests/e2e/support.ts),
 *   5. stops everything and prints `tests: N passed, M failed[, K skipped]`.
 *
 * Options: --only=unit (Vitest only) or --only=e2e (build + Playwright only);
 * with --only, further arguments go to that tool (e.g. a test file filter).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmbeddedMeilisearch, type EmbeddedMeilisearch } from '../search/embedded.server'
import { migrateTemplate } from './support/databases'
import { startPostgres, type TestPostgres } from './support/postgres'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)

const CHROMIUM = '/usr/bin/chromium'
// Separate report dirs let several runs share a checkout.
const reportDir = path.resolve(root, process.env.KIZUNA_TEST_REPORTS ?? '.tmp')
const vitestReport = path.join(reportDir, 'vitest.json')
const playwrightReport = path.join(reportDir, 'playwright.json')
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'

// ---------------------------------------------------------------- arguments

type Env = Record<string, string | undefined>
type Only = 'all' | 'unit' | 'e2e'

function parseArgs(argv: string[]): { only: Only; extra: string[] } {
	let only: Only = 'all'
	const extra: string[] = []
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!
		const value = arg.startsWith('--only=') ? arg.slice('--only='.length) : arg === '--only' ? argv[++i] : undefined
		if (value === undefined) {
			if (arg === '--help' || arg === '-h') usage(0)
			extra.push(arg)
		} else if (value === 'unit' || value === 'e2e' || value === 'all') {
			only = value
		} else {
			console.error(`Unknown --only value: ${value}`)
			usage(2)
		}
	}
	if (extra.length > 0 && only === 'all') {
		console.error(`Extra arguments (${extra.join(' ')}) need --only=unit or --only=e2e to say which tool gets them.`)
		usage(2)
	}
	return { only, extra }
}

function usage(code: number): never {
	console.log('Usage: npm test [-- --only=unit|e2e [args for vitest|playwright]]')
	process.exit(code)
}

const { only, extra } = parseArgs(process.argv.slice(2))
const runUnit = only !== 'e2e'
const runE2e = only !== 'unit'

// ---------------------------------------------------------------- processes and signals

let current: ChildProcess | null = null
let interrupted: NodeJS.Signals | null = null

/** Signals the running step and everything it started (npx does not pass signals on). */
function signalCurrent(signal: NodeJS.Signals) {
	const pid = current?.pid
	if (!pid) return
	try {
		process.kill(-pid, signal)
	} catch {
		current?.kill(signal)
	}
}

function onSignal(signal: NodeJS.Signals) {
	if (interrupted) {
		// Second signal: stop waiting. Exit handlers of the Postgres and Meilisearch
		// helpers still shut the servers down.
		console.error(`\n${signal} again: exiting now.`)
		signalCurrent('SIGKILL')
		process.exit(128 + (os.constants.signals[signal] ?? 2))
	}
	interrupted = signal
	console.error(`\n${signal}: stopping the current step, then cleaning up… (again to force)`)
	signalCurrent(signal)
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

function exec(file: string, args: string[], env: Env = {}): Promise<number> {
	return new Promise((resolve) => {
		console.log(`$ ${[file, ...args].join(' ')}`)
		// Own process group, so that an interrupt reaches the whole tree (see signalCurrent);
		// the terminal's Ctrl-C reaches us and we pass it on.
		const child = spawn(file, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env }, detached: true })
		current = child
		const killOnExit = () => signalCurrent('SIGKILL')
		process.once('exit', killOnExit)
		const done = (code: number) => {
			process.off('exit', killOnExit)
			current = null
			resolve(code)
		}
		child.once('error', (error) => {
			console.error(`Could not run ${file}: ${error.message}`)
			done(127)
		})
		child.once('exit', (code, signal) => done(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)))
	})
}

// ---------------------------------------------------------------- stages

type Stage = { name: string; seconds: number; ok: boolean; detail?: string }
const stages: Stage[] = []

async function stage(name: string, body: () => Promise<void | number>): Promise<boolean> {
	if (interrupted) return false
	console.log(`\n▶ ${name}`)
	const started = performance.now()
	let ok = true
	let detail: string | undefined
	try {
		const code = await body()
		if (typeof code === 'number' && code !== 0) {
			ok = false
			detail = `exit code ${code}`
		}
	} catch (error) {
		ok = false
		detail = error instanceof Error ? error.message : String(error)
		console.error(`✖ ${name}: ${detail}`)
	}
	const seconds = (performance.now() - started) / 1000
	stages.push({ name, seconds, ok, detail })
	console.log(`${ok ? '✔' : '✖'} ${name} ${ok ? 'done' : 'FAILED'} in ${seconds.toFixed(1)} s`)
	return ok && !interrupted
}

async function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return
	if (process.getuid?.() !== 0) {
		throw new Error(
			`${CHROMIUM} is missing. The end-to-end tests use Debian's Chromium; install it with\n` +
				'  sudo apt-get update && sudo apt-get install -y chromium\n' +
				'or run only the Vitest suite: npm test -- --only=unit',
		)
	}
	console.log(`${CHROMIUM} is missing: installing Debian's chromium…`)
	const env = { DEBIAN_FRONTEND: 'noninteractive' }
	if ((await exec('apt-get', ['update'], env)) !== 0) throw new Error('apt-get update failed')
	if ((await exec('apt-get', ['install', '-y', 'chromium'], env)) !== 0) throw new Error('apt-get install chromium failed')
	if (!fs.existsSync(CHROMIUM)) throw new Error(`chromium installed but ${CHROMIUM} is still missing`)
}

// ---------------------------------------------------------------- reports

type Counts = { passed: number; failed: number; skipped: number }

function readJson(file: string): any | null {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'))
	} catch {
		return null
	}
}

function vitestCounts(): Counts | null {
	const report = readJson(vitestReport)
	if (!report) return null
	// A test file that fails to load has no failed test: count it as one failure.
	const brokenFiles = (report.testResults ?? []).filter(
		(file: any) => file.status === 'failed' && !(file.assertionResults ?? []).some((t: any) => t.status === 'failed'),
	).length
	return {
		passed: report.numPassedTests ?? 0,
		failed: (report.numFailedTests ?? 0) + brokenFiles,
		skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
	}
}

function playwrightCounts(): Counts | null {
	const report = readJson(playwrightReport)
	if (!report?.stats) return null
	const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = report.stats
	// Errors outside any test (web server did not start, global setup threw…).
	const globalErrors = (report.errors ?? []).length
	return { passed: expected + flaky, failed: unexpected + (unexpected === 0 ? globalErrors : 0), skipped }
}

// ---------------------------------------------------------------- main

const tempDirs: string[] = []
// Forced exit (second Ctrl-C): the helpers kill their servers in their own exit hooks.
process.once('exit', () => {
	for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true })
})
// (declared this way so TypeScript does not narrow them to null: they are set in closures)
let pg = null as TestPostgres | null
let meili = null as EmbeddedMeilisearch | null
let exitCode = 0
/**
 * Every test signs in, posts and searches from 127.0.0.1 far faster than a person:
 * the suites run with limits no test reaches. Tests of the limits set their own
 * (tests/integration/rate-limits.test.ts); e2e keeps the default per-account
 * sign-in limit, which tests/e2e/rate-limits.spec.ts runs into.
 */
const generous = ['signInAddress', 'signUp', 'post', 'vote', 'feedback', 'feedbackAddress', 'search', 'preview', 'apiToken'].map((kind) => `${kind}=1000000/1s`)
// The webhook tests deliver to receivers on this machine, which Kizuna refuses unless told otherwise;
// the tests of that refusal turn it off for themselves.
const env: { unit: Env; e2e: Env } = {
	unit: { KIZUNA_RATE_LIMITS: [...generous, 'signInAccount=1000000/1s'].join(','), KIZUNA_ALLOW_PRIVATE_URLS: 'true' },
	e2e: { KIZUNA_RATE_LIMITS: generous.join(','), KIZUNA_ALLOW_PRIVATE_URLS: 'true' },
}
const ran = { unit: false, e2e: false }
const codes: { unit?: number; e2e?: number } = {}
const totalStart = performance.now()

fs.mkdirSync(reportDir, { recursive: true })
fs.rmSync(vitestReport, { force: true })
fs.rmSync(playwrightReport, { force: true })

try {
	let ok = true
	if (runE2e) ok = await stage('chromium', ensureChromium)

	ok &&= await stage('postgres', async () => {
		pg = await startPostgres()
		console.log(`PostgreSQL 15 on ${new URL(pg.url).host}`)
	})

	// Every Vitest and Playwright worker clones this database (tests/support/databases.ts).
	ok &&= await stage('template', async () => {
		const template = await pg!.createDatabase('kizuna_template')
		await migrateTemplate(template)
		env.unit.KIZUNA_TEST_TEMPLATE_URL = template
		env.e2e.KIZUNA_TEST_TEMPLATE_URL = template
	})

	ok &&= await stage('meilisearch', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kizuna-meili-'))
		tempDirs.push(dir)
		meili = await startEmbeddedMeilisearch(dir)
		// Each worker uses an index prefix of its own.
		for (const target of [env.unit, env.e2e]) {
			target.MEILI_URL = meili.url
			target.MEILI_MASTER_KEY = meili.masterKey
		}
		console.log(`Meilisearch on ${new URL(meili.url).host}`)
	})

	if (runUnit) {
		ok &&= await stage('vitest', async () => {
			ran.unit = true
			const args = ['--no', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${vitestReport}`, ...(only === 'unit' ? extra : [])]
			codes.unit = await exec(npx, args, env.unit)
			return codes.unit
		})
	}

	if (runE2e) {
		ok &&= await stage('build', () => exec(npx, ['--no', 'remix', 'vite:build'], { NODE_ENV: 'production' }))

		ok &&= await stage('playwright', async () => {
			ran.e2e = true
			// Each Playwright worker starts a server of its own (tests/e2e/support.ts).
			const args = ['--no', 'playwright', 'test', '--reporter=list,json', ...(only === 'e2e' ? extra : [])]
			codes.e2e = await exec(npx, args, { ...env.e2e, PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightReport })
			return codes.e2e
		})
	}
	if (!ok) exitCode = 1
} finally {
	// Runs even after a failure or an interrupt.
	const started = performance.now()
	const results = await Promise.allSettled([meili?.stop(), pg?.stop()])
	for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true })
	const errors = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []))
	const seconds = (performance.now() - started) / 1000
	stages.push({ name: 'cleanup', seconds, ok: errors.length === 0, detail: errors.join('; ') || undefined })
	console.log(`\n${errors.length === 0 ? '✔' : '✖'} cleanup (Meilisearch, PostgreSQL, temp dirs) in ${seconds.toFixed(1)} s${errors.length ? `: ${errors.join('; ')}` : ''}`)
}

// ---------------------------------------------------------------- summary

const total: Counts = { passed: 0, failed: 0, skipped: 0 }
for (const [which, counts] of [['unit', ran.unit && vitestCounts()], ['e2e', ran.e2e && playwrightCounts()]] as const) {
	if (!ran[which]) continue
	const code = codes[which]
	if (counts) {
		total.passed += counts.passed
		total.failed += counts.failed
		total.skipped += counts.skipped
		// A failing run with no failed test in its report (crash, bad config): still a failure.
		if (code !== 0 && counts.failed === 0) total.failed += 1
	} else if (code !== 0) {
		console.error(`No ${which === 'unit' ? 'Vitest' : 'Playwright'} JSON report was written.`)
		total.failed += 1
	}
}

console.log('\nStages:')
for (const s of stages) {
	console.log(`  ${s.ok ? '✔' : '✖'} ${s.name.padEnd(12)} ${s.seconds.toFixed(1).padStart(6)} s${s.detail ? `  (${s.detail.split('\n')[0]})` : ''}`)
}
console.log(`  total        ${((performance.now() - totalStart) / 1000).toFixed(1).padStart(6)} s`)
if (interrupted) exitCode = 128 + (os.constants.signals[interrupted] ?? 2)
else if (stages.some((s) => !s.ok)) exitCode = 1

const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : ''
console.log(`\ntests: ${total.passed} passed, ${total.failed} failed${skipped}`)
process.exit(exitCode)
