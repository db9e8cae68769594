import path from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { backupDatabase, restoreDatabase, type DatabaseTarget } from '#db/backup.server'
import { roleEnum } from '#db/schema'
import { rebuildFallback } from '#search/fallback.server'
import { reindexAll } from '#search/sync.server'
import { importAccountsFromFile } from '~/accounts/import.server'
import { createUser, findUserByEmail } from '~/auth/users.server'
import { loadConfig } from '~/config.server'
import { emailSchema, passwordSchema } from '~/auth/validation'
import { runPendingJobs, type PendingJobsResult } from '~/jobs/worker.server'
import { importFromFile } from '~/knowledge/import.server'
import { createApiTokenFromCli } from '~/people/api-tokens.server'
import { apiTokenNameSchema } from '~/people/validation'
import { DomainError } from '~/utils/errors.server'
import { safeParseInput } from '~/utils/input'

/**
 * The CLI's commands, written to an output rather than the console: the CLI runs
 * them against the database it opens, and a running server runs the same code
 * for a CLI that reached it through the data dir's socket (command-socket.ts).
 */
export type Output = { out: (line: string) => void; err: (line: string) => void }

export const usage = `Usage: npm run cli -- <command> [options]

Commands:
  user:create --email E --password P --role member|cs|product|admin [--name N]
  token:create --email E [--name N]
                               prints a new API token as the last line (listed and revocable
                               at /settings/tokens under its name, recorded in the audit log)
  jobs:run                     processes all pending background work, then exits
  reindex                      rebuilds the Meilisearch indexes (and the search fallback) from PostgreSQL
  import FILE.json             loads questions, FAQs and tutorials; re-importing updates by externalId
  accounts:import FILE.csv     creates or updates customer accounts by externalId (columns
                               externalId,name,plan,size,industry,phase,domains; domains separated by ;)
                               and attaches existing members whose email domain matches; all rows or none
  backup FILE                  saves the whole database to FILE (embedded: a .tar.gz of its data;
                               DATABASE_URL: pg_dump's custom format)
  restore FILE [--force]       replaces the whole database with a backup, then rebuilds search;
                               refuses a database with people or content unless --force

With the embedded database (no DATABASE_URL), a command reaches a running Kizuna
server of the same data dir (KIZUNA_DATA_DIR) and runs there; otherwise it opens the data dir itself.
`

/** Jobs failed for good in this run (a search document that cannot be built, a refused webhook address): retrying would not help. */
function reportFailed(result: PendingJobsResult, output: Output) {
	const failed = result.failed.filter((job) => job.final)
	if (failed.length === 0) return
	output.err(`${failed.length} job(s) failed and will not be retried:`)
	for (const job of failed) output.err(`  ${job.queue} ${JSON.stringify(job.data)}: ${job.reason}`)
}

/** Jobs that failed in this run and wait for a retry (Meilisearch or a webhook receiver did not answer). */
const retrying = (result: PendingJobsResult) => result.failed.filter((job) => !job.final)

class UsageError extends Error {}

type Values = Record<string, string | boolean>

function option(values: Values, name: string): string {
	const value = values[name]
	if (typeof value !== 'string' || value === '') throw new UsageError(`Missing --${name}`)
	return value
}

function check<T>(schema: z.ZodType<T>, value: unknown, name: string): T {
	const result = safeParseInput(schema, value)
	if (!result.success) throw new UsageError(`--${name}: ${result.error.issues[0]?.message}`)
	return result.data
}

type Command = (values: Values, positionals: string[], output: Output) => Promise<void>

