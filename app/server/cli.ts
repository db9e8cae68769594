import { loadConfig } from '~/config.server'
import { logTo } from '~/utils/log.server'
import { runOnServer } from './command-socket'
import { parseCommandLine, runCommand, usage, type Output } from './commands'
import { dataDirOwner, startRuntime } from './runtime.server'

const consoleOutput: Output = { out: (line) => console.log(line), err: (line) => console.error(line) }

/**
 * Runs one command: through the running server when it has the embedded database
 * of this data dir open, otherwise against the database this process opens. Which
 * one is said on stderr, so that stdout stays the command's own output.
 */
async function main(): Promise<number> {
	// Stdout is the command's output (a new API token is its last line): log lines go to stderr.
	logTo(2)
	const parsed = parseCommandLine(process.argv.slice(2))
	if ('help' in parsed) {
		console.log(usage)
		return 0
	}
	if ('usageError' in parsed) {
		console.error(`${parsed.usageError}\n\n${usage}`)
		return 2
	}
	const config = loadConfig()
	if (config.DATABASE_URL) {
		console.error(`Using DATABASE_URL (${new URL(config.DATABASE_URL).host}).`)
	} else {
		const pid = dataDirOwner(config.dataDir)
		if (pid !== null) {
			const code = await runOnServer(config.dataDir, parsed.line, {
				...consoleOutput,
				connected: () => console.error(`Using the running Kizuna server (pid ${pid}) for data dir ${config.dataDir}.`),
			})
			if (code !== null) return code
		}
	}
	const runtime = await startRuntime(config)
	if (!config.DATABASE_URL) console.error(`Opened the embedded database in ${config.dataDir}.`)
	try {
		return await runCommand(parsed.line, consoleOutput)
	} finally {
		await runtime.stop()
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error instanceof Error ? error.message : error)
		process.exit(1)
	},
)
