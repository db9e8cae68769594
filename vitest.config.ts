import tsconfigPaths from 'vite-tsconfig-paths'
import { defineConfig } from 'vitest/config'

export default defineConfig({
	plugins: [tsconfigPaths()],
	test: {
		include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'app/**/*.test.ts', 'search/**/*.test.ts', 'db/**/*.test.ts'],
		// Integration tests share one PostgreSQL database and one Meilisearch index.
		fileParallelism: false,
		testTimeout: 30_000,
		hookTimeout: 60_000,
		setupFiles: ['tests/setup/integration.ts'],
	},
})
