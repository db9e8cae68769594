import os from 'node:os'
import { afterAll, beforeAll } from 'vitest'
import { cloneDatabase } from '../support/databases'

/**
 * Vitest setup file (runs in every test file). `npm test` passes the migrated
 * template database (KIZUNA_TEST_TEMPLATE_URL) and Meilisearch; each worker
 * (VITEST_POOL_ID) works in a clone of its own and under an index prefix of its own,
 * so test files run in parallel without seeing each other's rows or documents. The
 * clone's URL and the prefix go into the environment before the test file loads, for
 * tests that read them and for the processes they start (the CLI).
 * Without a template it does nothing, so pure unit tests run anywhere.
 */
const templateUrl = process.env.KIZUNA_TEST_TEMPLATE_URL

if (templateUrl) {
	const worker = process.env.VITEST_POOL_ID ?? '1'
	process.env.DATABASE_URL = await cloneDatabase(templateUrl, `kizuna_test_${worker}`)
	const indexPrefix = `test${worker}_`
	process.env.MEILI_INDEX_PREFIX = indexPrefix
	const databaseUrl = process.env.DATABASE_URL

	beforeAll(async () => {
		// Imported lazily so pure unit runs never load the database modules.
		const { connectDatabase } = await import('../../db/client.server')
		await connectDatabase({ databaseUrl, dataDir: os.tmpdir() })
		const meiliUrl = process.env.MEILI_URL
		if (meiliUrl) {
			const { connectSearch } = await import('../../search/client.server')
			const { ensureSearchIndexes } = await import('../../search/sync.server')
			connectSearch({ url: meiliUrl, masterKey: process.env.MEILI_MASTER_KEY, indexPrefix })
			await ensureSearchIndexes()
		}
	})

	afterAll(async () => {
		const { closeDatabase } = await import('../../db/client.server')
		await closeDatabase()
	})
}
