import fs from 'node:fs'
import path from 'node:path'
import { closeDatabase, connectDatabase } from '#db/client.server'
import { connectSearch } from '#search/client.server'
import { startEmbeddedMeilisearch, type EmbeddedMeilisearch } from '#search/embedded.server'
import { ensureSearchIndexes } from '#search/sync.server'
import type { Config } from '~/config.server'
import { log } from '~/utils/log.server'

export type Runtime = { stop: () => Promise<void> }

const pidFile = (dataDir: string) => path.join(dataDir, 'kizuna.pid')

/** The live process (not this one) that has the embedded database of this data dir open, if any. */
export function dataDirOwner(dataDir: string): number | null {
	let pid: number
	try {
		pid = Number(fs.readFileSync(pidFile(dataDir), 'utf8'))
	} catch {
		return null
	}
	if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null
	try {
		process.kill(pid, 0)
		return pid
	} catch {
		return null
	}
}

/** The embedded database of this data dir is open in another live process. */
export class DataDirInUse extends Error {
	constructor(
		readonly owner: number,
		readonly dataDir: string,
	) {
		super(
			`Another Kizuna process (pid ${owner}) is using the embedded database in ${dataDir} and does not take commands (still starting, or a worker). ` +
				'Wait until it is ready, stop it, or point both at a PostgreSQL server with DATABASE_URL.',
		)
	}
}

/**
 * The embedded PGlite database can be opened by one process at a time; the pid
 * file lets the CLI find the server that has it open (and refuse clearly instead
 * of corrupting it when it cannot reach that server).
 */
function claimDataDir(config: Config): (() => void) | null {
	if (config.DATABASE_URL) return null
	fs.mkdirSync(config.dataDir, { recursive: true })
	const owner = dataDirOwner(config.dataDir)
	if (owner !== null) throw new DataDirInUse(owner, config.dataDir)
	fs.writeFileSync(pidFile(config.dataDir), String(process.pid))
	return () => fs.rmSync(pidFile(config.dataDir), { force: true })
}

/** Connects PostgreSQL (migrated) and Meilisearch (configured), starting embedded ones where none is configured. */
export async function startRuntime(config: Config): Promise<Runtime> {
	const release = claimDataDir(config)
	let meili: EmbeddedMeilisearch | null = null
	try {
		await connectDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir })
		if (config.MEILI_URL) {
			connectSearch({ url: config.MEILI_URL, masterKey: config.MEILI_MASTER_KEY, indexPrefix: config.MEILI_INDEX_PREFIX })
		} else {
			meili = await startEmbeddedMeilisearch(config.dataDir)
			connectSearch({ url: meili.url, masterKey: meili.masterKey, indexPrefix: config.MEILI_INDEX_PREFIX })
		}
		// Search may be down at start: writes still queue index jobs, and the worker
		// creates the indexes once Meilisearch answers.
		await ensureSearchIndexes().catch((error: Error) => log.warn({ reason: error.message }, 'Meilisearch is not ready yet'))
	} catch (error) {
		await meili?.stop()
		await closeDatabase()
		release?.()
		throw error
	}
	return {
		stop: async () => {
			await meili?.stop()
			await closeDatabase()
			release?.()
		},
	}
}