const commands = {
	async 'user:create'(values, _positionals, output) {
		const email = check(emailSchema, option(values, 'email'), 'email')
		const password = check(passwordSchema, option(values, 'password'), 'password')
		const role = check(z.enum(roleEnum.enumValues, { errorMap: () => ({ message: `use one of ${roleEnum.enumValues.join(', ')}` }) }), option(values, 'role'), 'role')
		const name = typeof values.name === 'string' && values.name ? values.name : email.split('@')[0]!
		const user = await createUser({ email, password, role, displayName: name })
		output.out(`Created ${user.role} ${user.email} (${user.id})`)
	},
	async 'token:create'(values, _positionals, output) {
		const email = check(emailSchema, option(values, 'email'), 'email')
		const user = await findUserByEmail(email)
		if (!user) throw new UsageError(`No user with email ${email}`)
		const name = check(apiTokenNameSchema, typeof values.name === 'string' ? values.name : 'Command line', 'name')
		const { token } = await createApiTokenFromCli(user.id, name)
		output.out(`API token for ${user.email} (${user.role}), named "${name}"; it is shown only once:`)
		output.out(token)
	},
	async 'jobs:run'(_values, _positionals, output) {
		const result = await runPendingJobs({ recurring: true })
		reportFailed(result, output)
		const waiting = retrying(result)
		if (waiting.length > 0) {
			throw new Error(`${waiting.length} job(s) failed and wait for a retry (${[...new Set(waiting.map((job) => job.queue))].join(', ')}): ${waiting[0]!.reason}`)
		}
		output.out(`Processed ${result.completed} pending job(s).`)
	},
	async import(_values, positionals, output) {
		const [file] = positionals
		if (!file) throw new UsageError('Missing FILE.json')
		const report = await importFromFile(file)
		for (const section of ['questions', 'faqs', 'tutorials'] as const) {
			const counts = report[section]
			output.out(`${section}: ${counts.created} created, ${counts.updated} updated, ${counts.invalid} invalid`)
		}
		for (const error of report.errors) output.out(`  ${error.section}[${error.index}]: ${error.reason}`)
		const jobs = await runPendingJobs()
		reportFailed(jobs, output)
		if (retrying(jobs).some((job) => job.queue === 'search-index')) output.out('Search indexing is pending: Meilisearch did not answer; run jobs:run later.')
		else output.out(`Processed ${jobs.completed} job(s), search indexing included.`)
	},
	async 'accounts:import'(_values, positionals, output) {
		const [file] = positionals
		if (!file) throw new UsageError('Missing FILE.csv')
		const report = await importAccountsFromFile(file)
		output.out(`accounts: ${report.created} created, ${report.updated} updated, ${report.invalid} invalid`)
		for (const error of report.errors) output.out(`  row ${error.row}: ${error.reason}`)
		if (report.invalid > 0) throw new DomainError('invalid', 'Nothing was imported: correct the rows above and import the file again.')
		output.out(`Attached ${report.attached} existing member(s) by email domain.`)
	},
	async reindex(_values, _positionals, output) {
		await reindex(output)
	},
	async backup(_values, positionals, output) {
		const [file] = positionals
		if (!file) throw new UsageError('Missing FILE')
		const { bytes, kind } = await backupDatabase(file, databaseTarget())
		output.out(`Backed up the ${kind === 'embedded' ? 'embedded database' : 'database at DATABASE_URL'} to ${file} (${(bytes / 1024 / 1024).toFixed(1)} MB).`)
	},
	async restore(values, positionals, output) {
		const [file] = positionals
		if (!file) throw new UsageError('Missing FILE')
		const { kind } = await restoreDatabase(file, databaseTarget(), { force: values.force === true })
		output.out(`Restored ${file} into the ${kind === 'embedded' ? 'embedded database' : 'database at DATABASE_URL'}.`)
		await reindex(output)
	},
} satisfies Record<string, Command>

/** Rebuilds the search index and the fallback's rows from PostgreSQL. */
async function reindex(output: Output) {
	const fallback = await rebuildFallback()
	const result = await reindexAll()
	output.out(`Reindexed ${result.question} question(s), ${result.faq} FAQ(s) and ${result.tutorial} tutorial(s); ${fallback} search fallback document(s).`)
}

/** The database this process uses, as backup and restore need to know it. */
function databaseTarget(): DatabaseTarget {
	const config = loadConfig()
	return { databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, pgBin: config.KIZUNA_PG_BIN }
}

type CommandName = keyof typeof commands
const commandNames = Object.keys(commands) as [CommandName, ...CommandName[]]
/** Commands whose first argument is a file: the CLI makes it absolute, as the server that may read or write it runs elsewhere. */
const fileCommands = new Set<CommandName>(['import', 'accounts:import', 'backup', 'restore'])

/**
 * A command line, parsed: what the CLI sends to a running server as JSON, and
 * what the server checks again (it takes no one's word for it), with room for
 * any real command and no more.
 */
export const commandLineSchema = z.object({
	command: z.enum(commandNames),
	values: z.record(z.enum(['email', 'password', 'role', 'name', 'force']), z.union([z.string().max(1000), z.literal(true)])),
	positionals: z.array(z.string().max(4096)).max(10),
})
export type CommandLine = z.infer<typeof commandLineSchema>

/** The arguments after `npm run cli --`: a command to run, a request for help, or what is wrong with them. */
export function parseCommandLine(argv: string[], cwd = process.cwd()): { line: CommandLine } | { help: true } | { usageError: string } {
	const [command, ...rest] = argv
	if (!command || command === '--help' || command === 'help') return { help: true }
	if (!Object.hasOwn(commands, command)) return { usageError: `Unknown command: ${command}` }
	try {
		const { values, positionals } = parseArgs({
			args: rest,
			options: { email: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, force: { type: 'boolean' } },
			strict: true,
			allowPositionals: true,
		})
		const name = command as CommandName
		const files = fileCommands.has(name) ? positionals.map((file, index) => (index === 0 ? path.resolve(cwd, file) : file)) : positionals
		const parsed = commandLineSchema.safeParse({ command: name, values, positionals: files })
		if (!parsed.success) return { usageError: `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}` }
		return { line: parsed.data }
	} catch (error) {
		return { usageError: (error as Error).message }
	}
}

/**
 * Runs one command and returns its exit code: 0 done, 2 a usage error (with the
 * usage), 1 refused or failed. A failure is reported to the output, never thrown,
 * so a server running commands for the CLI stays up whatever a command does.
 */
export async function runCommand(line: CommandLine, output: Output): Promise<number> {
	const run: Command = commands[line.command]
	try {
		await run(line.values, line.positionals, output)
		return 0
	} catch (error) {
		if (error instanceof UsageError) {
			output.err(`${error.message}\n\n${usage}`)
			return 2
		}
		output.err(error instanceof Error ? error.message : String(error))
		return 1
	}
}
