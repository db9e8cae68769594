import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../app/config.server'

describe('memory settings of the embedded default', () => {
	it('bounds Meilisearch and PGlite for a laptop unless told otherwise', () => {
		const config = loadConfig({})
		expect(config.MEILI_MAX_INDEXING_MEMORY).toBe(128 * 2 ** 20)
		expect(config.MEILI_MAX_INDEXING_THREADS).toBe(1)
		expect(config.KIZUNA_PGLITE_SHARED_BUFFERS).toBe(16e6)
	})

	it('reads sizes as an operator writes them', () => {
		expect(loadConfig({ MEILI_MAX_INDEXING_MEMORY: '2GiB' }).MEILI_MAX_INDEXING_MEMORY).toBe(2 * 2 ** 30)
		expect(loadConfig({ MEILI_MAX_INDEXING_MEMORY: '512 MB' }).MEILI_MAX_INDEXING_MEMORY).toBe(512e6)
		expect(loadConfig({ KIZUNA_PGLITE_SHARED_BUFFERS: '128MB' }).KIZUNA_PGLITE_SHARED_BUFFERS).toBe(128e6)
		expect(loadConfig({ MEILI_MAX_INDEXING_MEMORY: '268435456' }).MEILI_MAX_INDEXING_MEMORY).toBe(2 ** 28)
	})

	it('refuses sizes it cannot read or that cannot work, naming the setting', () => {
		expect(() => loadConfig({ MEILI_MAX_INDEXING_MEMORY: 'lots' })).toThrow(/MEILI_MAX_INDEXING_MEMORY: "lots" is not a size/)
		expect(() => loadConfig({ MEILI_MAX_INDEXING_MEMORY: '1MiB' })).toThrow(/MEILI_MAX_INDEXING_MEMORY: must be at least 32MiB/)
		expect(() => loadConfig({ KIZUNA_PGLITE_SHARED_BUFFERS: '4GiB' })).toThrow(/KIZUNA_PGLITE_SHARED_BUFFERS: must be at most 1GiB/)
		expect(() => loadConfig({ MEILI_MAX_INDEXING_THREADS: '0' })).toThrow(/MEILI_MAX_INDEXING_THREADS/)
	})
})
