import os from 'node:os'
import { afterAll, beforeAll } from 'vitest'

/**
 * Vitest setup file (runs in every test file). When `npm test` provides
 * DATABASE_URL (and MEILI_URL), it connects and migrates the database and
 * prepares the search indexes before the file's tests and disconnects after
 * them. Without DATABASE_URL it does nothing, so pure unit tests run anywhere.
 */
const databaseUrl = process.env.DATABASE_URL

if (databaseUrl) {
	beforeAll(async () => {
		// Imported lazily so pure unit runs never load the database modules.
		const { connectDatabase } = await import('../../db/client.server')
		await connectDatabase({ databaseUrl, dataDir: os.tmpdir() })
		const meiliUrl = process.env.MEILI_URL
		if (meiliUrl) {
			const { connectSearch } = await import('../../search/client.server')
			const { ensureSearchIndexes } = await import('../../search/sync.server')
			connectSearch({ url: meiliUrl, masterKey: process.env.MEILI_MASTER_KEY, indexPrefix: process.env.MEILI_INDEX_PREFIX ?? 'test_' })
			await ensureSearchIndexes()
		}
	})

	afterAll(async () => {
		const { closeDatabase } = await import('../../db/client.server')
		await closeDatabase()
	})
}
