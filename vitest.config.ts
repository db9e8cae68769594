import tsconfigPaths from 'vite-tsconfig-paths'
import { defineConfig } from 'vitest/config'

export default defineConfig({
	plugins: [tsconfigPaths()],
	test: {
		include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'app/**/*.test.ts', 'search/**/*.test.ts', 'db/**/*.test.ts'],
		// Each worker has a database and index prefix of its own (tests/setup/integration.ts).
		// Integration tests mostly wait on PostgreSQL and Meilisearch, so on this 2-core
		// machine three workers finish sooner than two (Vitest's default would be one).
		maxWorkers: Number(process.env.KIZUNA_VITEST_WORKERS ?? 3),
		minWorkers: 1,
		testTimeout: 30_000,
		hookTimeout: 60_000,
		setupFiles: ['tests/setup/integration.ts'],
	},
})
