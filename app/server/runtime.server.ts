import fs from 'node:fs'
import path from 'node:path'
import { closeDatabase, connectDatabase } from '#db/client.server'
import { connectSearch } from '#search/client.server'
import { startEmbeddedMeilisearch, type EmbeddedMeilisearch } from '#search/embedded.server'
import { ensureSearchIndexes } from '#search/sync.server'
import type { Config } from '~/config.server'

export type Runtime = { stop: () => Promise<void> }

/**
 * The embedded PGlite database can be opened by one process at a time; the pid
 * file lets the CLI refuse clearly instead of corrupting it.
 */
function claimDataDir(config: Config): (() => void) | null {
	if (config.DATABASE_URL) return null
	fs.mkdirSync(config.dataDir, { recursive: true })
	const pidFile = path.join(config.dataDir, 'kizuna.pid')
	if (fs.existsSync(pidFile)) {
		const pid = Number(fs.readFileSync(pidFile, 'utf8'))
		let alive = false
		try {
			process.kill(pid, 0)
			alive = pid !== process.pid
		} catch {
			alive = false
		}
		if (alive) {
			throw new Error(
				`Another Kizuna process (pid ${pid}) is using the embedded database in ${config.dataDir}. ` +
					'Stop it first, or point both at a PostgreSQL server with DATABASE_URL.',
			)
		}
	}
	fs.writeFileSync(pidFile, String(process.pid))
	return () => fs.rmSync(pidFile, { force: true })
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
		await ensureSearchIndexes().catch((error: Error) => console.warn(`Meilisearch is not ready yet: ${error.message}`))
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
