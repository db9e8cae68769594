import { parseArgs } from 'node:util'
import { z } from 'zod'
import { roleEnum } from '#db/schema'
import { rebuildFallback } from '#search/fallback.server'
import { reindexAll } from '#search/sync.server'
import { importAccountsFromFile } from '~/accounts/import.server'
import { createApiToken } from '~/auth/api-tokens.server'
import { createUser, findUserByEmail } from '~/auth/users.server'
import { emailSchema, passwordSchema } from '~/auth/validation'
import { loadConfig } from '~/config.server'
import { runPendingJobs, type PendingJobsResult } from '~/jobs/worker.server'
import { importFromFile } from '~/knowledge/import.server'
import { DomainError } from '~/utils/errors.server'
import { startRuntime } from './runtime.server'
import { safeParseInput } from '~/utils/input'

/** Jobs failed for good in this run (a search document that cannot be built, a refused webhook address): retrying would not help. */
function reportFailed(result: PendingJobsResult) {
	const failed = result.failed.filter((job) => job.final)
	if (failed.length === 0) return
	console.error(`${failed.length} job(s) failed and will not be retried:`)
	for (const job of failed) console.error(`  ${job.queue} ${JSON.stringify(job.data)}: ${job.reason}`)
}

/** Jobs that failed in this run and wait for a retry (Meilisearch or a webhook receiver did not answer). */
const retrying = (result: PendingJobsResult) => result.failed.filter((job) => !job.final)

const usage = `Usage: npm run cli -- <command> [options]

Commands:
  user:create --email E --password P --role member|cs|product|admin [--name N]
  token:create --email E       prints a new API token as the last line
  jobs:run                     processes all pending background work, then exits
  reindex                      rebuilds the Meilisearch indexes (and the search fallback) from PostgreSQL
  import FILE.json             loads questions, FAQs and tutorials; re-importing updates by externalId
  accounts:import FILE.csv     creates or updates customer accounts by externalId (columns
                               externalId,name,plan,size,industry,phase,domains; domains separated by ;)
                               and attaches existing members whose email domain matches; all rows or none
`

class UsageError extends Error {}

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

type Values = Record<string, string | boolean | undefined>

const commands: Record<string, (values: Values, positionals: string[]) => Promise<void>> = {
	async 'user:create'(values) {
		const email = check(emailSchema, option(values, 'email'), 'email')
		const password = check(passwordSchema, option(values, 'password'), 'password')
		const role = check(z.enum(roleEnum.enumValues, { errorMap: () => ({ message: `use one of ${roleEnum.enumValues.join(', ')}` }) }), option(values, 'role'), 'role')
		const name = typeof values.name === 'string' && values.name ? values.name : email.split('@')[0]!
		const user = await createUser({ email, password, role, displayName: name })
		console.log(`Created ${user.role} ${user.email} (${user.id})`)
	},
	async 'token:create'(values) {
		const email = check(emailSchema, option(values, 'email'), 'email')
		const user = await findUserByEmail(email)
		if (!user) throw new UsageError(`No user with email ${email}`)
		const token = await createApiToken(user.id)
		console.log(`API token for ${user.email} (${user.role}); it is shown only once:`)
		console.log(token)
	},
	async 'jobs:run'() {
		const result = await runPendingJobs({ recurring: true })
		reportFailed(result)
		const waiting = retrying(result)
		if (waiting.length > 0) {
			throw new Error(`${waiting.length} job(s) failed and wait for a retry (${[...new Set(waiting.map((job) => job.queue))].join(', ')}): ${waiting[0]!.reason}`)
		}
		console.log(`Processed ${result.completed} pending job(s).`)
	},
	async import(_values, positionals) {
		const [file] = positionals
		if (!file) throw new UsageError('Missing FILE.json')
		const report = await importFromFile(file)
		for (const section of ['questions', 'faqs', 'tutorials'] as const) {
			const counts = report[section]
			console.log(`${section}: ${counts.created} created, ${counts.updated} updated, ${counts.invalid} invalid`)
		}
		for (const error of report.errors) console.log(`  ${error.section}[${error.index}]: ${error.reason}`)
		const jobs = await runPendingJobs()
		reportFailed(jobs)
		if (retrying(jobs).some((job) => job.queue === 'search-index')) console.log('Search indexing is pending: Meilisearch did not answer; run jobs:run later.')
		else console.log(`Processed ${jobs.completed} job(s), search indexing included.`)
	},
	async 'accounts:import'(_values, positionals) {
		const [file] = positionals
		if (!file) throw new UsageError('Missing FILE.csv')
		const report = await importAccountsFromFile(file)
		console.log(`accounts: ${report.created} created, ${report.updated} updated, ${report.invalid} invalid`)
		for (const error of report.errors) console.log(`  row ${error.row}: ${error.reason}`)
		if (report.invalid > 0) throw new DomainError('invalid', 'Nothing was imported: correct the rows above and import the file again.')
		console.log(`Attached ${report.attached} existing member(s) by email domain.`)
	},
	async reindex() {
		const fallback = await rebuildFallback()
		const result = await reindexAll()
		console.log(`Reindexed ${result.question} question(s), ${result.faq} FAQ(s) and ${result.tutorial} tutorial(s); ${fallback} search fallback document(s).`)
	},
}

async function main() {
	const [command, ...rest] = process.argv.slice(2)
	if (!command || command === '--help' || command === 'help') {
		console.log(usage)
		return 0
	}
	const run = commands[command]
	if (!run) {
		console.error(`Unknown command: ${command}\n\n${usage}`)
		return 2
	}
	let values: Values
	let positionals: string[]
	try {
		;({ values, positionals } = parseArgs({
			args: rest,
			options: { email: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
			strict: true,
			allowPositionals: true,
		}))
	} catch (error) {
		console.error(`${(error as Error).message}\n\n${usage}`)
		return 2
	}
	const runtime = await startRuntime(loadConfig())
	try {
		await run(values, positionals)
		return 0
	} catch (error) {
		if (error instanceof UsageError) {
			console.error(`${error.message}\n\n${usage}`)
			return 2
		}
		if (error instanceof DomainError) {
			console.error(error.message)
			return 1
		}
		throw error
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
